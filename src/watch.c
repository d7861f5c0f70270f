/* watch.c: inotify watches over the site's source folders, added for every
 * folder below them (and for folders made later), events collected into a
 * set of changed paths until the burst has been quiet for a while. When
 * inotify cannot be used (no kernel support, the watch limit reached, or
 * BRIEFING_WATCH=poll) it polls a fingerprint of sizes and mtimes instead
 * and reports "everything" on a change. */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "fsutil.h"

/* The top-level names of a site that hold its sources. */
static const char *const watched[] = {"content", "scripts", "templates", "themes",
                                      "static",  "data",    "site.yml",  NULL};

#define MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE)
#define MAX_DEPTH 32
#define MAX_BURST_MS 2000 /* a steady stream of events still rebuilds this often */

struct watch {
	char *site_dir;   /* "" for the current folder */
	int fd;           /* inotify descriptor, -1 when polling */
	char **dirs;      /* site-relative folder of each watch descriptor ("" for the site) */
	size_t n_dirs;    /* slots in dirs (indexed by wd) */
	char **pending;   /* changed paths of the burst so far (unsorted, may repeat) */
	size_t n_pending, cap_pending;
	int all;
	uint64_t fingerprint; /* polling */
};

int watch_ignored_name(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || name[0] == '.')
		return 1; /* dotfiles: ".#x" (Emacs locks), ".x.swp" (Vim), "." and ".." */
	if (name[n - 1] == '~' || (name[0] == '#' && name[n - 1] == '#'))
		return 1; /* backups, Emacs auto-saves */
	if (strcmp(name, "4913") == 0)
		return 1; /* Vim's probe for a writable folder */
	static const char *const suffixes[] = {".swp", ".swx", ".swo", NULL};
	for (const char *const *s = suffixes; *s; s++) {
		size_t k = strlen(*s);
		if (n > k && strcmp(name + n - k, *s) == 0)
			return 1;
	}
	return 0;
}

/* Is rel (site-relative) a source path: below a watched name, with no
 * ignored component? */
static int relevant(const char *rel)
{
	size_t first = strcspn(rel, "/");
	int top = 0;
	for (const char *const *w = watched; *w && !top; w++)
		top = strlen(*w) == first && strncmp(rel, *w, first) == 0;
	if (!top)
		return 0;
	const char *p = rel;
	while (*p) {
		size_t n = strcspn(p, "/");
		char *name = xstrndup(p, n);
		int ignored = watch_ignored_name(name);
		free(name);
		if (ignored)
			return 0;
		p += n;
		if (*p == '/')
			p++;
	}
	return 1;
}

static void add_pending(struct watch *w, const char *rel)
{
	if (w->n_pending == w->cap_pending) {
		w->cap_pending = w->cap_pending ? w->cap_pending * 2 : 16;
		w->pending = xrealloc(w->pending, w->cap_pending * sizeof *w->pending);
	}
	w->pending[w->n_pending++] = xstrdup(rel);
}

static char *rel_join(const char *dir, const char *name)
{
	return *dir ? xasprintf("%s/%s", dir, name) : xstrdup(name);
}

/* ---- inotify ---- */

static int add_one(struct watch *w, const char *rel)
{
	char *path = *rel ? fs_join(w->site_dir, rel) : xstrdup(*w->site_dir ? w->site_dir : ".");
	int wd = inotify_add_watch(w->fd, path, MASK | IN_ONLYDIR);
	free(path);
	if (wd < 0)
		return errno == ENOSPC ? -1 : 0; /* a folder gone meanwhile is no failure */
	if ((size_t)wd >= w->n_dirs) {
		size_t n = (size_t)wd * 2 + 16;
		w->dirs = xrealloc(w->dirs, n * sizeof *w->dirs);
		memset(w->dirs + w->n_dirs, 0, (n - w->n_dirs) * sizeof *w->dirs);
		w->n_dirs = n;
	}
	free(w->dirs[wd]);
	w->dirs[wd] = xstrdup(rel);
	return 0;
}

/* Watches rel and every folder below it. With report, the files found are
 * changes (a folder made or moved in with files already in it). Returns -1
 * when the kernel's watch limit is reached. */
static int add_tree(struct watch *w, const char *rel, int report, int depth)
{
	if (depth > MAX_DEPTH || add_one(w, rel) != 0)
		return depth > MAX_DEPTH ? 0 : -1;
	char *path = fs_join(w->site_dir, rel);
	DIR *d = opendir(path);
	int rc = 0;
	struct dirent *e;
	while (d && rc == 0 && (e = readdir(d))) {
		if (watch_ignored_name(e->d_name))
			continue;
		char *child = rel_join(rel, e->d_name);
		char *full = fs_join(w->site_dir, child);
		struct stat st;
		if (stat(full, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = add_tree(w, child, report, depth + 1);
			else if (report)
				add_pending(w, child);
		}
		free(full);
		free(child);
	}
	if (d)
		closedir(d);
	free(path);
	return rc;
}

/* Forgets the watches on rel and below (a folder moved away). */
static void drop_tree(struct watch *w, const char *rel)
{
	size_t n = strlen(rel);
	for (size_t i = 0; i < w->n_dirs; i++) {
		const char *d = w->dirs[i];
		if (d && strncmp(d, rel, n) == 0 && (d[n] == '\0' || d[n] == '/')) {
			inotify_rm_watch(w->fd, (int)i);
			free(w->dirs[i]);
			w->dirs[i] = NULL;
		}
	}
}

static int start_inotify(struct watch *w)
{
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0)
		return -1;
	if (add_one(w, "") != 0)
		return -1;
	for (const char *const *name = watched; *name; name++) {
		char *path = fs_join(w->site_dir, *name);
		int is_dir = fs_is_dir(path);
		free(path);
		if (is_dir && add_tree(w, *name, 0, 0) != 0)
			return -1;
	}
	return 0;
}

/* Handles one event; returns 1 when it names a source path. */
static int on_event(struct watch *w, const struct inotify_event *ev)
{
	if (ev->mask & IN_Q_OVERFLOW) {
		w->all = 1; /* events were lost */
		return 1;
	}
	if (ev->wd < 0 || (size_t)ev->wd >= w->n_dirs || !w->dirs[ev->wd])
		return 0;
	if (ev->mask & IN_IGNORED) {
		free(w->dirs[ev->wd]);
		w->dirs[ev->wd] = NULL;
		return 0;
	}
	if (!ev->len)
		return 0;
	char *rel = rel_join(w->dirs[ev->wd], ev->name);
	int hit = relevant(rel);
	if (hit) {
		if (ev->mask & IN_ISDIR) {
			if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
				if (add_tree(w, rel, 1, 0) != 0)
					w->all = 1; /* out of watches: this burst at least is whole */
			} else if (ev->mask & IN_MOVED_FROM) {
				drop_tree(w, rel);
			}
		}
		add_pending(w, rel);
	}
	free(rel);
	return hit;
}

/* Reads every queued event; returns 1 when any named a source path. */
static int drain(struct watch *w)
{
	char events[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	int hit = 0;
	for (;;) {
		ssize_t n = read(w->fd, events, sizeof events);
		if (n <= 0)
			break;
		for (char *p = events; p < events + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			hit |= on_event(w, ev);
			p += sizeof *ev + ev->len;
		}
	}
	return hit;
}

/* ---- polling ---- */

/* Adds size, mtime and name of every file below dir to *sum. */
static void fingerprint_dir(const char *dir, uint64_t *sum, int depth)
{
	if (depth > MAX_DEPTH)
		return;
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (watch_ignored_name(e->d_name))
			continue;
		char *path = fs_join(dir, e->d_name);
		struct stat st;
		if (lstat(path, &st) == 0) {
			uint64_t h = 1469598103934665603ull;
			for (const char *p = e->d_name; *p; p++)
				h = (h ^ (unsigned char)*p) * 1099511628211ull;
			*sum += h ^ ((uint64_t)st.st_size * 31) ^ ((uint64_t)st.st_mtim.tv_sec * 1000003) ^
			        (uint64_t)st.st_mtim.tv_nsec;
			if (S_ISDIR(st.st_mode))
				fingerprint_dir(path, sum, depth + 1);
		}
		free(path);
	}
	closedir(d);
}

static uint64_t fingerprint(const char *site_dir)
{
	uint64_t sum = 0;
	for (const char *const *w = watched; *w; w++) {
		char *path = fs_join(site_dir, *w);
		struct stat st;
		if (stat(path, &st) == 0) {
			sum += (uint64_t)st.st_mtim.tv_sec * 7 + (uint64_t)st.st_size;
			if (S_ISDIR(st.st_mode))
				fingerprint_dir(path, &sum, 0);
		}
		free(path);
	}
	return sum;
}

static int poll_wait(struct watch *w, volatile sig_atomic_t *stop, int quiet_ms)
{
	while (!*stop) {
		usleep(250 * 1000);
		uint64_t now = fingerprint(w->site_dir);
		if (now == w->fingerprint)
			continue;
		/* mtimes can be coarse: settle for at least 150 ms */
		int settle = quiet_ms > 150 ? quiet_ms : 150;
		do {
			w->fingerprint = now;
			usleep((useconds_t)settle * 1000);
			now = fingerprint(w->site_dir);
		} while (now != w->fingerprint && !*stop);
		w->all = 1;
		return !*stop;
	}
	return 0;
}

/* ---- both ---- */

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

struct watch *watch_new(const char *site_dir)
{
	struct watch *w = xcalloc(1, sizeof *w);
	w->site_dir = xstrdup(strcmp(site_dir, ".") == 0 ? "" : site_dir);
	w->fd = -1;
	const char *env = getenv("BRIEFING_WATCH");
	if ((!env || strcmp(env, "poll") != 0) && start_inotify(w) == 0)
		return w;
	if (w->fd >= 0) {
		close(w->fd);
		w->fd = -1;
		fprintf(stderr, "briefing serve: too many folders for inotify watches "
		                "(fs.inotify.max_user_watches); polling instead\n");
	}
	for (size_t i = 0; i < w->n_dirs; i++)
		free(w->dirs[i]);
	free(w->dirs);
	w->dirs = NULL;
	w->n_dirs = 0;
	w->fingerprint = fingerprint(w->site_dir);
	return w;
}

const char *watch_method(const struct watch *w)
{
	return w->fd >= 0 ? "inotify" : "polling";
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int watch_wait(struct watch *w, volatile sig_atomic_t *stop, int quiet_ms,
               struct watch_changes *ch)
{
	memset(ch, 0, sizeof *ch);
	int got = 0;
	if (w->fd < 0) {
		got = poll_wait(w, stop, quiet_ms);
	} else {
		long long first = 0;
		while (!*stop) {
			struct pollfd p = {.fd = w->fd, .events = POLLIN};
			int r = poll(&p, 1, got ? quiet_ms : 250);
			if (r < 0 && errno != EINTR)
				break;
			if (r == 0 && got)
				break; /* quiet: the burst is over */
			if (r > 0 && drain(w) && !got) {
				got = 1;
				first = now_ms();
			}
			if (got && now_ms() - first > MAX_BURST_MS)
				break;
		}
		got = got && !*stop;
	}
	if (got) {
		if (w->n_pending)
			qsort(w->pending, w->n_pending, sizeof *w->pending, cmp_str);
		size_t kept = 0;
		for (size_t i = 0; i < w->n_pending; i++) {
			if (kept && strcmp(w->pending[kept - 1], w->pending[i]) == 0)
				free(w->pending[i]);
			else
				w->pending[kept++] = w->pending[i];
		}
		ch->paths = w->pending;
		ch->n = kept;
		ch->all = w->all;
		w->pending = NULL;
	} else {
		for (size_t i = 0; i < w->n_pending; i++)
			free(w->pending[i]);
		free(w->pending);
		w->pending = NULL;
	}
	w->n_pending = w->cap_pending = 0;
	w->all = 0;
	return got;
}

void watch_changes_free(struct watch_changes *ch)
{
	for (size_t i = 0; i < ch->n; i++)
		free(ch->paths[i]);
	free(ch->paths);
	memset(ch, 0, sizeof *ch);
}

void watch_free(struct watch *w)
{
	if (!w)
		return;
	if (w->fd >= 0)
		close(w->fd);
	for (size_t i = 0; i < w->n_dirs; i++)
		free(w->dirs[i]);
	free(w->dirs);
	for (size_t i = 0; i < w->n_pending; i++)
		free(w->pending[i]);
	free(w->pending);
	free(w->site_dir);
	free(w);
}
