/* fsutil.h: the few file-system operations the pipeline needs, each safe
 * against partial failure: whole-file reads, mkdir -p, whole-file writes,
 * recursive removal (never following symlinks), tree copies. */
#ifndef BRIEFING_FSUTIL_H
#define BRIEFING_FSUTIL_H

#include <dirent.h>
#include <stddef.h>
#include <sys/types.h>

#include "buf.h"

/* Reads path into b (replacing its contents). Returns 0 or -1 with errno set. */
int fs_read(const char *path, buf *b);
/* Creates path and its parents (mode 0755). Returns 0 or -1 with errno. */
int fs_mkdirs(const char *path);
/* Writes data to path, creating parent folders. Returns 0 or -1 with errno. */
int fs_write(const char *path, const char *data, size_t len);
/* Removes path recursively without following symlinks. Returns 0 or -1. */
int fs_rmtree(const char *path);
/* Removes entry name of the open folder dfd the same way, leaving alone
 * folders on another device than dev (and failing). */
int fs_rm_at(int dfd, const char *name, dev_t dev);
/* Copies the tree below src into dst (files and folders; symlinks skipped).
 * Existing files in dst are overwritten. Returns 0 or -1 with errno and
 * the failing path in *failed (caller frees). */
int fs_copytree(const char *src, const char *dst, char **failed);
/* The names in dir that keep() accepts (all when keep is NULL), sorted;
 * *n is their count. NULL when there are none or dir cannot be read.
 * Free with fs_free_names. */
char **fs_list(const char *dir, int (*keep)(const char *name), size_t *n);
/* The same for a folder open as d (read from where it is; left open). */
char **fs_list_dir(DIR *d, int (*keep)(const char *name), size_t *n);
void fs_free_names(char **names, size_t n);
int fs_is_dir(const char *path);
int fs_exists(const char *path);
/* 1 when path, with every symlink followed, is root or lies below it;
 * 0 when it lies elsewhere or cannot be resolved. */
int fs_inside(const char *root, const char *path);
/* "a" + "b" -> "a/b"; an empty a gives b. Caller frees. */
char *fs_join(const char *a, const char *b);

#endif
