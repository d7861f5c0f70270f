/* output.c: temporary folder, checked writes, atomic swap. Nothing here
 * deletes anything but the temporary folder it made and the previous
 * output tree it replaced (which carries briefing's marker file). */
#include "output.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"

#define MARKER ".briefing-output"

struct output {
	char *dir;  /* the output folder as given */
	char *tmp;  /* the temporary folder beside it */
};

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

struct output *out_begin(const char *dir, const char *site_dir, struct diag *d)
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
	free(site);
	free(cwd);
	free(home_real);
	if (why) {
		diag_error(d, NULL, 0, 0, "refusing to write the site to \"%s\": %s", dir, why);
		free(real);
		return NULL;
	}
	free(real);

	/* the temporary folder goes beside the output, on the same file system */
	char *copy = xstrdup(dir);
	size_t n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/')
		copy[--n] = '\0';
	char *slash = strrchr(copy, '/');
	char *parent, *base;
	if (slash) {
		*slash = '\0';
		parent = xstrdup(slash == copy ? "/" : copy);
		base = xstrdup(slash + 1);
	} else {
		parent = xstrdup(".");
		base = xstrdup(copy);
	}
	free(copy);
	if (fs_mkdirs(parent) != 0) {
		diag_error(d, NULL, 0, 0, "cannot create \"%s\": %s", parent, strerror(errno));
		free(parent);
		free(base);
		return NULL;
	}
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
	struct output *o = xcalloc(1, sizeof *o);
	o->dir = xstrdup(dir);
	o->tmp = tmp;
	return o;
}

int out_write(struct output *o, const char *rel, const char *data, size_t len, struct diag *d)
{
	if (!out_path_ok(rel)) {
		diag_error(d, NULL, 0, 0, "refusing to write \"%s\": not a path inside the output", rel);
		return -1;
	}
	char *path = fs_join(o->tmp, rel);
	int rc = fs_write(path, data, len);
	if (rc != 0)
		diag_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
	free(path);
	return rc;
}

int out_copy_tree(struct output *o, const char *src, struct diag *d)
{
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
	fs_rmtree(path);
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
	free(o->dir);
	free(o->tmp);
	free(o);
}

void out_abort(struct output *o)
{
	if (!o)
		return;
	fs_rmtree(o->tmp);
	out_free(o);
}

int out_commit(struct output *o, struct diag *d)
{
	char *marker = fs_join(o->tmp, MARKER);
	static const char note[] = "This folder is written by `briefing build`; "
	                           "its contents are replaced on every build.\n";
	int rc = fs_write(marker, note, sizeof note - 1);
	free(marker);
	if (rc != 0) {
		diag_error(d, o->tmp, 0, 0, "cannot write: %s", strerror(errno));
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
