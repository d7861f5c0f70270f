/* lint.c: warnings about content that builds but is probably a mistake:
 * misspelled names and keys, an empty title, a comma-separated name
 * string, two files for one name, content that makes no page. One pass
 * shared by build, serve and check: an article's warnings are made where
 * it is parsed and kept with it (in the build cache too), so a warm build
 * reports them again without parsing; the site's are made when site.yml
 * and content/ are read. check adds the editorial rules (lint_opts). */
#include "lint.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "fsutil.h"
#include "hashes.h"
#include "match.h"
#include "num.h"
#include "site.h"
#include "words.h"

#include <cmark.h>

/* ---- spelling ---- */

static int fold(int c)
{
	return c == '-' ? '_' : tolower(c);
}

int lint_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 64 || m > 64)
		return 99;
	int d[65][65];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = (int)i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		for (size_t j = 1; j <= m; j++) {
			int ca = fold((unsigned char)a[i - 1]), cb = fold((unsigned char)b[j - 1]);
			int best = d[i - 1][j - 1] + (ca != cb);
			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ca == fold((unsigned char)b[j - 2]) &&
			    fold((unsigned char)a[i - 2]) == cb && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1; /* two letters swapped */
			d[i][j] = best;
		}
	}
	return d[n][m];
}

/* How many edits still count as a typo of a word this long. */
static int typo_limit(const char *word)
{
	size_t n = strlen(word);
	return n <= 4 ? 1 : n <= 8 ? 2 : 3;
}

/* Keys of another tool (Hugo, Jekyll) and what they are called here. */
static const char *const other_names[][2] = {
	{"publishDir", "output"}, {"languageCode", "language"},
	{"defaultContentLanguage", "language"}, {"publishDate", "publish_at"},
	{"expiryDate", "expires"}, {"baseurl", "base_url"},
};

/* The known key a key not among them was probably meant to be, or NULL. */
static const char *closest_key(const char *key, const char *const *known, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(key, known[i]))
			return NULL;
	for (size_t i = 0; i < sizeof other_names / sizeof other_names[0]; i++)
		if (!strcmp(key, other_names[i][0]))
			for (size_t k = 0; k < n; k++)
				if (!strcmp(other_names[i][1], known[k]))
					return known[k];
	const char *best = NULL;
	int best_d = typo_limit(key) + 1;
	for (size_t i = 0; i < n; i++) {
		int d = lint_distance(key, known[i]);
		if (d < best_d) {
			best_d = d;
			best = known[i];
		}
	}
	return best;
}

/* Warns about each key of map that looks like a misspelled known key. */
static void check_keys(const struct value *map, const char *const *known, size_t n,
                       const char *path, const char *what, struct diag *d)
{
	for (size_t i = 0; i < val_len(map); i++) {
		const char *key = val_key_at(map, i, NULL);
		const char *hint = key ? closest_key(key, known, n) : NULL;
		if (!hint)
			continue;
		/* top-level keys start their line (a block value starts
		 * below it, and its key was the line before) */
		const struct value *v = val_at(map, i);
		int line = val_line(v);
		if (line > 1 && (val_type(v) == VAL_LIST || val_type(v) == VAL_MAP) && val_col(v) > 1 &&
		    val_col(v) <= 3)
			line--;
		diag_code(d, DIAG_WARNING, "unknown-key", path, line, 1,
		          "%s \"%s\" is not one briefing knows; did you mean \"%s\"?", what, key, hint);
	}
}

/* The file-backed topic or person a name not found was probably meant to
 * be, or NULL. */
static const struct entity *closest_entity(const struct site *s, enum entity_kind kind,
                                           const char *name)
{
	struct entity **list = kind == ENT_TOPIC ? s->topics : s->people;
	size_t n = kind == ENT_TOPIC ? s->n_file_topics : s->n_file_people;
	const struct entity *best = NULL;
	int best_d = typo_limit(name) + 1;
	for (size_t i = 0; i < n; i++) {
		if (!list[i]->path)
			continue;
		int d = lint_distance(name, list[i]->name);
		if (d < best_d) {
			best_d = d;
			best = list[i];
		}
		const struct value *al = val_get(list[i]->meta, "aliases");
		for (size_t k = 0; k < val_len(al); k++) {
			const char *a = val_get_str(val_at(al, k), NULL);
			if (a && (d = lint_distance(name, a)) < best_d) {
				best_d = d;
				best = list[i];
			}
		}
	}
	return best;
}

/* ---- one article ---- */

static const char *const article_keys[] = {
	"title", "date", "summary", "topics", "people", "draft", "slug", "publish_at", "expires",
	"source_url", "source", "thread", "sources", "why_it_matters", "key_points", "what_next",
	"bottom_line", "lede", "description", "aliases", "orgs", "countries", "updated", "image",
	"image_alt", "image_caption", "image_credit",
};

/* The entity kinds site.yml adds (their keys name them in articles). */
static size_t entity_kinds(const struct site *s, const char **out, size_t max)
{
	const struct value *kinds = val_get(s->cfg.yaml, "entities");
	size_t n = 0;
	for (size_t i = 0; kinds && val_type(kinds) == VAL_MAP && i < val_len(kinds) && n < max; i++)
		out[n++] = val_key_at(kinds, i, NULL);
	return n;
}

static void check_article_keys(const struct site *s, const struct article *a)
{
	const char *known[64];
	size_t n = sizeof article_keys / sizeof article_keys[0];
	memcpy(known, article_keys, sizeof article_keys);
	n += entity_kinds(s, known + n, 64 - n);
	check_keys(a->meta, known, n, a->path, "front matter key", a->diag);
}

static void check_names(const struct site *s, const struct lint_opts *o, struct article *a,
                        enum entity_kind kind)
{
	const char *key = kind == ENT_TOPIC ? "topics" : "people";
	const struct value *names = val_get(a->meta, key);
	for (size_t i = 0; i < val_len(names); i++) {
		const struct value *v = val_at(names, i);
		const char *name = val_get_str(v, NULL);
		if (!name)
			continue;
		if (strchr(name, ',')) {
			diag_code(a->diag, DIAG_WARNING, "comma-list", a->path, val_line(v), val_col(v),
			          "%s: \"%s\" is one name; for several, write a list: [%s]", key, name,
			          name);
			continue;
		}
		struct entity *e = site_find(s, kind, name);
		if (e && e->path)
			continue;
		const struct entity *hint = closest_entity(s, kind, name);
		if (hint)
			diag_code(a->diag, DIAG_WARNING, "unknown-name", a->path, val_line(v), val_col(v),
			          "%s: \"%s\" has no file in content/%s/; did you mean \"%s\" (%s)?", key,
			          name, key, hint->name, hint->path);
		else if (o->editorial)
			diag_code(a->diag, DIAG_WARNING, "no-file", a->path, val_line(v), val_col(v),
			          "%s: \"%s\" has no file in content/%s/ (its page will have no %s)", key,
			          name, key, kind == ENT_TOPIC ? "description" : "bio");
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

/* Where in the file a name found in a text node is: the line the node's
 * block starts on plus the line breaks before it, and the column where
 * the name is on that line of the file (1 when it is not there as
 * written, split by markup). */
static void name_place(const struct article *a, const char *file, int line, const char *name,
                       int *out_line, int *out_col)
{
	*out_line = a->body_line + line - 1;
	*out_col = 1;
	const char *p = file;
	for (int l = 1; p && l < *out_line; l++) {
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	if (!p)
		return;
	const char *end = strchr(p, '\n');
	size_t n = strlen(name), len = end ? (size_t)(end - p) : strlen(p);
	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(p + i, name, n)) {
			*out_col = (int)i + 1;
			return;
		}
}

/* One name a text node holds: a person the front matter does not list,
 * or a shared alias the list does not settle. told: names reported. */
static void check_mention(const struct site *s, const struct lint_opts *o, struct article *a,
                          const char *name, int line, int col, struct value *told)
{
	const struct value *own = val_get(o->owners, name);
	size_t n = val_len(own), listed = 0;
	struct entity *first = s->people[(size_t)val_get_num(val_at(own, 0))];
	for (size_t k = 0; k < n; k++)
		listed += is_listed(s, a, s->people[(size_t)val_get_num(val_at(own, k))]);
	if (n == 1 && !listed && !val_get(told, first->name)) {
		val_set(told, first->name, val_bool(1));
		diag_code(a->diag, DIAG_WARNING, "not-listed", a->path, line, col,
		          "%s is named in the body but not in people", first->name);
	} else if (n > 1 && listed != 1 && !val_get(told, name)) {
		val_set(told, name, val_bool(1));
		buf who = BUF_INIT;
		for (size_t k = 0; k < n; k++) {
			const struct entity *p = s->people[(size_t)val_get_num(val_at(own, k))];
			buf_printf(&who, "%s%s (%s)", k == 0 ? "" : k + 1 == n ? " or " : ", ", p->name,
			           p->path);
		}
		diag_code(a->diag, DIAG_WARNING, "ambiguous-name", a->path, line, col,
		          "\"%s\" in the body could be %s; it is not linked until people lists %s",
		          name, who.ptr, listed ? "only one of them" : "one of them");
		buf_free(&who);
	}
}

/* People a body names (by name or alias) but the front matter does not
 * list, and shared aliases the list does not settle (mentions.lua leaves
 * those unlinked), each once, at its first line. Returns whether the body
 * has any text, and sets *para when it has a paragraph. */
static int check_mentions(const struct site *s, const struct lint_opts *o, struct article *a,
                          const char *src, int *para)
{
	struct value *told = val_map();
	int any = 0, line = 1;
	*para = 0;
	cmark_iter *it = cmark_iter_new(a->doc);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *node = cmark_iter_get_node(it);
		cmark_node_type type = cmark_node_get_type(node);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING)
			line = cmark_node_get_start_line(node);
		/* structured.lua takes a summary from the first top-level paragraph */
		*para |= type == CMARK_NODE_PARAGRAPH && cmark_node_parent(node) == a->doc;
		if (type == CMARK_NODE_SOFTBREAK || type == CMARK_NODE_LINEBREAK)
			line++;
		/* alt text is what a screen reader says and a feed shows */
		if (type == CMARK_NODE_IMAGE && !cmark_node_first_child(node))
			diag_code(a->diag, DIAG_WARNING, "no-alt", a->path,
			          a->body_line + cmark_node_get_start_line(node) - 1,
			          cmark_node_get_start_column(node),
			          "image \"%s\" has no alt text: say what it shows in ![...]",
			          cmark_node_get_url(node) ? cmark_node_get_url(node) : "");
		if (type != CMARK_NODE_TEXT)
			continue;
		const char *text = cmark_node_get_literal(node);
		size_t len = strlen(text), pos = 0, start, got;
		any |= len > 0;
		while (o->names && (got = match_next(o->names, text, len, &pos, &start))) {
			char *name = xstrndup(text + start, got);
			int l, c;
			name_place(a, src, line, name, &l, &c);
			check_mention(s, o, a, name, l, c, told);
			free(name);
		}
	}
	cmark_iter_free(it);
	val_free(told);
	return any;
}

/* The editorial rules: summaries, empty bodies, future dates, mentions. */
static void check_editorial(const struct site *s, const struct lint_opts *o, struct article *a,
                            const char *body)
{
	int para = 0;
	int any = a->doc && check_mentions(s, o, a, body, &para);
	if (!any)
		diag_code(a->diag, DIAG_WARNING, "empty-body", a->path, 1, 1, "the body is empty");
	const struct value *summary = val_get(a->meta, "summary");
	const char *text = val_get_str(summary, NULL);
	if ((!text || !*text) && (!para || !o->derives_summary)) {
		diag_code(a->diag, DIAG_WARNING, "no-summary", a->path, 1, 1,
		          "no summary and no paragraph to take one from: lists and feeds show only "
		          "the title");
	} else if (text && *text) {
		long words = (long)words_count(text);
		if (words > o->summary_words)
			diag_code(a->diag, DIAG_WARNING, "long-summary", a->path, val_line(summary),
			          val_col(summary), "summary: %ld words, over the budget of %ld", words,
			          o->summary_words);
	}
	const struct value *image = val_get(a->meta, "image");
	if (val_get_cstr(a->meta, "image") && !val_get_cstr(a->meta, "image_alt"))
		diag_code(a->diag, DIAG_WARNING, "no-alt", a->path, val_line(image), val_col(image),
		          "image: no image_alt: say what the lead image shows");
	if (a->date.epoch > (int64_t)s->cfg.now) {
		const struct value *date = val_get(a->meta, "date");
		diag_code(a->diag, DIAG_WARNING, "future-date", a->path, val_line(date),
		          val_col(date), "date: in the future");
	}
}

void lint_article(const struct site *s, const struct lint_opts *o, struct article *a,
                  const char *body)
{
	if (!a->meta)
		return;
	check_article_keys(s, a);
	const struct value *title = val_get(a->meta, "title");
	if (a->title && !*a->title)
		diag_code(a->diag, DIAG_WARNING, "empty-title", a->path, val_line(title),
		          val_col(title), "title: empty; lists, feeds and the page show no title");
	check_names(s, o, a, ENT_TOPIC);
	check_names(s, o, a, ENT_PERSON);
	if (o->editorial)
		check_editorial(s, o, a, body ? body : "");
}

/* ---- the site ---- */

static const char *const site_keys[] = {
	"title", "description", "base_url", "language", "timezone", "theme", "output", "unsafe",
	"filters", "lua", "clean_urls", "editions", "mentions", "entities", "paginate", "indexes",
	"feeds", "related", "threads", "summaries", "params", "check", "sources", "menu", "smart",
	"search", "relative_index", "robots", "email", "images",
};

/* Two files for one name, and aliases two people share: mentions cannot
 * tell them apart. */
/* ASCII lower case, for the tables below (names compare as strcasecmp). */
static char *lower_key(const char *name)
{
	char *k = xstrdup(name);
	for (char *p = k; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return k;
}

/* Two files for one name; with shared (check), aliases that another
 * person's name or alias already has, against the first that has it.
 * Tables, not pairs: a site has thousands of people. */
static void check_same_names(const struct site *s, enum entity_kind kind, int shared,
                             struct diag *d)
{
	struct entity **list = kind == ENT_TOPIC ? s->topics : s->people;
	size_t n = kind == ENT_TOPIC ? s->n_file_topics : s->n_file_people;
	struct hs_table *names = hs_table_new(), *said = hs_table_new();
	for (size_t i = 0; i < n; i++) {
		if (!list[i]->path)
			continue;
		char *key = lower_key(list[i]->name);
		uint64_t j;
		if (hs_get(names, key, &j))
			diag_code(d, DIAG_WARNING, "same-name", list[i]->path, 1, 1,
			          "%s \"%s\" also has the file %s; articles naming it get only one "
			          "of them", kind == ENT_TOPIC ? "topic" : "person", list[i]->name,
			          list[j]->path);
		else
			hs_put(names, key, i, 0);
		free(key);
	}
	for (size_t i = 0; shared && kind == ENT_PERSON && i < n; i++) {
		if (!list[i]->path)
			continue;
		const struct value *al = val_get(list[i]->meta, "aliases");
		for (size_t k = 0; k < val_len(al); k++) {
			const char *a = val_get_str(val_at(al, k), NULL);
			if (!a)
				continue;
			char *key = lower_key(a);
			uint64_t j;
			if ((hs_get(names, key, &j) && j < i) || (hs_get(said, key, &j) && j < i))
				diag_code(d, DIAG_WARNING, "shared-alias", list[i]->path,
				          val_line(val_at(al, k)), val_col(val_at(al, k)),
				          "aliases: \"%s\" is also %s's (%s); mentions of it are linked "
				          "only when an article's people list says which one is meant", a,
				          list[j]->name, list[j]->path);
			else if (!hs_get(said, key, &j))
				hs_put(said, key, i, 0);
			free(key);
		}
	}
	hs_table_free(names);
	hs_table_free(said);
}

static int any_name(const char *name)
{
	return name[0] != '.';
}

/* Does one of the site's own scripts name this folder (briefing.content)? */
static int read_by_script(const struct site *s, const char *folder)
{
	char *dir = site_path(s, "scripts");
	size_t n = 0;
	char **names = fs_list(dir, any_name, &n);
	char *quoted[2] = {xasprintf("\"%s\"", folder), xasprintf("'%s'", folder)};
	int found = 0;
	for (size_t i = 0; i < n; i++) {
		char *path = fs_join(dir, names[i]);
		buf text = BUF_INIT;
		if (!found && fs_read(path, &text) == 0 && text.len)
			found = strstr(text.ptr, quoted[0]) || strstr(text.ptr, quoted[1]);
		buf_free(&text);
		free(path);
		free(names[i]);
	}
	free(names);
	free(quoted[0]);
	free(quoted[1]);
	free(dir);
	return found;
}

/* Files and folders of content/ that make no page. */
static void check_content_folder(const struct site *s, struct diag *d)
{
	static const char *const kinds[] = {"articles", "people", "topics", "editions", "pages"};
	const char *extra[32];
	size_t n_extra = val_get(s->cfg.yaml, "entities") ? entity_kinds(s, extra, 32) : 0;
	if (!val_get(s->cfg.yaml, "entities")) {
		extra[n_extra++] = "orgs";
		extra[n_extra++] = "countries";
	}
	char *dir = site_path(s, "content");
	size_t n = 0;
	char **names = fs_list(dir, any_name, &n);
	for (size_t i = 0; i < n; i++) {
		char *path = fs_join(dir, names[i]);
		int known = 0;
		for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
			known |= !strcmp(names[i], kinds[k]);
		for (size_t k = 0; k < n_extra; k++)
			known |= extra[k] && !strcmp(names[i], extra[k]);
		if (!fs_is_dir(path))
			diag_code(d, DIAG_WARNING, "no-page", path, 1, 1,
			          "this file makes no page: briefs go in content/articles/, people in "
			          "content/people/, topics in content/topics/, pages in content/pages/");
		else if (!known && !read_by_script(s, names[i]))
			diag_code(d, DIAG_WARNING, "no-page", path, 0, 0,
			          "this folder makes no page: no setting or script reads it (briefs go "
			          "in content/articles/)");
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
}

void lint_site(const struct site *s, int editorial, struct diag *d)
{
	char *yml = site_path(s, "site.yml");
	if (s->cfg.yaml && val_type(s->cfg.yaml) == VAL_MAP)
		check_keys(s->cfg.yaml, site_keys, sizeof site_keys / sizeof site_keys[0], yml,
		           "site.yml key", d);
	free(yml);
	check_same_names(s, ENT_TOPIC, 0, d);
	check_same_names(s, ENT_PERSON, editorial, d);
	check_content_folder(s, d);
}

/* ---- check's settings ---- */

long lint_word_budget(const struct site *s, const struct value *v, const char *key, long dflt,
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
		if (d)
			diag_code(d, DIAG_WARNING, "bad-setting", path, val_line(v), val_col(v),
			          "%s: expected a whole number of words, found %s%s%s", key,
			          text.len ? "\"" : "a ", text.len ? text.ptr : val_type_name(val_type(v)),
			          text.len ? "\"" : "");
		free(path);
		n = dflt;
	}
	buf_free(&text);
	return (long)n;
}

static void index_name(struct lint_opts *o, const char *name, size_t i)
{
	struct value *own = val_get(o->owners, name);
	if (!own) {
		own = val_list();
		val_set(o->owners, name, own);
		match_add(o->names, name, strlen(name));
	}
	for (size_t k = 0; k < val_len(own); k++)
		if ((size_t)val_get_num(val_at(own, k)) == i)
			return;
	val_push(own, val_num((double)i));
}

void lint_opts_init(struct lint_opts *o, const struct site *s, int editorial)
{
	memset(o, 0, sizeof *o);
	o->editorial = editorial;
	if (!editorial)
		return;
	const struct value *cfg = val_get(s->cfg.yaml, "check");
	o->summary_words = lint_word_budget(s, val_get(cfg, "summary_words"), "", 40, NULL);
	const struct value *derive = val_get(val_get(s->cfg.yaml, "summaries"), "words");
	o->derives_summary = !derive || val_type(derive) != VAL_NUM || val_get_num(derive) >= 1;
	o->names = match_new();
	o->owners = val_map();
	for (size_t i = 0; i < s->n_file_people; i++) {
		if (!s->people[i]->path)
			continue;
		index_name(o, s->people[i]->name, i);
		const struct value *al = val_get(s->people[i]->meta, "aliases");
		for (size_t k = 0; k < val_len(al); k++) {
			const char *a = val_get_str(val_at(al, k), NULL);
			if (a && *a)
				index_name(o, a, i);
		}
	}
}

void lint_opts_free(struct lint_opts *o)
{
	match_free(o->names);
	val_free(o->owners);
	o->names = NULL;
	o->owners = NULL;
}
