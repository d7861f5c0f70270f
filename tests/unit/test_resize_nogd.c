/* test_resize_nogd.c: resize.c compiled to open a libgd that is not there,
 * as on a machine where the library was removed after the build. An image
 * then gets no copies: rsz_copies fails, says why once (not per image),
 * and does not mark the image as bad in the cache, since it is not the
 * image's fault; with libgd back, its copies are made. */
#ifdef GD_SONAME
#undef GD_SONAME
#endif
#define GD_SONAME "libbriefing-test-no-such-gd.so.0"
#include "../../src/resize.c"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "test.h"

#ifdef BRIEFING_HAVE_GD
/* how many entries the folder holds, . and .. aside */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d)
		closedir(d);
	return n;
}

static void missing_library(void)
{
	char dir[] = "/tmp/briefing-nogd-XXXXXX", log[] = "/tmp/briefing-nogd-log-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	int fd = mkstemp(log);
	CHECK(fd >= 0);
	/* stderr into the log while the two images are tried */
	fflush(stderr);
	int saved = dup(2);
	dup2(fd, 2);
	static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x40\0\0\0\x20\x08\x06\0\0\0";
	unsigned widths[] = {16, 32};
	buf out[2] = {BUF_INIT, BUF_INIT};
	int first = rsz_copies(dir, "a.png", png, sizeof png - 1, widths, 2, out);
	int second = rsz_copies(dir, "b.png", png, sizeof png - 1, widths, 1, NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	CHECK_INT(first, -1);
	CHECK_INT(second, -1);
	CHECK_INT(entries(dir), 0); /* no copies, and no mark of a bad image */
	buf text = BUF_INIT;
	CHECK(fs_read(log, &text) == 0);
	buf_putc(&text, '\0');
	CHECK(strstr(text.ptr, "briefing: warning: libbriefing-test-no-such-gd.so.0: ") == text.ptr);
	const char *said = strstr(text.ptr, "images get no smaller copies\n");
	CHECK(said != NULL);
	/* once, not per image: the line is the log's last and only one */
	CHECK(said && said[strlen("images get no smaller copies\n")] == '\0');
	buf_free(&text);
	buf_free(&out[0]);
	buf_free(&out[1]);
	close(fd);
	unlink(log);
	rmdir(dir);
}
#endif

int main(void)
{
#ifdef BRIEFING_HAVE_GD
	RUN(missing_library);
#else
	printf("ok - missing_library # SKIP built without libgd\n");
#endif
	return TEST_MAIN_END();
}
