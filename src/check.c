/* check.c: `briefing check`, the editorial linter. It runs the site as a
 * build does up to and including the scripts' keyed steps and hooks
 * (build.c's check_only: the same errors, lint warnings and script
 * messages, nothing rendered or written), with the lint pass's editorial
 * rules on (lint.c: names without files, people named but not listed,
 * summaries, empty bodies, future dates), and adds editions over their
 * word budget. Editions are the scripts' (editions.lua's, or the site's
 * own): check reads what they grouped and never groups articles itself. */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "lint.h"
#include "site.h"

/* ---- what the site's scripts say and group ---- */

/* Keeps a summary's words (a number; a summary without one is not
 * checked) under its key. */
static void keep_words(void *ctx, const char *key, const struct value *summary)
{
	const struct value *words = val_get(summary, "words");
	if (words && val_type(words) == VAL_NUM)
		val_set(ctx, key, val_num(val_get_num(words)));
}

/* Runs the site as a build does up to and including the steps and hooks,
 * nothing rendered or written: their messages (the build's errors, the
 * scripts' warnings) go to d. Returns each edition's words as the scripts
 * counted them: the summaries of group "editions", key -> words in key
 * order (caller frees). */
static struct value *run_scripts(const struct check_opts *o, struct diag *d)
{
	struct build_opts bo = {.site_dir = o->site_dir, .tool_dir = o->tool_dir,
	                        .clean_urls = -1, .relative_index = -1, .quiet = 1, .check_only = 1};
	struct build *b = build_new(&bo);
	build_update(b, NULL, 0, 1);
	build_take_messages(b, d);
	struct value *words = val_map();
	build_summaries(b, "editions", keep_words, words);
	build_free(b);
	return words;
}

/* Editions over editions: words, reported at that setting, and check:
 * summary_words when it is not a number (the lint pass read it quietly). */
static void check_settings(const struct check_opts *o, const struct value *words, struct diag *d)
{
	struct diag *again = diag_new(); /* site.yml's messages are the build's, already in d */
	struct site *s = site_open(o->site_dir, again);
	diag_free(again);
	if (!s)
		return;
	lint_word_budget(s, val_get(val_get(s->cfg.yaml, "check"), "summary_words"),
	                 "check: summary_words", 40, d);
	const struct value *at = val_get(val_get(s->cfg.yaml, "editions"), "words");
	long budget = lint_word_budget(s, at, "editions: words", 0, d);
	char *path = site_path(s, "site.yml");
	for (size_t i = 0; budget > 0 && i < val_len(words); i++) {
		const char *key = val_key_at(words, i, NULL);
		long n = (long)val_get_num(val_at(words, i));
		if (n > budget)
			diag_code(d, DIAG_WARNING, "edition-words", path, val_line(at), val_col(at),
			          "edition %s: %ld words, over the budget of %ld (editions: words)", key,
			          n, budget);
	}
	free(path);
	site_free(s);
}

static void put_json_string(const char *text)
{
	if (!text) {
		printf("null");
		return;
	}
	buf b = BUF_INIT;
	val_put_json_chars(&b, text, strlen(text));
	printf("\"%s\"", b.ptr ? b.ptr : "");
	buf_free(&b);
}

/* One object per message: file, line, column, severity, code, message
 * (file null, line and column 0 when there is no place). */
static void print_json(const struct diag *d)
{
	printf("[");
	struct diag_parts p;
	for (int i = 0; diag_parts(d, i, &p) == 0; i++) {
		const char *severity = p.level == DIAG_ERROR     ? "error"
		                     : p.level == DIAG_WARNING ? "warning"
		                                               : "note";
		printf(i ? ",\n " : "\n ");
		printf("{\"file\": ");
		put_json_string(p.path);
		printf(", \"line\": %d, \"column\": %d, \"severity\": \"%s\", \"code\": ",
		       p.line > 0 ? p.line : 0, p.col > 0 ? p.col : 0, severity);
		put_json_string(p.code ? p.code : p.level == DIAG_ERROR ? "error" : "message");
		printf(", \"message\": ");
		put_json_string(p.message);
		printf("}");
	}
	printf("\n]\n");
}

int check_run(const struct check_opts *o)
{
	struct diag *d = diag_new();
	struct value *editions = run_scripts(o, d);
	check_settings(o, editions, d);
	val_free(editions);
	int errors = diag_count(d, DIAG_ERROR), warnings = diag_count(d, DIAG_WARNING);
	if (o->json) {
		print_json(d);
	} else {
		diag_print(d, stdout);
		printf("briefing check: %d error%s, %d warning%s\n", errors, errors == 1 ? "" : "s",
		       warnings, warnings == 1 ? "" : "s");
	}
	diag_free(d);
	return errors || (o->strict && warnings) ? 1 : 0;
}
