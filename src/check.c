/* check.c: `briefing check`, the editorial linter. It reads the content as
 * a build does (the same errors) and adds warnings a build does not give:
 * names that match no person or topic file (with a suggestion), people
 * named in a body but not listed, aliases two people share, missing or
 * long summaries, empty bodies, dates in the future. No Lua, no output. */
#include "check.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "markdown.h"
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

static void check_names(const struct site *s, struct article *a, enum entity_kind kind)
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
			diag_warn(a->diag, a->path, val_line(v), val_col(v),
			          "%s: \"%s\" has no file in content/%s/; did you mean \"%s\"?", key, name,
			          key, hint);
		else
			diag_warn(a->diag, a->path, val_line(v), val_col(v),
			          "%s: \"%s\" has no file in content/%s/ (its page will have no %s)", key,
			          name, key, kind == ENT_TOPIC ? "description" : "bio");
	}
}

static void check_mentions(const struct site *s, struct article *a, const char *body)
{
	for (size_t i = 0; i < s->n_people; i++) {
		struct entity *p = s->people[i];
		if (!p->path || !words_contain(body, p->name, 0))
			continue;
		int listed = 0;
		const struct value *names = val_get(a->meta, "people");
		for (size_t k = 0; k < val_len(names) && !listed; k++) {
			const char *n = val_get_str(val_at(names, k), NULL);
			listed = n && site_find(s, ENT_PERSON, n) == p;
		}
		if (!listed)
			diag_warn(a->diag, a->path, 1, 1, "%s is named in the body but not in people",
			          p->name);
	}
}

static void check_article(const struct site *s, struct article *a, long summary_words,
                          time_t now)
{
	check_names(s, a, ENT_TOPIC);
	check_names(s, a, ENT_PERSON);
	const struct value *summary = val_get(a->meta, "summary");
	const char *text = val_get_str(summary, NULL);
	if (!text || !*text) {
		diag_warn(a->diag, a->path, 1, 1, "no summary: lists and feeds show only the title");
	} else {
		long words = (long)words_count(text);
		if (words > summary_words)
			diag_warn(a->diag, a->path, val_line(summary), val_col(summary),
			          "summary: %ld words, over the budget of %ld", words, summary_words);
	}
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
		}
		cmark_iter_free(it);
	}
	if (!body.len)
		diag_warn(a->diag, a->path, 1, 1, "the body is empty");
	else
		check_mentions(s, a, body.ptr);
	buf_free(&body);
	if (a->date.epoch > (int64_t)now) {
		const struct value *d = val_get(a->meta, "date");
		diag_warn(a->diag, a->path, val_line(d), val_col(d), "date: in the future");
	}
}

/* Aliases two people share: mentions cannot tell them apart. */
static void check_aliases(struct site *s)
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
					diag_warn(s->diag, s->people[i]->path, val_line(val_at(al, k)),
					          val_col(val_at(al, k)),
					          "aliases: \"%s\" is also %s's; mentions of it are linked only "
					          "when an article's people list says which one is meant", a,
					          s->people[j]->name);
			}
		}
	}
}

int check_run(const struct check_opts *o)
{
	struct diag *d = diag_new();
	struct site *s = site_open(o->site_dir, d);
	int errors = 0, warnings = 0;
	if (s && site_scan(s) == 0) {
		const struct value *cfg = val_get(s->cfg.yaml, "check");
		const struct value *budget = val_get(cfg, "summary_words");
		long summary_words = val_type(budget) == VAL_NUM ? (long)val_get_num(budget) : 40;
		const char *sde = getenv("SOURCE_DATE_EPOCH");
		time_t now = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
		check_aliases(s);
		diag_merge(d, s->diag);
		for (size_t i = 0; i < s->n_articles; i++) {
			struct article *a = s->articles[i];
			if (article_parse(s, a) == 0)
				check_article(s, a, summary_words, now);
			diag_merge(d, a->diag);
			if (a->doc)
				cmark_node_free(a->doc);
			a->doc = NULL;
		}
	} else if (s) {
		diag_merge(d, s->diag);
	}
	errors = diag_count(d, DIAG_ERROR);
	warnings = diag_count(d, DIAG_WARNING);
	if (o->json) {
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
	} else {
		diag_print(d, stdout);
		printf("briefing check: %d error%s, %d warning%s\n", errors, errors == 1 ? "" : "s",
		       warnings, warnings == 1 ? "" : "s");
	}
	site_free(s);
	diag_free(d);
	return errors ? 1 : 0;
}
