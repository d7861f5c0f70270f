/* Unit tests: output folder safety (path checks, refusals, atomic swap,
 * removal of killed builds' temporary folders)
 * and the worker pool. */
#include <dirent.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <sys/file.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/buf.h"
#include "../../src/fsutil.h"
#include "../../src/output.h"
#include "../../src/pool.h"
#include "test.h"

static char tmp[] = "/tmp/briefing-out-XXXXXX";

static void path_checks(void)
{
	CHECK(out_path_ok("index.html"));
	CHECK(out_path_ok("topics/x/index.html"));
	CHECK(!out_path_ok(""));
	CHECK(!out_path_ok("/etc/passwd"));
	CHECK(!out_path_ok("../x"));
	CHECK(!out_path_ok("a/../../x"));
	CHECK(!out_path_ok("a/./b"));
	CHECK(!out_path_ok("a//b"));
	CHECK(!out_path_ok("a\\b"));
	CHECK(!out_path_ok("a\nb"));
}

static void refusals(void)
{
	struct diag *d = diag_new();
	char *site = fs_join(tmp, "site");
	fs_mkdirs(site);
	CHECK(out_begin("/", site, d) == NULL);
	CHECK(out_begin(site, site, d) == NULL);
	CHECK(out_begin(tmp, site, d) == NULL);
	char *other = fs_join(tmp, "other");
	fs_write(other, "x", 1);
	char *full = fs_join(tmp, "full");
	char *keep = fs_join(full, "keep.txt");
	fs_write(keep, "mine", 4);
	CHECK(out_begin(other, site, d) == NULL);
	CHECK(out_begin(full, site, d) == NULL);
	CHECK(fs_exists(keep));
	CHECK_INT(diag_count(d, DIAG_ERROR), 5);
	const char *m = diag_message(d, 4, NULL);
	CHECK(m && strstr(m, "not empty and was not made by briefing"));
	free(site);
	free(other);
	free(full);
	free(keep);
	diag_free(d);
}

/* Folders named like a build's temporary folder in dir. */
static int count_tmp(const char *dir)
{
	int n = 0;
	DIR *dd = opendir(dir);
	struct dirent *e;
	while (dd && (e = readdir(dd)) != NULL)
		n += strstr(e->d_name, ".tmp-") != NULL;
	if (dd)
		closedir(dd);
	return n;
}

static void swap(void)
{
	struct diag *d = diag_new();
	char *site = fs_join(tmp, "site");
	char *pub = fs_join(site, "public");
	struct output *o = out_begin(pub, site, d);
	CHECK(o != NULL);
	CHECK_INT(out_write(o, "a/index.html", "one", 3, d), 0);
	CHECK_INT(out_write(o, "../evil", "x", 1, d), -1);
	CHECK_INT(out_commit(o, d), 0);
	char *a = fs_join(pub, "a/index.html");
	buf b = BUF_INIT;
	CHECK_INT(fs_read(a, &b), 0);
	CHECK_STR(b.ptr, "one");
	/* second build replaces the tree; an aborted third leaves it alone */
	o = out_begin(pub, site, d);
	CHECK(o != NULL);
	out_write(o, "b.html", "two", 3, d);
	CHECK_INT(out_commit(o, d), 0);
	CHECK(!fs_exists(a));
	out_wait(); /* the old tree, removed in the background, is gone */
	CHECK_INT(count_tmp(site), 0);
	char *bb = fs_join(pub, "b.html");
	CHECK(fs_exists(bb));
	o = out_begin(pub, site, d);
	out_write(o, "c.html", "three", 5, d);
	out_abort(o);
	CHECK(fs_exists(bb));
	char *c = fs_join(pub, "c.html");
	CHECK(!fs_exists(c));
	char *evil = fs_join(site, "evil");
	CHECK(!fs_exists(evil));
	CHECK_INT(diag_count(d, DIAG_ERROR), 1);
	buf_free(&b);
	free(site);
	free(pub);
	free(a);
	free(bb);
	free(c);
	free(evil);
	diag_free(d);
}

/* A killed build's temporary folder goes with the next build; a running
 * build's (its marker locked), and look-alikes without the marker, stay. */
static void stale(void)
{
	struct diag *d = diag_new();
	char *site = fs_join(tmp, "site2");
	char *pub = fs_join(site, "public");
	fs_mkdirs(site);
	struct output *o = out_begin(pub, site, d);
	CHECK_INT(out_commit(o, d), 0);
	buf note = BUF_INIT;
	char *marker = fs_join(pub, ".briefing-output");
	CHECK_INT(fs_read(marker, &note), 0);
	char *killed = fs_join(site, ".public.tmp-Killed/.briefing-output");
	char *killed_page = fs_join(site, ".public.tmp-Killed/a/index.html");
	char *running = fs_join(site, ".public.tmp-Runnin/.briefing-output");
	char *foreign = fs_join(site, ".public.tmp-NoMark/keep.txt");
	fs_write(killed, note.ptr, note.len);
	fs_write(killed_page, "x", 1);
	fs_write(running, note.ptr, note.len);
	fs_write(foreign, "x", 1);
	int fd = open(running, O_RDONLY);
	CHECK(fd >= 0 && flock(fd, LOCK_EX) == 0);
	o = out_begin(pub, site, d);
	CHECK(o != NULL);
	CHECK(!fs_exists(killed_page));
	CHECK(!fs_exists(killed));
	CHECK(fs_exists(running));
	CHECK(fs_exists(foreign));
	out_abort(o);
	close(fd);
	CHECK_INT(diag_count(d, DIAG_ERROR), 0);
	CHECK(out_refused(site, site) != NULL);
	CHECK(out_refused(pub, site) == NULL);
	buf_free(&note);
	free(marker);
	free(killed);
	free(killed_page);
	free(running);
	free(foreign);
	free(site);
	free(pub);
	diag_free(d);
}

static atomic_int seen[1000];

static void mark(void *ctx, int worker, size_t i)
{
	(void)ctx;
	(void)worker;
	atomic_fetch_add(&seen[i], 1);
}

static void pool_each_once(void)
{
	pool_run(4, 1000, mark, NULL);
	int bad = 0;
	for (int i = 0; i < 1000; i++)
		bad += atomic_load(&seen[i]) != 1;
	CHECK_INT(bad, 0);
	pool_run(3, 0, mark, NULL);
}

int main(void)
{
	if (!mkdtemp(tmp))
		return 2;
	RUN(path_checks);
	RUN(refusals);
	RUN(swap);
	RUN(stale);
	RUN(pool_each_once);
	fs_rmtree(tmp);
	return TEST_MAIN_END();
}
