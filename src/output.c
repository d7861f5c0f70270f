/* output.c: temporary folder, checked writes, atomic swap; or, live (for
 * serve), per file atomic writes of what changed. Nothing here deletes
 * anything but the temporary folder it made, the previous output tree it
 * replaced, temporary folders that killed builds left beside the output
 * (each of these carries briefing's marker file, and a temporary folder is
 * only removed when no live build holds its lock) and, live, files it
 * wrote itself (listed in the manifest) that the new build no longer has. */
#include "output.h"

#include <ctype.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdatomic.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"
#include "hashes.h"

#define MARKER ".briefing-output"
/* The marker's whole text: a folder whose marker says exactly this was
 * made by briefing. */
static const char marker_note[] = "This folder is written by `briefing build`; "
                                  "its contents are replaced on every build.\n";

struct output {
	char *dir;      /* the output folder as given */
	char *tmp;      /* the temporary folder beside it; NULL when live */
	char *root;     /* where files go: tmp, or dir when live */
	int marker_fd;  /* the temporary folder's marker, locked while we live; -1 live */
	atomic_int write_failed; /* after the first failed write, no more are tried */
	/* live and staged; a new tree with a manifest too */
	struct hs_table *manifest; /* file -> content hash, of every file written */
	unsigned gen;              /* this build's mark in the manifest */
	/* A page's file is marked gen | OUT_PAGE: it stays until out_forget
	 * says its page went, so an update does not mark the files of the
	 * pages it did not render (26,500 lookups at 10k). */
	pthread_mutex_t lock;      /* guards manifest, staged and the counts */
	size_t written, removed;
	int staged;                /* files wait under temporary names until commit */
	char **stage;              /* their relative paths */
	struct hs_table *stage_set; /* the same, to list each once */
	size_t n_stage, cap_stage;
	/* A new tree (tmp) holds only the folders this build made: a file's
	 * folder is made before its first write, instead of after an open
	 * that fails for want of it (16,000 at 10k briefs). */
	pthread_mutex_t dirs_lock;
	struct hs_table *dirs;     /* folders made (their paths) */
};

#define JOURNAL ".briefing-journal"

int out_path_ok(const char *rel)
{
	if (!rel || !*rel || rel[0] == '/')
		return 0;
	const char *p = rel;
	while (*p) {
		const char *end = strchr(p, '/');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if ((n == 2 && p[0] == '.' && p[1] == '.') || (n == 1 && p[0] == '.'))
			return 0;
		if (n == 0 && end)
			return 0; /* "a//b" */
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)p[i] < 0x20 || p[i] == '\\')
				return 0;
		if (!end)
			break;
		p = end + 1;
	}
	return 1;
}

/* What a removal shares out between its threads: entries of open
 * folders, each removed whole (fs_rm_at), by whichever thread is free. */
struct rm_task {
	int dfd;
	const char *name;
};
struct rm_share {
	struct rm_task *t;
	size_t n, cap;
	atomic_size_t next;
	dev_t dev;
};

static void rm_add(struct rm_share *r, int dfd, const char *name)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->t = xrealloc(r->t, r->cap * sizeof *r->t);
	}
	r->t[r->n++] = (struct rm_task){dfd, name};
}

static void *rm_some(void *arg)
{
	struct rm_share *r = arg;
	for (size_t i; (i = atomic_fetch_add(&r->next, 1)) < r->n;)
		fs_rm_at(r->t[i].dfd, r->t[i].name, r->dev);
	return NULL;
}

/* The names in the open folder fd (left open), sorted. */
static char **names_at(int fd, size_t *n)
{
	int copy = dup(fd);
	DIR *d = copy < 0 ? NULL : fdopendir(copy);
	if (!d) {
		if (copy >= 0)
			close(copy);
		*n = 0;
		return NULL;
	}
	char **names = fs_list_dir(d, NULL, n);
	closedir(d);
	return names;
}

#define RM_SPLIT 64 /* top folders whose entries are shared out; the rest go whole */

/* Removes a tree we made: everything but the marker, then the marker,
 * then the folder, so a removal cut short still carries the marker and a
 * later build can finish it. It runs when the rest of a build is done,
 * so two threads share the work: the entries of its folders go in turn
 * to whichever is free (a site's output has a few folders of very
 * different sizes, people/ and articles/ most of it), then the folders.
 * Everything is removed through folder descriptors, never following a
 * symlink (fs_rm_at). */
static void remove_ours(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return;
	}
	size_t n;
	char **names = names_at(fd, &n);
	struct rm_share r = {.dev = st.st_dev};
	struct top {
		int fd;       /* open while its entries are shared out, else -1 */
		char **kids;  /* their names */
		size_t n_kids;
	} *tops = xcalloc(n ? n : 1, sizeof *tops);
	int split = 0;
	for (size_t i = 0; i < n; i++) {
		struct top *t = &tops[i];
		t->fd = -1;
		if (strcmp(names[i], MARKER) == 0)
			continue;
		int sub = split < RM_SPLIT ? openat(fd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		                                                    O_CLOEXEC)
		                           : -1;
		struct stat ss;
		if (sub >= 0 && fstat(sub, &ss) == 0 && ss.st_dev == st.st_dev) {
			t->fd = sub;
			split++;
			t->kids = names_at(sub, &t->n_kids);
			for (size_t k = 0; k < t->n_kids; k++)
				rm_add(&r, sub, t->kids[k]);
		} else {
			if (sub >= 0)
				close(sub);
			rm_add(&r, fd, names[i]); /* a file, or a folder gone whole */
		}
	}
	pthread_t helper;
	int two = r.n > 1 && pthread_create(&helper, NULL, rm_some, &r) == 0;
	rm_some(&r);
	if (two)
		pthread_join(helper, NULL);
	for (size_t i = 0; i < n; i++) {
		if (tops[i].fd >= 0) {
			close(tops[i].fd);
			fs_rm_at(fd, names[i], st.st_dev); /* emptied: the folder itself */
		}
		fs_free_names(tops[i].kids, tops[i].n_kids);
	}
	free(r.t);
	free(tops);
	fs_free_names(names, n);
	unlinkat(fd, MARKER, 0);
	close(fd);
	rmdir(dir);
}

/* 1 when name is ".BASE.tmp-XXXXXX" (mkdtemp's six letters or digits),
 * optionally followed by ".old" (a replaced output being removed). */
static int stale_name(const char *name, const char *base, int *old)
{
	size_t nb = strlen(base);
	if (name[0] != '.' || strncmp(name + 1, base, nb) != 0 ||
	    strncmp(name + 1 + nb, ".tmp-", 5) != 0)
		return 0;
	const char *x = name + 1 + nb + 5;
	for (int i = 0; i < 6; i++)
		if (!isalnum((unsigned char)x[i]))
			return 0;
	*old = strcmp(x + 6, ".old") == 0;
	return x[6] == '\0' || *old;
}

/* 1 when dir (in parent, not a symlink) is a folder of ours that no live
 * build is using: owned by us, with a marker file saying exactly what
 * ours says, and that marker not locked by a running build. */
static int stale_and_ours(int parent_fd, const char *name)
{
	struct stat st;
	if (fstatat(parent_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != geteuid())
		return 0;
	char *rel = xasprintf("%s/%s", name, MARKER);
	int fd = openat(parent_fd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	free(rel);
	if (fd < 0)
		return 0;
	int ours = 0;
	char text[sizeof marker_note + 1];
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && flock(fd, LOCK_EX | LOCK_NB) == 0) {
		ssize_t n = read(fd, text, sizeof text);
		ours = n == (ssize_t)sizeof marker_note - 1 && memcmp(text, marker_note, (size_t)n) == 0;
	}
	close(fd); /* drops our lock too */
	return ours;
}

/* Removes what builds killed before their end left beside the output
 * dir (in parent, named after base): their temporary folders, and a
 * replaced output left half removed (only when the output itself is in
 * place). Anything else with a similar name is left alone. */
static void remove_stale(const char *parent, const char *base, const char *dir)
{
	int parent_fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (parent_fd < 0)
		return;
	size_t n;
	char **names = fs_list(parent, NULL, &n);
	for (size_t i = 0; i < n; i++) {
		int old = 0;
		if (!stale_name(names[i], base, &old) || (old && !fs_is_dir(dir)) ||
		    !stale_and_ours(parent_fd, names[i]))
			continue;
		char *path = fs_join(parent, names[i]);
		remove_ours(path);
		free(path);
	}
	fs_free_names(names, n);
	close(parent_fd);
}

/* 1 when path a is b or a folder above b (both canonical). */
static int is_ancestor_or_same(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (strcmp(a, "/") == 0)
		return 1;
	return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

static int dir_is_empty(const char *path)
{
	int empty = 1;
	DIR *d = opendir(path);
	if (!d)
		return 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			empty = 0;
			break;
		}
	}
	closedir(d);
	return empty;
}

/* The canonical form of path, which may not exist yet: its deepest
 * existing folder resolved, the rest appended. Caller frees. */
static char *canonical(const char *path)
{
	char *copy = xstrdup(path);
	buf rest = BUF_INIT;
	char real[PATH_MAX];
	for (;;) {
		if (realpath(*copy ? copy : ".", real)) {
			char *r = xasprintf("%s%s", strcmp(real, "/") == 0 && rest.len ? "" : real,
			                    rest.ptr);
			free(copy);
			buf_free(&rest);
			return r;
		}
		char *slash = strrchr(copy, '/');
		char *tail = xasprintf("/%s%s", slash ? slash + 1 : copy, rest.ptr);
		buf_reset(&rest);
		buf_puts(&rest, tail);
		free(tail);
		if (!slash) {
			copy[0] = '\0';
		} else if (slash == copy) {
			copy[1] = '\0';
		} else {
			*slash = '\0';
		}
	}
}

const char *out_refused(const char *dir, const char *site_dir)
{
	char *real = canonical(dir);
	char *site = canonical(*site_dir ? site_dir : ".");
	char *cwd = canonical(".");
	const char *home = getenv("HOME");
	char *home_real = home && *home ? canonical(home) : NULL;
	const char *why = NULL;
	struct stat st;
	if (strcmp(real, "/") == 0)
		why = "it is the root folder";
	else if (is_ancestor_or_same(real, site))
		why = "it holds the site itself";
	else if (is_ancestor_or_same(real, cwd))
		why = "it holds the current folder";
	else if (home_real && strcmp(real, home_real) == 0)
		why = "it is the home folder";
	else if (lstat(dir, &st) == 0) {
		buf marker = BUF_INIT;
		buf_printf(&marker, "%s/%s", dir, MARKER);
		if (S_ISLNK(st.st_mode))
			why = "it is a symbolic link";
		else if (!S_ISDIR(st.st_mode))
			why = "it is not a folder";
		else if (!fs_exists(marker.ptr) && !dir_is_empty(dir))
			why = "it is not empty and was not made by briefing (no " MARKER
			      " file in it); remove it or choose another folder with -o";
		buf_free(&marker);
	}
	free(real);
	free(site);
	free(cwd);
	free(home_real);
	return why;
}

/* dir's parent folder ("." for a bare name), and in *base (when not NULL)
 * its last name; trailing slashes do not count. Both malloc'd. */
static char *split_dir(const char *dir, char **base)
{
	char *copy = xstrdup(dir);
	size_t n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	char *slash = strrchr(copy, '/');
	char *parent;
	if (slash) {
		*slash = '\0';
		parent = xstrdup(slash == copy ? "/" : copy);
		if (base)
			*base = xstrdup(slash + 1);
	} else {
		parent = xstrdup(".");
		if (base)
			*base = xstrdup(copy);
	}
	free(copy);
	return parent;
}

char *out_parent(const char *dir)
{
	return split_dir(dir, NULL);
}

struct output *out_begin(const char *dir, const char *site_dir, struct diag *d)
{
	const char *why = out_refused(dir, site_dir);
	if (why) {
		diag_error(d, NULL, 0, 0, "refusing to write the site to \"%s\": %s", dir, why);
		return NULL;
	}

	/* the temporary folder goes beside the output, on the same file system */
	char *base;
	char *parent = split_dir(dir, &base);
	if (fs_mkdirs(parent) != 0) {
		diag_error(d, NULL, 0, 0, "cannot create \"%s\": %s", parent, strerror(errno));
		free(parent);
		free(base);
		return NULL;
	}
	remove_stale(parent, base, dir);
	char *tmp = xasprintf("%s/.%s.tmp-XXXXXX", parent, base);
	free(parent);
	free(base);
	if (!mkdtemp(tmp)) {
		diag_error(d, NULL, 0, 0, "cannot create a temporary folder beside \"%s\": %s", dir,
		           strerror(errno));
		free(tmp);
		return NULL;
	}
	chmod(tmp, 0755);
	/* the marker goes in first and stays locked until we are done, so a
	 * later build can tell a killed build's folder from a running one's */
	char *marker = fs_join(tmp, MARKER);
	int fd = open(marker, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	int rc = fd < 0 || flock(fd, LOCK_EX) != 0 ? -1 : 0;
	for (size_t done = 0; rc == 0 && done < sizeof marker_note - 1;) {
		ssize_t w = write(fd, marker_note + done, sizeof marker_note - 1 - done);
		if (w < 0 && errno != EINTR)
			rc = -1;
		else if (w > 0)
			done += (size_t)w;
	}
	if (rc != 0) {
		diag_error(d, marker, 0, 0, "cannot write: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		free(marker);
		remove_ours(tmp);
		free(tmp);
		return NULL;
	}
	free(marker);
	struct output *o = xcalloc(1, sizeof *o);
	o->dir = xstrdup(dir);
	o->tmp = tmp;
	o->marker_fd = fd;
	o->root = tmp;
	o->dirs = hs_table_new();
	pthread_mutex_init(&o->dirs_lock, NULL);
	return o;
}

struct output *out_begin_new(const char *dir, const char *site_dir, struct hs_table *manifest,
                             unsigned gen, struct diag *d)
{
	struct output *o = out_begin(dir, site_dir, d);
	if (o && manifest) {
		hs_clear(manifest);
		o->manifest = manifest;
		o->gen = gen;
		pthread_mutex_init(&o->lock, NULL);
	}
	return o;
}

int out_interrupted(const char *dir)
{
	char *journal = fs_join(dir, JOURNAL);
	int there = fs_exists(journal);
	free(journal);
	return there;
}

struct output *out_begin_staged(const char *dir, const char *site_dir, struct hs_table *manifest,
                                unsigned gen, struct diag *d)
{
	struct output *o = out_begin_live(dir, site_dir, manifest, gen, d);
	if (!o)
		return NULL;
	/* what killed builds of the new-tree kind left beside the output */
	char *copy = xstrdup(dir);
	size_t n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	char *slash = strrchr(copy, '/');
	if (slash) {
		*slash = '\0';
		remove_stale(slash == copy ? "/" : copy, slash + 1, dir);
	} else {
		remove_stale(".", copy, dir);
	}
	free(copy);
	/* a build killed from here on leaves the journal: the next one starts
	 * over in a new folder instead of trusting what is in this one */
	char *journal = fs_join(dir, JOURNAL);
	if (fs_write(journal, "staging\n", 8) != 0) {
		diag_error(d, journal, 0, 0, "cannot write: %s", strerror(errno));
		free(journal);
		out_abort(o);
		return NULL;
	}
	free(journal);
	o->staged = 1;
	o->stage_set = hs_table_new();
	return o;
}

struct output *out_begin_live(const char *dir, const char *site_dir, struct hs_table *manifest,
                              unsigned gen, struct diag *d)
{
	const char *why = out_refused(dir, site_dir);
	if (why) {
		diag_error(d, NULL, 0, 0, "refusing to write the site to \"%s\": %s", dir, why);
		return NULL;
	}
	char *marker = fs_join(dir, MARKER);
	if (!fs_exists(marker) && fs_write(marker, marker_note, sizeof marker_note - 1) != 0) {
		diag_error(d, marker, 0, 0, "cannot write: %s", strerror(errno));
		free(marker);
		return NULL;
	}
	free(marker);
	struct output *o = xcalloc(1, sizeof *o);
	o->dir = xstrdup(dir);
	o->root = o->dir;
	o->marker_fd = -1;
	o->manifest = manifest;
	o->gen = gen;
	pthread_mutex_init(&o->lock, NULL);
	return o;
}

static void remove_empty_parents(struct output *o, char *path);

/* The temporary name beside path that a file is written under. */
static char *temp_name(const char *path, const char *what)
{
	const char *slash = strrchr(path, '/');
	return slash ? xasprintf("%.*s/.%s.briefing-%s", (int)(slash - path), path, slash + 1, what)
	             : xasprintf(".%s.briefing-%s", path, what);
}

/* Live: writes path through a temporary name beside it and a rename, so a
 * reader sees the old bytes or the new ones, never a part. */
static int write_replace(const char *path, const char *data, size_t len)
{
	char *tmp = temp_name(path, "tmp");
	int rc = fs_write(tmp, data, len);
	if (rc == 0 && rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		errno = e;
		rc = -1;
	}
	free(tmp);
	return rc;
}

/* Writes path (a file of the new tree) making its folder first, unless
 * this build made it already (fs_write makes it too, after a failed open). */
static int write_new(struct output *o, const char *path, const char *data, size_t len)
{
	const char *slash = strrchr(path, '/');
	char *dir = xstrndup(path, (size_t)(slash - path));
	uint64_t seen;
	pthread_mutex_lock(&o->dirs_lock);
	int made = hs_get(o->dirs, dir, &seen);
	pthread_mutex_unlock(&o->dirs_lock);
	if (!made && fs_mkdirs(dir) == 0) {
		pthread_mutex_lock(&o->dirs_lock);
		hs_put(o->dirs, dir, 1, 0);
		pthread_mutex_unlock(&o->dirs_lock);
	}
	free(dir);
	return fs_write(path, data, len);
}

/* page: OUT_PAGE for a page's file, else 0. Another writer of a page's
 * file (a static file of the same name) leaves it a page's. */
static int write_live(struct output *o, const char *rel, const char *data, size_t len,
                      unsigned page, struct diag *d)
{
	uint64_t hash = hs_bytes(data, len, 0), old;
	unsigned was = 0;
	pthread_mutex_lock(&o->lock);
	int known = hs_find(o->manifest, rel, &old, &was);
	int same = known && old == hash;
	unsigned mark = o->gen | page | (was & OUT_PAGE);
	if (same)
		hs_mark(o->manifest, rel, mark);
	pthread_mutex_unlock(&o->lock);
	if (same)
		return 0;
	char *path = fs_join(o->root, rel);
	int rc;
	if (o->staged) { /* under its temporary name until the commit */
		char *tmp = temp_name(path, "new");
		rc = fs_write(tmp, data, len);
		if (rc != 0) { /* the folders it made go too */
			int e = errno;
			unlink(tmp);
			char *copy = xstrdup(path);
			remove_empty_parents(o, copy);
			free(copy);
			errno = e;
		}
		free(tmp);
	} else if (o->tmp) {
		rc = write_new(o, path, data, len);
	} else if (!known) {
		/* a file no reader has seen yet is written in place: half the calls */
		rc = fs_write(path, data, len);
	} else {
		rc = write_replace(path, data, len);
	}
	if (rc != 0 && atomic_exchange(&o->write_failed, 1) == 0) {
		char *shown = fs_join(o->dir, rel); /* a temporary name means nothing to the user */
		diag_error(d, shown, 0, 0, "cannot write: %s; the build stops writing here",
		           strerror(errno));
		free(shown);
	}
	free(path);
	pthread_mutex_lock(&o->lock);
	if (rc == 0) {
		hs_put(o->manifest, rel, hash, mark);
		o->written++;
		uint64_t seen;
		if (o->staged && !hs_get(o->stage_set, rel, &seen)) { /* once: a site's static
		                                                       * file may replace the theme's */
			hs_put(o->stage_set, rel, 1, 0);
			if (o->n_stage == o->cap_stage) {
				o->cap_stage = o->cap_stage ? o->cap_stage * 2 : 64;
				o->stage = xrealloc(o->stage, o->cap_stage * sizeof *o->stage);
			}
			o->stage[o->n_stage++] = xstrdup(rel);
		}
	}
	pthread_mutex_unlock(&o->lock);
	return rc;
}

/* rel's mark: this build's (a page's file stays a page's), or, to forget
 * a page's file, the mark it had without OUT_PAGE. */
static void remark(struct output *o, const char *rel, int forget)
{
	if (!o->manifest)
		return;
	pthread_mutex_lock(&o->lock);
	uint64_t hash;
	unsigned was;
	if (hs_find(o->manifest, rel, &hash, &was) && (!forget || (was & OUT_PAGE)))
		hs_mark(o->manifest, rel, forget ? was & ~OUT_PAGE : o->gen | (was & OUT_PAGE));
	pthread_mutex_unlock(&o->lock);
}

void out_keep(struct output *o, const char *rel)
{
	remark(o, rel, 0);
}

void out_forget(struct output *o, const char *rel)
{
	remark(o, rel, 1);
}

void out_stats(const struct output *o, size_t *written, size_t *removed)
{
	*written = o->written;
	*removed = o->removed;
}

static int write_file(struct output *o, const char *rel, const char *data, size_t len,
                      unsigned page, struct diag *d)
{
	if (!out_path_ok(rel)) {
		diag_error(d, NULL, 0, 0, "refusing to write \"%s\": not a path inside the output", rel);
		return -1;
	}
	if (atomic_load(&o->write_failed))
		return -1; /* reported once: a full disk fails every write after it */
	if (o->manifest)
		return write_live(o, rel, data, len, page, d);
	char *path = fs_join(o->tmp, rel);
	int rc = write_new(o, path, data, len);
	if (rc != 0 && atomic_exchange(&o->write_failed, 1) == 0) {
		char *shown = fs_join(o->dir, rel); /* the temporary name means nothing to the user */
		diag_error(d, shown, 0, 0, "cannot write: %s; the build stops writing here",
		           strerror(errno));
		free(shown);
	}
	free(path);
	return rc;
}

int out_write(struct output *o, const char *rel, const char *data, size_t len, struct diag *d)
{
	return write_file(o, rel, data, len, 0, d);
}

int out_write_page(struct output *o, const char *rel, const char *data, size_t len,
                   struct diag *d)
{
	return write_file(o, rel, data, len, OUT_PAGE, d);
}

/* Live: every regular file below src/sub through write_live. */
static int copy_live(struct output *o, const char *src, const char *sub, struct diag *d, int depth)
{
	char *dir = *sub ? fs_join(src, sub) : xstrdup(src);
	DIR *dp = depth < 32 ? opendir(dir) : NULL;
	int rc = 0;
	struct dirent *e;
	buf data = BUF_INIT;
	while (dp && (e = readdir(dp))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *rel = *sub ? xasprintf("%s/%s", sub, e->d_name) : xstrdup(e->d_name);
		char *path = fs_join(src, rel);
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			rc |= copy_live(o, src, rel, d, depth + 1);
		} else if (S_ISREG(st.st_mode)) { /* symlinks are skipped, as fs_copytree does */
			if (fs_read(path, &data) != 0) {
				diag_error(d, path, 0, 0, "cannot copy: %s", strerror(errno));
				rc = -1;
			} else {
				rc |= write_live(o, rel, data.ptr, data.len, 0, d);
			}
		}
		free(path);
		free(rel);
	}
	if (dp)
		closedir(dp);
	buf_free(&data);
	free(dir);
	return rc;
}

int out_copy_tree(struct output *o, const char *src, struct diag *d)
{
	if (o->manifest) /* every file through write_live, into the manifest */
		return copy_live(o, src, "", d, 0);
	char *failed = NULL;
	if (fs_copytree(src, o->tmp, &failed) != 0) {
		diag_error(d, failed ? failed : src, 0, 0, "cannot copy: %s", strerror(errno));
		free(failed);
		return -1;
	}
	return 0;
}

/* The previous output is removed on a thread of its own, so that the
 * process can free its memory meanwhile; out_wait() joins it. One at a
 * time: a new commit first waits for the last removal. */
static pthread_mutex_t removal_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_t removal;
static int removing;

static void *remove_tree(void *path)
{
	remove_ours(path);
	free(path);
	return NULL;
}

void out_wait(void)
{
	pthread_mutex_lock(&removal_lock);
	if (removing) {
		pthread_join(removal, NULL);
		removing = 0;
	}
	pthread_mutex_unlock(&removal_lock);
}

/* Removes the old tree at path (taken), in the background when it can. */
static void remove_old(char *path)
{
	out_wait();
	pthread_mutex_lock(&removal_lock);
	if (pthread_create(&removal, NULL, remove_tree, path) == 0) {
		removing = 1;
	} else {
		remove_tree(path);
	}
	pthread_mutex_unlock(&removal_lock);
}

static void out_free(struct output *o)
{
	if (o->marker_fd >= 0)
		close(o->marker_fd); /* releases the lock */
	if (o->manifest)
		pthread_mutex_destroy(&o->lock);
	for (size_t i = 0; i < o->n_stage; i++)
		free(o->stage[i]);
	free(o->stage);
	hs_table_free(o->stage_set);
	if (o->dirs) {
		pthread_mutex_destroy(&o->dirs_lock);
		hs_table_free(o->dirs);
	}
	free(o->dir);
	free(o->tmp);
	free(o);
}

/* Removes the folders above path (a file in the output) that are left
 * empty, up to the root; path is changed. */
static void remove_empty_parents(struct output *o, char *path)
{
	for (char *slash = strrchr(path, '/'); slash && slash > path + strlen(o->root);
	     slash = strrchr(path, '/')) {
		*slash = '\0';
		if (rmdir(path) != 0)
			break;
	}
}

void out_abort(struct output *o)
{
	if (!o)
		return;
	if (o->tmp) /* live: what was written stays, and stays in the manifest */
		remove_ours(o->tmp);
	for (size_t i = 0; o->staged && i < o->n_stage; i++) { /* staged: none of it stays */
		char *path = fs_join(o->root, o->stage[i]);
		char *tmp = temp_name(path, "new");
		unlink(tmp);
		remove_empty_parents(o, path);
		free(tmp);
		free(path);
	}
	if (o->staged) {
		char *journal = fs_join(o->dir, JOURNAL);
		unlink(journal);
		free(journal);
	}
	out_free(o);
}

void out_journal_done(const char *dir)
{
	char *journal = fs_join(dir, JOURNAL);
	unlink(journal);
	free(journal);
}

/* Live: a file the previous build wrote and this one did not. */
static void remove_unlisted(void *ctx, const char *rel, uint64_t hash)
{
	(void)hash;
	struct output *o = ctx;
	if (!out_path_ok(rel))
		return;
	char *path = fs_join(o->root, rel);
	if (unlink(path) == 0)
		o->removed++;
	remove_empty_parents(o, path);
	free(path);
}

void out_prune(struct output *o)
{
	if (o->manifest)
		hs_sweep(o->manifest, o->gen, OUT_PAGE, remove_unlisted, o);
}

int out_commit(struct output *o, struct diag *d)
{
	if (o->staged && atomic_load(&o->write_failed)) { /* callers check errors first */
		diag_error(d, o->dir, 0, 0, "the new site is incomplete; the previous one is kept");
		out_abort(o);
		return -1;
	}
	if (o->staged) { /* every staged file to its name, then what went away */
		char *journal = fs_join(o->dir, JOURNAL);
		fs_write(journal, "commit\n", 7);
		free(journal);
		int rc = 0;
		for (size_t i = 0; i < o->n_stage; i++) {
			char *path = fs_join(o->root, o->stage[i]);
			char *tmp = temp_name(path, "new");
			if (rename(tmp, path) != 0 && rc == 0) {
				diag_error(d, path, 0, 0, "cannot move the new file in place: %s",
				           strerror(errno));
				rc = -1;
			}
			free(tmp);
			free(path);
		}
		if (rc == 0)
			out_prune(o);
		o->staged = 0;
		out_free(o);
		return rc;
	}
	if (o->manifest && !o->tmp) {
		out_prune(o);
		out_free(o);
		return 0;
	}
	if (atomic_load(&o->write_failed)) { /* callers check errors first; this is a backstop */
		diag_error(d, o->dir, 0, 0, "the new site is incomplete; the previous one is kept");
		out_abort(o);
		return -1;
	}
	struct stat st;
	if (lstat(o->dir, &st) != 0) {
		if (rename(o->tmp, o->dir) != 0) {
			diag_error(d, o->dir, 0, 0, "cannot move the new site in place: %s",
			           strerror(errno));
			out_abort(o);
			return -1;
		}
		out_free(o);
		return 0;
	}
	/* swap in one step where the kernel can; else move the old tree aside */
	if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->dir, RENAME_EXCHANGE) == 0) {
		remove_old(o->tmp); /* now the previous output */
		o->tmp = NULL;
		out_free(o);
		return 0;
	}
	char *old = xasprintf("%s.old", o->tmp);
	if (rename(o->dir, old) != 0 || rename(o->tmp, o->dir) != 0) {
		diag_error(d, o->dir, 0, 0, "cannot move the new site in place: %s", strerror(errno));
		if (!fs_exists(o->dir))
			rename(old, o->dir);
		free(old);
		out_abort(o);
		return -1;
	}
	remove_old(old);
	out_free(o);
	return 0;
}
