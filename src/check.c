/* check.c: `briefing check`, the editorial linter. It reads the content as
 * a build does (the same errors) and adds warnings a build does not give:
 * names that match no person or topic file (with a suggestion), people
 * named in a body but not listed, aliases two people share, missing or
 * long summaries, empty bodies, dates in the future, a shared alias in a
 * body that the people list does not settle, editions over their word
 * budget. No Lua, no output. */
#include "check.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "fsutil.h"
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
                           struct article *a, const char *body)
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
			diag_warn(a->diag, a->path, 1, 1, "%s is named in the body but not in people",
			          first->name);
		} else if (n > 1 && listed != 1 && !val_get(told, name)) {
			val_set(told, name, val_bool(1));
			buf who = BUF_INIT;
			for (size_t k = 0; k < n; k++)
				buf_printf(&who, "%s%s", k == 0 ? "" : k + 1 == n ? " or " : ", ",
				           s->people[(size_t)val_get_num(val_at(own, k))]->name);
			diag_warn(a->diag, a->path, 1, 1,
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

/* ---- editions and their word budget (as editions.lua groups them) ---- */

struct editions {
	int period;           /* 'd'aily, 'w'eekly, 'm'onthly, 'c'ustom */
	int starts;           /* weekly: 0 = Monday ... 6 = Sunday */
	long budget;          /* words per edition, 0 for none */
	const struct value *budget_v;
	char **custom;        /* custom: sorted first days, from content/editions */
	size_t n_custom;
	struct value *words;  /* edition key -> words */
};

static int is_edition_file(const char *name)
{
	size_t n = strlen(name);
	return n == 13 && strcmp(name + 10, ".md") == 0 && isdigit((unsigned char)name[0]);
}

static void editions_init(const struct site *s, struct editions *ed, struct diag *d)
{
	memset(ed, 0, sizeof *ed);
	ed->period = 'd';
	const struct value *cfg = val_get(s->cfg.yaml, "editions");
	const char *period = val_get_str(cfg, NULL);
	if (!period)
		period = val_get_cstr(cfg, "period");
	if (period && strchr("dwmc", period[0]))
		ed->period = period[0];
	static const char *const days[] = {"monday", "tuesday", "wednesday", "thursday", "friday",
	                                   "saturday", "sunday"};
	const char *starts = val_get_cstr(cfg, "starts");
	for (int i = 0; starts && i < 7; i++)
		if (!strcasecmp(starts, days[i]))
			ed->starts = i;
	ed->budget_v = val_get(cfg, "words");
	ed->budget = word_budget(s, ed->budget_v, "editions: words", 0, d);
	if (ed->period == 'c') {
		char *dir = site_path(s, "content/editions");
		ed->custom = fs_list(dir, is_edition_file, &ed->n_custom);
		for (size_t i = 0; i < ed->n_custom; i++)
			ed->custom[i][10] = '\0'; /* "2017-12-12.md" -> "2017-12-12" */
		free(dir);
	}
	ed->words = val_map();
}

/* The key of the edition holding an article: its day, the first day of
 * its week or custom period, or its month. */
static void edition_key(const struct editions *ed, const struct date *d, buf *key)
{
	buf_reset(key);
	if (ed->period == 'm') {
		buf_printf(key, "%04d-%02d", d->year, d->month);
		return;
	}
	if (ed->period == 'w') {
		int64_t days = date_days_from_civil(d->year, d->month, d->day);
		int weekday = (int)(((days + 3) % 7 + 7) % 7);
		struct date first;
		date_from_epoch((days - ((weekday - ed->starts) % 7 + 7) % 7) * 86400, 0, &first);
		date_put_day(key, &first);
		return;
	}
	date_put_day(key, d);
	if (ed->period == 'c' && ed->n_custom) {
		const char *start = ed->custom[0];
		for (size_t i = 0; i < ed->n_custom && strcmp(ed->custom[i], key->ptr) <= 0; i++)
			start = ed->custom[i];
		buf_reset(key);
		buf_puts(key, start);
	}
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void editions_report(const struct site *s, struct editions *ed, struct diag *d)
{
	size_t n = val_len(ed->words);
	const char **keys = xcalloc(n ? n : 1, sizeof *keys);
	for (size_t i = 0; i < n; i++)
		keys[i] = val_key_at(ed->words, i, NULL);
	if (n)
		qsort(keys, n, sizeof *keys, cmp_key);
	char *path = site_path(s, "site.yml");
	for (size_t i = 0; i < n; i++) {
		long words = (long)val_get_num(val_get(ed->words, keys[i]));
		if (ed->budget > 0 && words > ed->budget)
			diag_warn(d, path, val_line(ed->budget_v), val_col(ed->budget_v),
			          "edition %s: %ld words, over the budget of %ld (editions: words)", keys[i],
			          words, ed->budget);
	}
	free(path);
	free(keys);
	fs_free_names(ed->custom, ed->n_custom);
	val_free(ed->words);
}

static void check_article(const struct site *s, const struct people_index *ix,
                          struct editions *ed, struct article *a, long summary_words, time_t now)
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
		check_mentions(s, ix, a, body.ptr);
	if (!a->draft) {
		buf key = BUF_INIT;
		edition_key(ed, &a->date, &key);
		/* the article's word_count, which editions.lua adds up */
		double words = val_get_num(val_get(ed->words, key.ptr)) + (double)words_in_doc(a->doc);
		val_set(ed->words, key.ptr, val_num(words));
		buf_free(&key);
	}
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
		long summary_words = word_budget(s, val_get(cfg, "summary_words"),
		                                 "check: summary_words", 40, d);
		time_t now = (time_t)date_now();
		check_aliases(s);
		diag_merge(d, s->diag);
		struct people_index ix;
		index_people(s, &ix);
		struct editions ed;
		editions_init(s, &ed, d);
		for (size_t i = 0; i < s->n_articles; i++) {
			struct article *a = s->articles[i];
			if (article_parse(s, a) == 0)
				check_article(s, &ix, &ed, a, summary_words, now);
			diag_merge(d, a->diag);
			if (a->doc)
				cmark_node_free(a->doc);
			a->doc = NULL;
		}
		editions_report(s, &ed, d);
		match_free(ix.m);
		val_free(ix.owners);
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
