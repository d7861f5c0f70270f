/* check.c: `briefing check`, the editorial linter. It runs the site as a
 * build does up to and including the scripts' keyed steps and hooks
 * (build.c's check_only: the same errors and script messages, nothing
 * rendered or written) and adds warnings a build does not give: names
 * that match no person or topic file (with a suggestion), people named in
 * a body but not listed, aliases two people share, missing or long
 * summaries, empty bodies, dates in the future, a shared alias in a body
 * that the people list does not settle, and editions over their word
 * budget. Editions are the scripts' (editions.lua's, or the site's own):
 * check reads what they grouped and never groups articles itself. */
#include "check.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build.h"
#include "date.h"
#include "markdown.h"
#include "match.h"
#include "num.h"
#include "site.h"
#include "words.h"

/* Edit distance, case-insensitive, capped (names are short). */
static int distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 64 || m > 64)
		return 99;
	int row[65];
	for (size_t j = 0; j <= m; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		int prev = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= m; j++) {
			int cur = row[j];
			int cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			int best = prev + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			prev = cur;
		}
	}
	return row[m];
}

/* The closest name or alias of a file-backed entity, or NULL. */
static const char *suggest(const struct site *s, enum entity_kind kind, const char *name)
{
	struct entity **list = kind == ENT_TOPIC ? s->topics : s->people;
	size_t n = kind == ENT_TOPIC ? s->n_topics : s->n_people;
	const char *best = NULL;
	int best_d = 4; /* farther than 3 edits is not a typo */
	for (size_t i = 0; i < n; i++) {
		if (!list[i]->path)
			continue;
		int d = distance(name, list[i]->name);
		if (d < best_d) {
			best_d = d;
			best = list[i]->name;
		}
		const struct value *al = val_get(list[i]->meta, "aliases");
		for (size_t k = 0; k < val_len(al); k++) {
			const char *a = val_get_str(val_at(al, k), NULL);
			if (a && (d = distance(name, a)) < best_d) {
				best_d = d;
				best = list[i]->name;
			}
		}
	}
	return best;
}

static void check_names(const struct site *s, const struct article *a, enum entity_kind kind,
                        struct diag *d)
{
	const char *key = kind == ENT_TOPIC ? "topics" : "people";
	const struct value *names = val_get(a->meta, key);
	for (size_t i = 0; i < val_len(names); i++) {
		const struct value *v = val_at(names, i);
		const char *name = val_get_str(v, NULL);
		if (!name)
			continue;
		struct entity *e = site_find(s, kind, name);
		if (e && e->path)
			continue;
		const char *hint = suggest(s, kind, name);
		if (hint)
			diag_warn(d, a->path, val_line(v), val_col(v),
			          "%s: \"%s\" has no file in content/%s/; did you mean \"%s\"?", key, name,
			          key, hint);
		else
			diag_warn(d, a->path, val_line(v), val_col(v),
			          "%s: \"%s\" has no file in content/%s/ (its page will have no %s)", key,
			          name, key, kind == ENT_TOPIC ? "description" : "bio");
	}
}

/* Every name and alias of the people with a file, and who owns each. */
struct people_index {
	struct matcher *m;
	struct value *owners; /* name -> list of indexes into s->people */
};

static void index_name(struct people_index *ix, const char *name, size_t i)
{
	struct value *own = val_get(ix->owners, name);
	if (!own) {
		own = val_list();
		val_set(ix->owners, name, own);
		match_add(ix->m, name, strlen(name));
	}
	for (size_t k = 0; k < val_len(own); k++)
		if ((size_t)val_get_num(val_at(own, k)) == i)
			return;
	val_push(own, val_num((double)i));
}

static void index_people(const struct site *s, struct people_index *ix)
{
	ix->m = match_new();
	ix->owners = val_map();
	for (size_t i = 0; i < s->n_people; i++) {
		if (!s->people[i]->path)
			continue;
		index_name(ix, s->people[i]->name, i);
		const struct value *al = val_get(s->people[i]->meta, "aliases");
		for (size_t k = 0; k < val_len(al); k++) {
			const char *a = val_get_str(val_at(al, k), NULL);
			if (a && *a)
				index_name(ix, a, i);
		}
	}
}

static int is_listed(const struct site *s, const struct article *a, const struct entity *p)
{
	const struct value *names = val_get(a->meta, "people");
	for (size_t k = 0; k < val_len(names); k++) {
		const char *n = val_get_str(val_at(names, k), NULL);
		if (n && site_find(s, ENT_PERSON, n) == p)
			return 1;
	}
	return 0;
}

/* People a body names (by name or alias) but the front matter does not
 * list, and shared aliases the list does not settle (mentions.lua leaves
 * those unlinked). Each reported once per article. */
static void check_mentions(const struct site *s, const struct people_index *ix,
                           const struct article *a, const char *body, struct diag *d)
{
	struct value *told = val_map();
	size_t len = strlen(body), pos = 0, start, got;
	while ((got = match_next(ix->m, body, len, &pos, &start))) {
		char *name = xstrndup(body + start, got);
		const struct value *own = val_get(ix->owners, name);
		size_t n = val_len(own), listed = 0;
		struct entity *first = s->people[(size_t)val_get_num(val_at(own, 0))];
		for (size_t k = 0; k < n; k++)
			listed += is_listed(s, a, s->people[(size_t)val_get_num(val_at(own, k))]);
		if (n == 1 && !listed && !val_get(told, first->name)) {
			val_set(told, first->name, val_bool(1));
			diag_warn(d, a->path, 1, 1, "%s is named in the body but not in people",
			          first->name);
		} else if (n > 1 && listed != 1 && !val_get(told, name)) {
			val_set(told, name, val_bool(1));
			buf who = BUF_INIT;
			for (size_t k = 0; k < n; k++)
				buf_printf(&who, "%s%s", k == 0 ? "" : k + 1 == n ? " or " : ", ",
				           s->people[(size_t)val_get_num(val_at(own, k))]->name);
			diag_warn(d, a->path, 1, 1,
			          "\"%s\" in the body could be %s; it is not linked until people lists "
			          "%s", name, who.ptr, listed ? "only one of them" : "one of them");
			buf_free(&who);
		}
		free(name);
	}
	val_free(told);
}

/* A word budget from site.yml (check: summary_words, editions: words): a
 * whole number of words, written as a number or a string of digits. Any
 * other value is reported at its line and column, and dflt stands. */
static long word_budget(const struct site *s, const struct value *v, const char *key, long dflt,
                        struct diag *d)
{
	if (!v || val_type(v) == VAL_NULL)
		return dflt;
	buf text = BUF_INIT;
	if (val_type(v) == VAL_NUM || val_type(v) == VAL_STR)
		val_put_scalar(&text, v);
	long long n;
	if (num_parse(text.ptr, 0, 1000000000, &n) != 0) {
		char *path = site_path(s, "site.yml");
		diag_warn(d, path, val_line(v), val_col(v),
		          "%s: expected a whole number of words, found %s%s%s", key,
		          text.len ? "\"" : "a ", text.len ? text.ptr : val_type_name(val_type(v)),
		          text.len ? "\"" : "");
		free(path);
		n = dflt;
	}
	buf_free(&text);
	return (long)n;
}

static void check_article(const struct site *s, const struct people_index *ix,
                          const struct article *a, long summary_words, time_t now,
                          struct diag *d)
{
	check_names(s, a, ENT_TOPIC, d);
	check_names(s, a, ENT_PERSON, d);
	const struct value *summary = val_get(a->meta, "summary");
	const char *text = val_get_str(summary, NULL);
	if (!text || !*text) {
		diag_warn(d, a->path, 1, 1, "no summary: lists and feeds show only the title");
	} else {
		long words = (long)words_count(text);
		if (words > summary_words)
			diag_warn(d, a->path, val_line(summary), val_col(summary),
			          "summary: %ld words, over the budget of %ld", words, summary_words);
	}
	const struct value *image = val_get(a->meta, "image");
	if (val_get_cstr(a->meta, "image") && !val_get_cstr(a->meta, "image_alt"))
		diag_warn(d, a->path, val_line(image), val_col(image),
		          "image: no image_alt: say what the lead image shows");
	buf body = BUF_INIT;
	if (a->doc) {
		cmark_iter *it = cmark_iter_new(a->doc);
		cmark_event_type ev;
		while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
			cmark_node *n = cmark_iter_get_node(it);
			if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_TEXT) {
				buf_puts(&body, cmark_node_get_literal(n));
				buf_putc(&body, ' ');
			}
			/* alt text is what a screen reader says and a feed shows */
			if (ev == CMARK_EVENT_ENTER && cmark_node_get_type(n) == CMARK_NODE_IMAGE &&
			    !cmark_node_first_child(n))
				diag_warn(d, a->path, a->body_line + cmark_node_get_start_line(n) - 1,
				          cmark_node_get_start_column(n),
				          "image \"%s\" has no alt text: say what it shows in ![...]",
				          cmark_node_get_url(n) ? cmark_node_get_url(n) : "");
		}
		cmark_iter_free(it);
	}
	if (!body.len)
		diag_warn(d, a->path, 1, 1, "the body is empty");
	else
		check_mentions(s, ix, a, body.ptr, d);
	buf_free(&body);
	if (a->date.epoch > (int64_t)now) {
		const struct value *date = val_get(a->meta, "date");
		diag_warn(d, a->path, val_line(date), val_col(date), "date: in the future");
	}
}

/* Aliases two people share: mentions cannot tell them apart. */
static void check_aliases(const struct site *s, struct diag *d)
{
	for (size_t i = 0; i < s->n_people; i++) {
		const struct value *al = val_get(s->people[i]->meta, "aliases");
		for (size_t k = 0; k < val_len(al); k++) {
			const char *a = val_get_str(val_at(al, k), NULL);
			for (size_t j = 0; a && j < i; j++) {
				const struct value *bl = val_get(s->people[j]->meta, "aliases");
				int shared = !strcasecmp(a, s->people[j]->name);
				for (size_t m = 0; m < val_len(bl) && !shared; m++) {
					const char *b = val_get_str(val_at(bl, m), NULL);
					shared = b && !strcasecmp(a, b);
				}
				if (shared)
					diag_warn(d, s->people[i]->path, val_line(val_at(al, k)),
					          val_col(val_at(al, k)),
					          "aliases: \"%s\" is also %s's; mentions of it are linked only "
					          "when an article's people list says which one is meant", a,
					          s->people[j]->name);
			}
		}
	}
}

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
	                        .clean_urls = -1, .quiet = 1, .check_only = 1};
	struct build *b = build_new(&bo);
	build_update(b, NULL, 0, 1);
	build_take_messages(b, d);
	struct value *words = val_map();
	build_summaries(b, "editions", keep_words, words);
	build_free(b);
	return words;
}

/* Editions over editions: words, reported at that setting. */
static void check_editions(const struct site *s, const struct value *words, struct diag *d)
{
	const struct value *at = val_get(val_get(s->cfg.yaml, "editions"), "words");
	long budget = word_budget(s, at, "editions: words", 0, d);
	char *path = site_path(s, "site.yml");
	for (size_t i = 0; budget > 0 && i < val_len(words); i++) {
		const char *key = val_key_at(words, i, NULL);
		long n = (long)val_get_num(val_at(words, i));
		if (n > budget)
			diag_warn(d, path, val_line(at), val_col(at),
			          "edition %s: %ld words, over the budget of %ld (editions: words)", key,
			          n, budget);
	}
	free(path);
}

/* ---- the linter ---- */

/* The content read again, as check's own: each body as written, before
 * filters. Its read's messages are the build's, already in d. */
static void check_content(const struct check_opts *o, const struct value *editions,
                          struct diag *d)
{
	struct diag *again = diag_new();
	struct site *s = site_open(o->site_dir, again);
	if (s && site_scan(s) == 0) {
		const struct value *cfg = val_get(s->cfg.yaml, "check");
		long summary_words = word_budget(s, val_get(cfg, "summary_words"),
		                                 "check: summary_words", 40, d);
		time_t now = (time_t)date_now();
		check_aliases(s, d);
		struct people_index ix;
		index_people(s, &ix);
		for (size_t i = 0; i < s->n_articles; i++) {
			struct article *a = s->articles[i];
			if (article_parse(s, a) == 0)
				check_article(s, &ix, a, summary_words, now, d);
			if (a->doc)
				cmark_node_free(a->doc);
			a->doc = NULL;
		}
		check_editions(s, editions, d);
		match_free(ix.m);
		val_free(ix.owners);
	}
	site_free(s);
	diag_free(again);
}

static void print_json(const struct diag *d)
{
	printf("[");
	for (int i = 0; diag_message(d, i, NULL); i++) {
		enum diag_level level;
		const char *m = diag_message(d, i, &level);
		printf(i ? ",\n " : "\n ");
		printf("{\"level\": \"%s\", \"message\": ",
		       level == DIAG_ERROR ? "error" : level == DIAG_WARNING ? "warning" : "note");
		buf text = BUF_INIT;
		val_put_json_chars(&text, m, strlen(m));
		printf("\"%s\"", text.ptr);
		buf_free(&text);
		printf("}");
	}
	printf("\n]\n");
}

int check_run(const struct check_opts *o)
{
	struct diag *d = diag_new();
	struct value *editions = run_scripts(o, d);
	check_content(o, editions, d);
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
	return errors ? 1 : 0;
}
