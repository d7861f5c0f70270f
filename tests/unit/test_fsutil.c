/* Unit tests: reading a whole file (fs_read), whatever its size, and
 * files whose size says nothing (a pipe, /proc). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../src/buf.h"
#include "../../src/fsutil.h"
#include "test.h"

static char dir[] = "/tmp/briefing-fsutil-XXXXXX";

static char *write_file(const char *name, const char *bytes, size_t n)
{
	char *path = fs_join(dir, name);
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	if (f) {
		CHECK(fwrite(bytes, 1, n, f) == n);
		fclose(f);
	}
	return path;
}

/* the bytes, exactly, with a NUL after them: empty, small, one byte past
 * a 64 KiB block, and large */
static void reads_whole_files(void)
{
	static const size_t sizes[] = {0, 1, 570, 65535, 65536, 65537, 300000};
	for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
		size_t n = sizes[k];
		char *bytes = malloc(n + 1);
		for (size_t i = 0; i < n; i++)
			bytes[i] = (char)('a' + (i * 7 + k) % 26);
		char *path = write_file("f.md", bytes, n);
		buf b = BUF_INIT;
		CHECK(fs_read(path, &b) == 0);
		CHECK(b.len == n);
		CHECK(b.len == n && memcmp(b.ptr, bytes, n) == 0);
		CHECK(b.ptr && b.ptr[b.len] == '\0');
		/* the same buffer again, for a shorter file: emptied first */
		CHECK(fs_read(path, &b) == 0 && b.len == n);
		buf_free(&b);
		unlink(path);
		free(path);
		free(bytes);
	}
}

/* a file that reports size 0 (as /proc's do) is read to its end */
static void reads_proc_files(void)
{
	buf b = BUF_INIT;
	CHECK(fs_read("/proc/self/status", &b) == 0);
	CHECK(b.len > 100 && strstr(b.ptr, "Name:") && strstr(b.ptr, "VmPeak:"));
	buf_free(&b);
}

/* a folder or a missing file is an error, with errno set */
static void refuses_folders(void)
{
	buf b = BUF_INIT;
	errno = 0;
	CHECK(fs_read(dir, &b) != 0 && errno == EISDIR);
	char *missing = fs_join(dir, "missing.md");
	errno = 0;
	CHECK(fs_read(missing, &b) != 0 && errno == ENOENT);
	free(missing);
	buf_free(&b);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(reads_whole_files);
	RUN(reads_proc_files);
	RUN(refuses_folders);
	rmdir(dir);
	return TEST_MAIN_END();
}
