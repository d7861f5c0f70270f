/* buildcache.c: build's persistent cache. After a good build the whole
 * build state (articles as parsed, views, what every step and page read
 * and made, the output's manifest; not the Lua states, which are made
 * again) goes into one file; the next build of the same site into the same
 * output reads it back and runs as an update that compares every source
 * with it. The file is ignored, never trusted, when anything it depends on
 * may differ: its format or the tool's version, the site's folder or the
 * output's, the options, or any file every step may read (site.yml,
 * scripts, data/, content/ outside articles), and when it is truncated or
 * corrupt (a checksum covers all of it). Ignoring it costs a full build.
 *
 * A warm build changes a small part of the state, so the file it writes
 * is a delta: what it read and did not change (an article's view, a step,
 * a page's record: cachefile.h's items) it leaves where they are in a
 * base, a whole file the delta names with its size and checksum. The
 * whole file a build read becomes the base (a second name for it, in the
 * same folder) of the deltas written after it, until a delta grows past a
 * quarter of its base; then the next build writes a whole file again and
 * the base goes. A base that is missing or not the one named makes the
 * cache ignored, like any other corrupt file. */
#include "build_int.h"

#include <errno.h>
#include <stdio.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cachefile.h"
#include "fsutil.h"
#include "hashes.h"

#define MAGIC "briefing build cache\n"
#define FORMAT 14

/* The output folder as an absolute path (it may not exist yet). */
static char *absolute(const char *path)
{
	char *real = realpath(path, NULL);
	if (real)
		return real;
	if (path[0] == '/')
		return xstrdup(path);
	char cwd[PATH_MAX];
	return getcwd(cwd, sizeof cwd) ? fs_join(cwd, path) : xstrdup(path);
}

/* What the options a cache is only good for hash to. */
static uint64_t options_hash(const struct build_opts *o)
{
	buf b = BUF_INIT;
	buf_printf(&b, "%d %d %d %d %s", o->drafts, o->future, o->clean_urls, o->relative_index,
	           o->base_url ? o->base_url : "-");
	uint64_t h = hs_bytes(b.ptr, b.len, 7);
	buf_free(&b);
	return h;
}

/* The folder of the caches: --cache-dir, $XDG_CACHE_HOME/briefing or
 * ~/.cache/briefing; NULL without any. Caller frees. */
static char *cache_folder(const struct build_opts *o)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	if (o->cache_dir)
		return xstrdup(o->cache_dir);
	if (xdg && *xdg)
		return fs_join(xdg, "briefing");
	if (home && *home)
		return xasprintf("%s/.cache/briefing", home);
	return NULL;
}

char *build_image_cache(const struct build_opts *o)
{
	if (o->no_cache)
		return NULL;
	char *dir = cache_folder(o);
	char *images = dir ? fs_join(dir, "images") : NULL;
	free(dir);
	return images;
}

char *build_cache_path(const struct build_opts *o)
{
	char *dir = cache_folder(o);
	if (!dir)
		return NULL;
	char *site = absolute(o->site_dir && *o->site_dir ? o->site_dir : ".");
	char *out = o->out_dir ? absolute(o->out_dir) : xstrdup("(site.yml)");
	buf key = BUF_INIT;
	buf_printf(&key, "%s\n%s", site, out);
	uint64_t h = hs_bytes(key.ptr, key.len, options_hash(o));
	char *path = xasprintf("%s/%016llx.cache", dir, (unsigned long long)h);
	buf_free(&key);
	free(site);
	free(out);
	free(dir);
	return path;
}

/* ---- what every step may read ---- */

/* Adds the path of name (below the folder open as at; path holds the
 * folder's path, and name's while this runs), its size, time and inode
 * to h (a file changed, even to the same bytes, makes another
 * fingerprint: a full build, never a wrong one); folders recursively, in
 * name order; below skip, all but .md files (inside skip, skip is "").
 * Relative to the folder's descriptor: no walk of the whole path for
 * each of the thousands of topic and person files. */
static uint64_t stamp_at(int at, const char *name, buf *path, uint64_t h, const char *skip,
                         int depth)
{
	size_t mark = path->len;
	if (mark && path->ptr[mark - 1] != '/') /* (as fs_join) */
		buf_putc(path, '/');
	buf_puts(path, name);
	h = hs_bytes(path->ptr, path->len, h);
	struct stat st;
	if (fstatat(at, name, &st, 0) != 0 || depth > 32) {
		h = hs_bytes("-", 1, h);
	} else if (!S_ISDIR(st.st_mode)) {
		long long v[3] = {(long long)st.st_size, (long long)st.st_ino,
		                  (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec};
		h = hs_bytes(v, sizeof v, h);
	} else {
		/* below skip (the articles) only what is not a brief: their images */
		if (skip && !strcmp(path->ptr, skip))
			skip = "";
		int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
		if (!d && fd >= 0)
			close(fd);
		size_t n = 0;
		char **names = d ? fs_list_dir(d, NULL, &n) : NULL;
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(names[i]);
			if (skip && !*skip && len > 3 && !strcmp(names[i] + len - 3, ".md"))
				continue;
			h = stamp_at(dirfd(d), names[i], path, h, skip, depth + 1);
		}
		fs_free_names(names, n);
		if (d)
			closedir(d);
	}
	path->len = mark;
	path->ptr[mark] = '\0';
	return h;
}

/* stamp_at for a file or folder named by path, relative to the folder
 * open as at (AT_FDCWD: the working one); the site's files are named by
 * their place in the site folder, so that "-s ." from the site and
 * "-s /path/to/site" give the same fingerprint (the cache is one per
 * folder either way). */
static uint64_t stamp_tree(int at, const char *path, uint64_t h, const char *skip)
{
	buf p = BUF_INIT;
	h = stamp_at(at, path, &p, h, skip, 0);
	buf_free(&p);
	return h;
}

/* The length of dir without its trailing slashes. */
static size_t dir_len(const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	return n;
}

/* The part of the fingerprint that needs no site opened: the program,
 * site.yml and the site's folders but content/articles, the tool's
 * scripts; dir as the site has it (site_open: "" for "."). */
static uint64_t tree_print(const char *dir, const char *tool_dir)
{
	uint64_t h = hs_bytes(BRIEFING_VERSION, strlen(BRIEFING_VERSION), 1);
	/* the program itself: a rebuilt or reinstalled briefing of the same
	 * version may slug, date or escape differently */
	h = stamp_tree(AT_FDCWD, "/proc/self/exe", h, NULL);
	static const char *const rels[] = {"site.yml", "scripts", "data", "content", NULL};
	int fd = *dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : AT_FDCWD;
	if (fd == -1)
		h = hs_bytes(dir, strlen(dir), h); /* (the build will say why) */
	else
		for (const char *const *r = rels; *r; r++)
			h = stamp_tree(fd, *r, h, "content/articles");
	if (fd >= 0)
		close(fd);
	if (tool_dir) {
		char *tool = fs_join(tool_dir, "scripts");
		h = stamp_tree(AT_FDCWD, tool, h, NULL);
		free(tool);
	}
	return h;
}

/* tree_print and then the scripts the site runs (site.yml may name one
 * elsewhere): those in the site folder by their names in it. */
static uint64_t with_scripts(const struct build *b, uint64_t h)
{
	const char *dir = b->s->cfg.dir;
	size_t n = dir_len(dir);
	int fd = *dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	for (size_t i = 0; i < lb_scripts_count(b->scripts); i++) {
		const char *path = lb_script_path(b->scripts, i);
		if (fd >= 0 && !strncmp(path, dir, n) && path[n] == '/')
			h = stamp_tree(fd, path + n + 1, h, NULL);
		else /* (with the site the working folder, its paths are relative) */
			h = stamp_tree(AT_FDCWD, path, h, NULL);
	}
	if (fd >= 0)
		close(fd);
	return h;
}

static uint64_t fingerprint(const struct build *b)
{
	return with_scripts(b, tree_print(b->s->cfg.dir, b->s->tool_dir));
}

/* tree_print on a thread, beside the site's opening (restore_from). */
struct print_job {
	const char *dir, *tool_dir;
	uint64_t h;
};

static void *print_tree(void *arg)
{
	struct print_job *j = arg;
	j->h = tree_print(j->dir, j->tool_dir);
	return NULL;
}

/* Is the environment variable name set to something but 0 (a test's
 * switch)? */
static int env_on(const char *name)
{
	const char *v = getenv(name);
	return v && *v && strcmp(v, "0") != 0;
}

/* ---- deltas ---- */

/* A base's name: the whole file's, then its checksum. */
static char *base_name(const char *path, uint64_t sum)
{
	const char *slash = strrchr(path, '/');
	return xasprintf("%s.%016llx.base", slash ? slash + 1 : path, (unsigned long long)sum);
}

static char *beside(const char *path, const char *name)
{
	const char *slash = strrchr(path, '/');
	return slash ? xasprintf("%.*s/%s", (int)(slash - path), path, name) : xstrdup(name);
}

/* Removes the bases of the cache file at path but keep (NULL: all of
 * them): what a whole file or a delta over another base left. */
static void remove_bases(const char *path, const char *keep)
{
	char *dir = beside(path, ".");
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	size_t n = strlen(name);
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		size_t len = strlen(e->d_name);
		if (len > n + 6 && !strncmp(e->d_name, name, n) && e->d_name[n] == '.' &&
		    !strcmp(e->d_name + len - 5, ".base") && !(keep && !strcmp(e->d_name, keep)))
			unlinkat(dirfd(d), e->d_name, 0);
	}
	if (d)
		closedir(d);
	free(dir);
}

struct base {
	const char *bytes; /* NULL: write a whole file */
	size_t len;
	char *name;
	uint64_t sum, stamp;
};

/* A file's device, inode, size and modification time, hashed: what a
 * delta records of its base, whose checksum the build writing it found
 * right. A later build finding the same stamp trusts the base without
 * reading it through (120 MB at 10k briefs, 40 ms): any write to the
 * file, or a file put in its place, changes the stamp. */
static uint64_t file_stamp(const struct stat *st)
{
	uint64_t f[5] = {(uint64_t)st->st_dev, (uint64_t)st->st_ino, (uint64_t)st->st_size,
	                 (uint64_t)st->st_mtim.tv_sec, (uint64_t)st->st_mtim.tv_nsec};
	return hs_bytes(f, sizeof f, 0x5354414d50ULL);
}

/* What the file written at path is a delta over: the base of the file
 * read, while that is small beside it; or the file read itself when it
 * is whole, given a base's name. */
static struct base pick_base(const struct build *b, const char *path)
{
	struct base none = {NULL, 0, NULL, 0, 0};
	if (!b->map || env_on("BRIEFING_CACHE_WHOLE"))
		return none;
	if (b->base_map)
		return b->map_len <= b->base_len / 4
		       ? (struct base){b->base_map, b->base_len, xstrdup(b->base_name), b->base_sum,
		                       b->base_stamp}
		       : none;
	uint64_t sum;
	memcpy(&sum, b->map + b->map_len - sizeof sum, sizeof sum);
	/* (a link leaves the modification time: the stamp is the file's) */
	struct base base = {b->map, b->map_len, base_name(path, sum), sum, b->map_stamp};
	char *to = beside(path, base.name);
	struct stat st;
	unlink(to);
	/* the file read is still the one at path: a build beside this one
	 * may have written another since */
	int same = link(path, to) == 0 && stat(to, &st) == 0 &&
	           (unsigned long long)st.st_dev == b->map_dev &&
	           (unsigned long long)st.st_ino == b->map_ino;
	if (!same) {
		unlink(to);
		free(base.name);
		base = none;
	}
	free(to);
	return base;
}

/* Maps the base the file at path is a delta over into b and r; -1 when
 * it is missing or not the file named (size and checksum). Its bytes are
 * read through for the checksum unless its stamp is the one the delta
 * recorded. */
static int map_base(struct build *b, struct cf_reader *r, const char *path, const char *name,
                    uint64_t size, uint64_t sum, uint64_t stamp)
{
	if (!name || !*name || strchr(name, '/') || size < sizeof sum)
		return -1;
	char *file = beside(path, name);
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	free(file);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || (uint64_t)st.st_size != size) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	const char *text = mmap(NULL, (size_t)size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (text == MAP_FAILED)
		return -1;
	uint64_t own;
	memcpy(&own, text + size - sizeof own, sizeof own);
	int trusted = own == sum && file_stamp(&st) == stamp;
	if (own != sum || (!trusted && cf_checksum(text, (size_t)size - sizeof own) != sum)) {
		munmap((void *)text, (size_t)size);
		return -1;
	}
	if (getenv("BRIEFING_CACHE_DEBUG"))
		fprintf(stderr, "cache read: base %s\n", trusted ? "trusted (its stamp)" : "checked");
	b->base_stamp = file_stamp(&st);
	b->base_map = r->base = text;
	b->base_len = r->base_len = (size_t)size;
	b->base_name = xstrdup(name);
	b->base_sum = sum;
	return 0;
}

/* ---- writing ---- */

/* A file, its content's hash and whether it is a page's (OUT_PAGE). */
static void save_manifest_entry(void *ctx, const char *key, uint64_t hash, unsigned mark)
{
	struct cf_writer *w = ctx;
	cf_str(w, key);
	cf_u64(w, hash);
	cf_u64(w, (mark & OUT_PAGE) != 0);
}

/* The steps' section, written on a thread of its own (build_save). */
struct part {
	struct st_state *st;
	struct cf_writer w;
};

static void *save_steps(void *arg)
{
	struct part *p = arg;
	st_save(p->st, &p->w);
	return NULL;
}

int build_save(struct build *b, const char *path)
{
	struct site *s = b->s;
	char *dir = xstrdup(path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	int fd = !slash || fs_mkdirs(dir) == 0
	         ? open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644) : -1;
	free(dir);
	if (fd < 0) {
		free(tmp);
		return -1;
	}
	/* streamed a block at a time: the whole file in memory (108 MiB at
	 * 10k articles) cost more in page faults and copying than writing */
	struct cf_writer w;
	cf_stream(&w, fd);
	buf_puts(&w.b, MAGIC);
	cf_u64(&w, FORMAT);
	cf_str(&w, BRIEFING_VERSION);
	char *site = absolute(*s->cfg.dir ? s->cfg.dir : ".");
	char *out = absolute(s->cfg.output);
	cf_str(&w, site);
	cf_str(&w, out);
	free(site);
	free(out);
	cf_u64(&w, options_hash(&b->o));
	/* the inputs as the build started, when it read the cache: a file
	 * changed since was not read, and the next build must see it */
	cf_u64(&w, b->print ? b->print : fingerprint(b));
	/* what was read and did not change since is written again as it was
	 * read, unless a test wants to see that encoding it gives those bytes;
	 * it is left in the base when there is one */
	int reuse = !env_on("BRIEFING_CACHE_REENCODE");
	struct base base = reuse ? pick_base(b, path) : (struct base){NULL, 0, NULL, 0, 0};
	w.base = base.bytes;
	w.base_len = base.len;
	cf_str(&w, base.name);
	cf_u64(&w, base.len);
	cf_u64(&w, base.sum);
	cf_u64(&w, base.stamp);
	/* the entity files' parses, which the next build reads before its
	 * scan */
	site_save_memos(s, &w);
	/* the manifest first: a reader checks the output against it while it
	 * reads the rest */
	cf_u64(&w, b->gen);
	cf_u64(&w, hs_count(b->manifest));
	hs_each(b->manifest, save_manifest_entry, &w);
	size_t at0 = cf_tell(&w);
	tr_save(s->track, &w);
	size_t at1 = cf_tell(&w);
	for (int i = 0; i < THEME_OBJS; i++)
		cf_u64(&w, b->theme_objs[i]);
	cf_u64(&w, b->sitemap_stamp); /* what the output's sitemap says */
	if (!reuse)
		s->cached_tick = 0; /* (site_save and st_save reuse only what came after it) */
	/* over a base, the steps (mostly where they are in it: a small part)
	 * are written into memory on a thread while the site is written here,
	 * then after it; without one they are streamed as they come */
	struct part steps = {.st = b->steps};
	pthread_t writer;
	int threaded = 0;
	if (base.bytes) {
		cf_memory(&steps.w);
		steps.w.base = w.base;
		steps.w.base_len = w.base_len;
		threaded = pthread_create(&writer, NULL, save_steps, &steps) == 0;
		if (!threaded)
			buf_free(&steps.w.b);
	}
	site_save(s, &w);
	size_t at2 = cf_tell(&w);
	if (threaded) {
		pthread_join(writer, NULL);
		cf_raw(&w, steps.w.b.ptr, steps.w.b.len);
		w.failed |= steps.w.failed;
		buf_free(&steps.w.b);
	} else {
		st_save(b->steps, &w);
	}
	size_t at3 = cf_tell(&w);
	pg_save(b->pages, &w, reuse);
	size_t at4 = cf_tell(&w);
	if (getenv("BRIEFING_CACHE_DEBUG"))
		fprintf(stderr, "cache: track %zu, site %zu, steps %zu, pages %zu bytes%s%s; "
		        "%zu view maps opened\n",
		        at1 - at0, at2 - at1, at3 - at2, at4 - at3, base.name ? ", a delta over " : "",
		        base.name ? base.name : "", val_lazy_filled());
	page_save(&w, b->page404);
	cf_value(&w, theme_prints(b->theme));
	int failed = w.failed;
	int written = cf_finish(&w) == 0;
	written = close(fd) == 0 && written;
	int rc = written && !failed && rename(tmp, path) == 0 ? 0 : -1;
	if (rc != 0)
		unlink(tmp);
	else /* (the mapped files stay readable) */
		remove_bases(path, base.name);
	free(base.name);
	free(tmp);
	return rc;
}

static double clock_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- reading ---- */

struct intact {
	const char *dir;
	struct cf_reader list;  /* the manifest's entries, read into manifest */
	uint64_t n;
	unsigned gen;
	struct hs_table *manifest;
	int ok, bad;            /* bad: the entries' bytes are */
	atomic_int stop;        /* the cache is not used after all */
	double cpu; /* seconds of the checking thread's processor time */
};

/* The folders of the manifest's files (output_intact): for each, whether a
 * listed folder is below it (LISTED_SUB), whether a listed file in it is
 * named other than index.html (LISTED_OTHER), and how many files it holds
 * directly (the rest of the bits). */
enum { LISTED_SUB = 1, LISTED_OTHER = 2, LISTED_ONE = 4 };

struct folders {
	struct hs_table *t;
	buf dir;
};

static void add_folder(void *ctx, const char *file, uint64_t hash, unsigned mark)
{
	(void)hash;
	(void)mark;
	struct folders *f = ctx;
	const char *slash = strrchr(file, '/');
	buf_truncate(&f->dir, 0);
	buf_put(&f->dir, file, slash ? (size_t)(slash - file) : 0);
	buf_putc(&f->dir, '\0');
	uint64_t v = 0;
	int known = hs_get(f->t, f->dir.ptr, &v);
	v += LISTED_ONE;
	if (strcmp(slash ? slash + 1 : file, "index.html") != 0)
		v |= LISTED_OTHER;
	hs_put(f->t, f->dir.ptr, v, 0);
	/* its parents up to the top have a listed folder below them; once one
	 * is known, so are those above it */
	for (char *up; !known && *f->dir.ptr;) {
		up = strrchr(f->dir.ptr, '/');
		*(up ? up : f->dir.ptr) = '\0';
		known = hs_get(f->t, f->dir.ptr, &v);
		hs_put(f->t, f->dir.ptr, known ? v | LISTED_SUB : LISTED_SUB, 0);
	}
}

/* How many regular files under the folder open as fd the manifest lists,
 * path holding the folder's name relative to the output ("" at its top).
 * Walks the folders (26,000 lstat calls at 10k briefs took 0.15 s of
 * processor time), with getdents64 on the descriptor itself (readdir's DIR
 * costs two more system calls a folder), and only those with listed files
 * below them (folders, from add_folder). A folder holding just its listed
 * index.html, as most pages' do, is not opened: one stat of the file,
 * through a name its parent's listing gave as a folder, not a link. (A
 * warm build at 10k briefs made 95,000 system calls before, 58,000 now.)
 * A folder deeper than any the build makes counts nothing, so the output
 * is not taken as intact. */
static size_t count_listed(int fd, buf *path, const struct hs_table *manifest,
                           const struct hs_table *folders, atomic_int *stop, int depth)
{
	size_t n = 0, len = path->len;
	uint64_t v;
	char entries[4096] __attribute__((aligned(8)));
	ssize_t got;
	while (depth < 64 && !atomic_load_explicit(stop, memory_order_relaxed) &&
	       (got = getdents64(fd, entries, sizeof entries)) > 0) {
		for (ssize_t at = 0; at < got;) {
			const struct dirent64 *e = (const struct dirent64 *)(entries + at);
			at += e->d_reclen;
			const char *name = e->d_name;
			if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
				continue;
			unsigned char type = e->d_type;
			struct stat st;
			if (type == DT_UNKNOWN && fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
				type = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR : DT_UNKNOWN;
			if (type != DT_REG && type != DT_DIR)
				continue;
			buf_truncate(path, len);
			if (len)
				buf_putc(path, '/');
			buf_puts(path, name);
			if (type == DT_REG) {
				n += (size_t)hs_get(manifest, path->ptr, &v);
			} else if (!hs_get(folders, path->ptr, &v)) {
				continue; /* nothing listed in it */
			} else if (v == LISTED_ONE) {
				buf_puts(path, "/index.html");
				n += fstatat(fd, path->ptr + (len ? len + 1 : 0), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				     S_ISREG(st.st_mode);
			} else {
				int sub = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
				if (sub >= 0)
					n += count_listed(sub, path, manifest, folders, stop, depth + 1);
			}
		}
	}
	buf_truncate(path, len);
	close(fd);
	return n;
}

/* Reads the manifest's entries (restore_from passed over them) into
 * in->manifest. */
static int read_manifest(struct intact *in)
{
	struct cf_reader *r = &in->list;
	buf name = BUF_INIT; /* (hs_put copies it: no string of its own per file) */
	for (uint64_t i = 0; i < in->n && cf_ok(r); i++) {
		const char *file = cf_get_str_in(r, &name);
		uint64_t hash = cf_get_u64(r);
		unsigned page = cf_get_u64(r) ? OUT_PAGE : 0;
		if (file)
			hs_put(in->manifest, file, hash, in->gen | page);
		else
			r->ok = 0;
	}
	buf_free(&name);
	return cf_ok(r) ? 0 : -1;
}

/* Is every file the manifest lists still in the output, as a regular
 * file? (A folder removed or emptied by hand would otherwise keep the
 * pages an update does not write again missing.) A thread's body, started
 * as soon as the manifest is found, before the site opens: reads the
 * manifest, sets in->ok (and in->bad). */
static void *output_intact(void *arg)
{
	struct intact *in = arg;
	struct timespec t0, t1;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	if (read_manifest(in) != 0) {
		in->ok = 0;
		in->bad = 1;
		return NULL;
	}
	char *marker = fs_join(in->dir, ".briefing-output");
	in->ok = fs_exists(marker);
	free(marker);
	int fd = in->ok ? open(in->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		struct folders f = {hs_table_new(), BUF_INIT};
		hs_each(in->manifest, add_folder, &f);
		buf path = BUF_INIT;
		in->ok = count_listed(fd, &path, in->manifest, f.t, &in->stop, 0) ==
		         hs_count(in->manifest);
		buf_free(&path);
		buf_free(&f.dir);
		hs_table_free(f.t);
	} else {
		in->ok = 0;
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
	in->cpu = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return NULL;
}

static int restore_from(struct build *b, struct cf_reader *r, const char *path,
                        const char **why)
{
	if ((size_t)(r->end - r->p) < sizeof MAGIC - 1 ||
	    memcmp(r->p, MAGIC, sizeof MAGIC - 1) != 0) {
		*why = "not a briefing cache";
		return -1;
	}
	r->p += sizeof MAGIC - 1;
	char *version = NULL, *site = NULL, *out = NULL, *base = NULL;
	int rc = -1, checking = 0;
	pthread_t checker;
	struct intact in = {.ok = 1};
	atomic_init(&in.stop, 0);
	if (cf_get_u64(r) != FORMAT) {
		*why = "written in another format";
		goto done;
	}
	version = cf_get_str(r);
	if (!version || strcmp(version, BRIEFING_VERSION) != 0) {
		*why = "written by another version of briefing";
		goto done;
	}
	site = cf_get_str(r);
	out = cf_get_str(r);
	uint64_t options = cf_get_u64(r), print = cf_get_u64(r);
	if (!cf_ok(r) || options != options_hash(&b->o)) {
		*why = "written with other options";
		goto done;
	}
	base = cf_get_str(r);
	uint64_t base_len = cf_get_u64(r), base_sum = cf_get_u64(r), base_stamp = cf_get_u64(r);
	if (!cf_ok(r))
		goto done;
	if (base && map_base(b, r, path, base, base_len, base_sum, base_stamp) != 0) {
		*why = "a delta over a base file that is gone or changed";
		goto done;
	}
	if (site_load_memos(r, &b->memo_paths, &b->memos) != 0) {
		*why = "truncated or corrupt";
		goto done;
	}
	/* the output check (and the manifest's reading), on a thread beside
	 * everything below, from the output folder the cache names: the site
	 * must name the same one (moved, below) */
	*why = "truncated or corrupt";
	b->gen = (unsigned)cf_get_u64(r);
	in.n = cf_get_u64(r);
	in.list = *r;
	for (uint64_t i = 0; i < in.n && cf_ok(r); i++) {
		if (!cf_skip_str(r))
			r->ok = 0;
		cf_skip_u64(r, 2); /* its hash, and whether it is a page's */
	}
	if (!cf_ok(r) || !out)
		goto done;
	in.dir = out;
	in.gen = b->gen;
	in.manifest = b->manifest = hs_table_new();
	checking = pthread_create(&checker, NULL, output_intact, &in) == 0;
	if (!checking)
		output_intact(&in);
	*why = NULL;
	double t_open = clock_s();
	struct print_job pj = {strcmp(b->o.site_dir, ".") ? b->o.site_dir : "", b->o.tool_dir, 0};
	pthread_t printer;
	int printing = pthread_create(&printer, NULL, print_tree, &pj) == 0;
	b->restoring = 1;
	int opened = build_open(b);
	b->restoring = 0;
	if (printing)
		pthread_join(printer, NULL);
	else
		print_tree(&pj);
	if (opened != 0 || !b->s) {
		*why = "the site does not open";
		goto done;
	}
	struct site *s = b->s;
	char *now_site = absolute(*s->cfg.dir ? s->cfg.dir : ".");
	char *now_out = absolute(s->cfg.output);
	int moved = !site || !out || strcmp(site, now_site) || strcmp(out, now_out);
	free(now_site);
	free(now_out);
	if (moved) {
		*why = "written for a site or an output in another folder";
		goto done;
	}
	if (b->legacy) {
		*why = "a script has whole-site hooks";
		goto done;
	}
	b->print = with_scripts(b, pj.h);
	if (print != b->print) {
		*why = "settings, scripts, data or entity files changed";
		goto done;
	}
	if (out_interrupted(s->cfg.output)) {
		*why = "the last build of this output was interrupted";
		goto done;
	}
	*why = "truncated or corrupt";
	double t0 = clock_s();
	if (tr_load(s->track, r) != 0)
		goto done;
	double t1 = clock_s();
	for (int i = 0; i < THEME_OBJS; i++) {
		uint32_t theme = (uint32_t)cf_get_u64(r);
		if (tr_attach(s->track, theme, TR_SITE, s) != 0)
			goto done;
		b->theme_objs[i] = theme;
	}
	b->sitemap_stamp = cf_get_u64(r);
	if (site_load(s, r) != 0)
		goto done;
	hs_clear(b->paths); /* the cache's articles, not the scan's */
	for (size_t i = 0; i < s->n_all; i++)
		hs_put(b->paths, s->all[i]->path, i, 0);
	double t2 = clock_s();
	b->steps = st_new(s, b->scripts, b->main);
	if (st_load(b->steps, r) != 0)
		goto done;
	double t3 = clock_s();
	if (pg_load(b->pages, r) != 0)
		goto done;
	if (getenv("BRIEFING_CACHE_DEBUG"))
		fprintf(stderr, "cache read: open %.3f, track %.3f, site %.3f, steps %.3f, pages %.3f s; "
		        "%zu view maps opened; %zu of %zu topic and person files not parsed\n",
		        t0 - t_open, t1 - t0, t2 - t1, t3 - t2, clock_s() - t3, val_lazy_filled(),
		        s->n_memos_read, s->n_file_topics + s->n_file_people);
	b->page404 = page_load(r);
	b->prints = cf_get_value(r);
	if (!cf_ok(r) || r->p != r->end)
		goto done;
	double t_join = clock_s();
	if (checking)
		pthread_join(checker, NULL);
	checking = 0;
	if (getenv("BRIEFING_CACHE_DEBUG"))
		fprintf(stderr, "cache read: output checked in %.3f s of processor time; "
		        "waited %.3f s for it\n", in.cpu, clock_s() - t_join);
	if (in.bad)
		goto done;
	if (!in.ok) {
		*why = "the output folder is not as the last build left it";
		goto done;
	}
	rc = 0;
	b->restored = 1;
	*why = NULL;
done:
	if (checking) {
		atomic_store(&in.stop, 1);
		pthread_join(checker, NULL);
	}
	hs_table_free(b->memo_paths); /* (when the site did not take them) */
	b->memo_paths = NULL;
	free(b->memos);
	b->memos = NULL;
	free(version);
	free(site);
	free(out);
	free(base);
	return rc;
}

int build_restore(struct build *b, const char *path, const char **why)
{
	/* mapped, not read: the strings of the state point into it, so it
	 * stays mapped for the life of the process (a later save writes a new
	 * file and renames it over this one, which leaves the mapping alone) */
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		*why = errno == ENOENT ? "none yet" : "cannot be read";
		if (fd >= 0)
			close(fd);
		return -1;
	}
	size_t size = (size_t)st.st_size;
	const char *text = size ? mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0) : MAP_FAILED;
	close(fd);
	uint64_t sum;
	int rc = -1;
	if (text == MAP_FAILED || size < sizeof sum) {
		*why = "truncated or corrupt";
	} else {
		memcpy(&sum, text + size - sizeof sum, sizeof sum);
		if (sum != cf_checksum(text, size - sizeof sum)) {
			*why = "truncated or corrupt";
		} else {
			struct cf_reader r = {.p = text, .end = text + size - sizeof sum, .ok = 1, .borrow = 1};
			b->arena = val_arena_new();
			val_arena_use(b->arena);
			rc = restore_from(b, &r, path, why);
			val_arena_use(NULL);
		}
	}
	if (rc == 0) {
		b->map = text;
		b->map_len = size;
		b->map_dev = (unsigned long long)st.st_dev;
		b->map_ino = (unsigned long long)st.st_ino;
		b->map_stamp = file_stamp(&st);
	} else if (text != MAP_FAILED) {
		munmap((void *)text, size);
	}
	if (rc != 0) { /* nothing half read stays */
		build_drop(b);
		hs_table_free(b->manifest);
		b->manifest = NULL;
		val_free(b->prints);
		b->prints = NULL;
		val_arena_free(b->arena);
		b->arena = NULL;
		if (b->base_map)
			munmap((void *)b->base_map, b->base_len);
		b->base_map = NULL;
		free(b->base_name);
		b->base_name = NULL;
	}
	return rc;
}
