/* diag.h: compiler-style diagnostics, "path:line:col: error: message".
 * A diag list collects messages in the order they are added; per-thread
 * lists are merged into the site's list in a stable order, then printed.
 * It does not print as it goes, so parallel stages report deterministically. */
#ifndef BRIEFING_DIAG_H
#define BRIEFING_DIAG_H

#include <stdarg.h>
#include <stdio.h>

enum diag_level { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR };

struct diag;

struct diag *diag_new(void);
void diag_free(struct diag *d);

/* path may be NULL (no location); line/col 0 means "unknown". */
void diag_add(struct diag *d, enum diag_level level, const char *path, int line, int col,
              const char *fmt, ...) __attribute__((format(printf, 6, 7)));
void diag_vadd(struct diag *d, enum diag_level level, const char *path, int line, int col,
               const char *fmt, va_list ap);
/* The same with a stable code (check --format json, briefing(1) lists
 * them); code may be NULL. */
void diag_code(struct diag *d, enum diag_level level, const char *code, const char *path,
               int line, int col, const char *fmt, ...) __attribute__((format(printf, 7, 8)));
void diag_vcode(struct diag *d, enum diag_level level, const char *code, const char *path,
                int line, int col, const char *fmt, va_list ap);
#define diag_error(d, path, line, col, ...) diag_add(d, DIAG_ERROR, path, line, col, __VA_ARGS__)
#define diag_warn(d, path, line, col, ...) diag_add(d, DIAG_WARNING, path, line, col, __VA_ARGS__)

/* Moves every message of src to the end of dst; src is left empty. */
void diag_merge(struct diag *dst, struct diag *src);
/* Copies every message of src to the end of dst (messages kept to be
 * shown again by a later build that does not redo their work). */
void diag_append(struct diag *dst, const struct diag *src);
/* Notes are given once a session (serve's updates): drops from d the notes
 * that said already holds, and copies the others into said. Errors and
 * warnings stay, to be seen until they are fixed. */
void diag_notes_once(struct diag *d, struct diag *said);
int diag_count(const struct diag *d, enum diag_level level);
/* Prints every message, one per line (multi-line messages keep their lines). */
void diag_print(const struct diag *d, FILE *fp);
/* The n-th message formatted as printed, for tests; NULL past the end. */
const char *diag_message(const struct diag *d, int n, enum diag_level *level);

/* The n-th message in parts: 0, or -1 past the end. The strings belong
 * to d; code, path and message are NULL when there were none. */
struct diag_parts {
	enum diag_level level;
	const char *code, *path, *message;
	int line, col;
};
int diag_parts(const struct diag *d, int n, struct diag_parts *out);

/* The build cache: a list's messages as they print. */
struct cf_writer;
struct cf_reader;
void diag_save(const struct diag *d, struct cf_writer *w);
struct diag *diag_load(struct cf_reader *r); /* check cf_ok after */

#endif
