/* fsutil.c: whole-file I/O and tree operations. */
#include "fsutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Closes fd after a failed call and returns -1 with that call's errno,
 * which close() would otherwise overwrite. */
static int fail_closing(int fd, int err)
{
	close(fd);
	errno = err;
	return -1;
}

int fs_read(const char *path, buf *b)
{
	buf_reset(b);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0)
		return fail_closing(fd, errno);
	if (S_ISDIR(st.st_mode))
		return fail_closing(fd, EISDIR);
	/* room for the whole file and a byte more: a regular file's read that
	 * fills less than it asked is its end, without a read that says so
	 * (a system call on each of 13,000 files) */
	int regular = S_ISREG(st.st_mode) && st.st_size > 0; /* (not /proc's, of size 0) */
	buf_grow(b, regular ? (size_t)st.st_size + 1 : 65536);
	for (;;) {
		if (b->cap - b->len - 1 == 0)
			buf_grow(b, 65536);
		size_t want = b->cap - b->len - 1;
		ssize_t n = read(fd, b->ptr + b->len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail_closing(fd, errno);
		if (n == 0)
			break;
		b->len += (size_t)n;
		if (regular && (size_t)n < want)
			break;
	}
	b->ptr[b->len] = '\0';
	close(fd);
	return 0;
}

int fs_mkdirs(const char *path)
{
	if (mkdir(path, 0755) == 0)
		return 0;
	if (errno == EEXIST)
		return fs_is_dir(path) ? 0 : (errno = ENOTDIR, -1);
	if (errno != ENOENT)
		return -1;
	char *copy = xstrdup(path);
	char *slash = strrchr(copy, '/');
	int rc = -1;
	if (slash && slash != copy) {
		*slash = '\0';
		if (fs_mkdirs(copy) == 0)
			rc = (mkdir(path, 0755) == 0 || errno == EEXIST) ? 0 : -1;
	}
	free(copy);
	return rc;
}

int fs_write(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 && errno == ENOENT) {
		char *dir = xstrdup(path);
		char *slash = strrchr(dir, '/');
		if (slash) {
			*slash = '\0';
			fs_mkdirs(dir);
		}
		free(dir);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	}
	if (fd < 0)
		return -1;
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return fail_closing(fd, errno);
		data += n;
		len -= (size_t)n;
	}
	return close(fd);
}

static int rm_inside(int fd, dev_t dev);

/* Removes entry n of the open folder dfd (a folder with all it holds);
 * d_type as readdir gave it, DT_UNKNOWN to look. */
static int rm_entry(int dfd, const char *n, unsigned char d_type, dev_t dev)
{
	int is_dir = d_type == DT_DIR;
	if (d_type == DT_UNKNOWN) {
		struct stat st;
		if (fstatat(dfd, n, &st, AT_SYMLINK_NOFOLLOW) != 0)
			return -1;
		is_dir = S_ISDIR(st.st_mode);
	}
	if (!is_dir)
		return unlinkat(dfd, n, 0) != 0 && errno != ENOENT ? -1 : 0;
	int sub = openat(dfd, n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (sub < 0 || fstat(sub, &st) != 0 || st.st_dev != dev) {
		if (sub >= 0)
			close(sub);
		return -1;
	}
	return rm_inside(sub, dev) != 0 || unlinkat(dfd, n, AT_REMOVEDIR) != 0 ? -1 : 0;
}

/* Empties the open folder fd (and closes it): files are unlinked through
 * the folder's descriptor, the type read from the directory entry, so no
 * path is looked up twice and nothing is stat'ed unless the file system
 * leaves d_type unknown. Symlinks are removed, never followed; folders on
 * another device than dev are left alone (and make it fail). */
static int rm_inside(int fd, dev_t dev)
{
	DIR *dir = fdopendir(fd);
	if (!dir) {
		close(fd);
		return -1;
	}
	int rc = 0, dfd = dirfd(dir);
	struct dirent *e;
	while ((e = readdir(dir)) != NULL) {
		const char *n = e->d_name;
		if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0')))
			continue;
		if (rm_entry(dfd, n, e->d_type, dev) != 0)
			rc = -1;
	}
	closedir(dir);
	return rc;
}

int fs_rm_at(int dfd, const char *name, dev_t dev)
{
	return rm_entry(dfd, name, DT_UNKNOWN, dev);
}

int fs_rmtree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (rm_inside(fd, st.st_dev) != 0)
		return -1;
	return rmdir(path);
}

static int copy_file(const char *src, const char *dst)
{
	buf b = BUF_INIT;
	int rc = fs_read(src, &b);
	if (rc == 0)
		rc = fs_write(dst, b.ptr, b.len);
	buf_free(&b);
	return rc;
}

int fs_copytree(const char *src, const char *dst, char **failed)
{
	DIR *dir = opendir(src);
	if (!dir) {
		*failed = xstrdup(src);
		return -1;
	}
	if (fs_mkdirs(dst) != 0) {
		closedir(dir);
		*failed = xstrdup(dst);
		return -1;
	}
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char *s = fs_join(src, e->d_name), *t = fs_join(dst, e->d_name);
		struct stat st;
		if (lstat(s, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = fs_copytree(s, t, failed);
			else if (S_ISREG(st.st_mode) && copy_file(s, t) != 0) {
				*failed = xstrdup(s);
				rc = -1;
			}
		}
		free(s);
		free(t);
	}
	closedir(dir);
	return rc;
}

int fs_is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int fs_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

int fs_inside(const char *root, const char *path)
{
	char *r = realpath(*root ? root : ".", NULL), *p = realpath(path, NULL);
	int in = 0;
	if (r && p) {
		size_t n = strlen(r);
		in = strncmp(r, p, n) == 0 && (p[n] == '/' || p[n] == '\0' || n == 1);
	}
	free(r);
	free(p);
	return in;
}

char *fs_join(const char *a, const char *b)
{
	if (!a || !*a)
		return xstrdup(b);
	size_t la = strlen(a);
	return xasprintf("%s%s%s", a, a[la - 1] == '/' ? "" : "/", b);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **fs_list_dir(DIR *d, int (*keep)(const char *name), size_t *n)
{
	char **names = NULL;
	size_t cap = 0;
	*n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (keep ? !keep(e->d_name) : !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[(*n)++] = xstrdup(e->d_name);
	}
	if (*n)
		qsort(names, *n, sizeof *names, cmp_names);
	return names;
}

char **fs_list(const char *dir, int (*keep)(const char *name), size_t *n)
{
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **names = fs_list_dir(d, keep, n);
	closedir(d);
	return names;
}

void fs_free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
