/* import.c: `briefing import`, a scraped article (plain text, or a saved
 * HTML page read by htmltext.c) into a draft brief. The text is split
 * into paragraphs; what follows the first wide gap (two or
 * more blank lines: teasers, share boxes, author boxes) and paragraphs that
 * look like page furniture are dropped; the site's people and topics found
 * in the text are listed; capitalised names the site does not know are
 * proposed in a comment. The editor rewrites the body: it stays a draft. */
#include "import.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "controls.h"
#include "date.h"
#include "htmltext.h"
#include "fsutil.h"
#include "site.h"
#include "yamlvalue.h"
#include "words.h"

/* Short paragraphs that are page furniture, not reporting. */
static const char *const furniture[] = {
	"short link", "do you like what you just read", "author details", "share this",
	"share on", "follow us", "subscribe", "click here", "read more", "related:",
	"advertisement", "sign up", "newsletter", "comments", "print this", "email this",
	"leave a comment", "tags:", NULL,
};

static int is_furniture(const char *p)
{
	size_t words = words_count(p);
	for (const char *const *f = furniture; *f; f++)
		if (!strncasecmp(p, *f, strlen(*f)) && words <= 12)
			return 1;
	/* "<Site> writer <Name> is a former ..." author boxes */
	return strstr(p, " writer") && strstr(p, " is a ") && words < 80;
}

/* Words that start sentences or titles, not names. */
static const char *const not_names[] = {
	"The", "A", "An", "In", "On", "At", "But", "And", "So", "If", "It", "He", "She", "They",
	"We", "Our", "This", "That", "Given", "Despite", "According", "Secretary", "State",
	"President", "Senator", "Sen", "Defense", "North", "South", "United", "States", "White",
	"House", "Korea", "Korean", "China", "American", "Pacific", "Ocean", "Navy", "Look",
	"Let", "Do", "Author", "Details", "Short", "Link", "News", "Spero", "November", "February",
	"Tuesday", "Monday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", NULL,
};

/* Last words that make a name an organisation, not a person. */
static const char *const org_words[] = {
	"Council", "Committee", "Department", "Ministry", "Agency", "University", "Institute",
	"Institution", "Center", "Centre", "Foundation", "Association", "Organization",
	"Organisation", "Nations", "Union", "Party", "Army", "Command", "Times", "News", "Post",
	"Press", "Journal", "Bank", "Fund", "Commission", "Office", "Court", "Senate", "Congress",
	"Parliament", "Company", "Corporation", "Group", "Service", "Agency", "Board", "Forum",
	"Network", "Club", "School", "College", "Academy", "Society", "Alliance", "Coalition",
	"Bureau", "Authority", "Administration", "Fleet", "Force", "Guard", "Embassy", NULL,
};

static int org_word(const char *w, size_t n)
{
	for (const char *const *o = org_words; *o; o++)
		if (strlen(*o) == n && !strncmp(w, *o, n))
			return 1;
	return 0;
}

/* Does a word of the run, or a capitalised word right after it, say
 * organisation ("Senate Foreign Relations Committee", cut at three)? */
static int has_org_word(const char *const *words, const size_t *lens, int k, const char *after)
{
	for (int i = 0; i < k; i++)
		if (org_word(words[i], lens[i]))
			return 1;
	while (*after == ' ')
		after++;
	size_t n = 0;
	while (isalpha((unsigned char)after[n]))
		n++;
	return n && org_word(after, n);
}

static int stop_word(const char *w, size_t n)
{
	for (const char *const *s = not_names; *s; s++)
		if (strlen(*s) == n && !strncmp(w, *s, n))
			return 1;
	return 0;
}

/* Is there a content/orgs/ file for name? */
static int is_org_file(const struct site *s, const char *name)
{
	char *slug = slugify(name);
	char *rel = xasprintf("content/orgs/%s.md", slug);
	char *path = site_path(s, rel);
	int found = fs_exists(path);
	free(path);
	free(rel);
	free(slug);
	return found;
}

/* Capitalised two- or three-word runs the site does not know, that are
 * neither organisations (a last word such as "Council", a known source,
 * a file in content/orgs/) nor names in not_people. */
static void propose_people(const struct site *s, const char *text, const struct value *not_people,
                           struct value *out)
{
	const char *p = text;
	while (*p) {
		const char *words[3];
		size_t lens[3];
		int k = 0;
		const char *q = p;
		while (k < 3 && isupper((unsigned char)*q)) {
			const char *w = q;
			while (isalpha((unsigned char)*q) || *q == '-')
				q++;
			size_t n = (size_t)(q - w);
			if (n < 2 || !islower((unsigned char)w[1]) || stop_word(w, n))
				break;
			words[k] = w;
			lens[k++] = n;
			if (*q != ' ' || !isupper((unsigned char)q[1]))
				break;
			q++;
		}
		if (k >= 2) {
			char *name = xstrndup(words[0], (size_t)(words[k - 1] + lens[k - 1] - words[0]));
			if (!site_find(s, ENT_PERSON, name) && !site_find(s, ENT_TOPIC, name) &&
			    !val_get(out, name) && !has_org_word(words, lens, k, q) &&
			    !val_get(not_people, name) && !is_org_file(s, name))
				val_set(out, name, val_bool(1));
			free(name);
			p = words[k - 1] + lens[k - 1];
			continue;
		}
		/* next word */
		while (*p && !isspace((unsigned char)*p))
			p++;
		while (*p && isspace((unsigned char)*p))
			p++;
	}
}

/* A working title when the page gives no headline: the first paragraph
 * when it is a headline (at most 16 words, no full stop at its end),
 * else the first sentence, whole: never a sentence cut short. */
static char *working_title(const char *text, int *headline)
{
	const char *end = strchr(text, '\n');
	size_t n = end ? (size_t)(end - text) : strlen(text);
	char *first = xstrndup(text, n);
	*headline = 0;
	if (words_count(first) <= 16 && n && !strchr(".!?:;,", text[n - 1])) {
		*headline = 1;
		return first;
	}
	free(first);
	buf b = BUF_INIT;
	for (const char *p = text; *p && *p != '\n'; p++) {
		buf_putc(&b, *p);
		/* a full stop after a lower-case word ends it ("U.S." does not) */
		if (strchr(".!?", *p) && (p[1] == ' ' || p[1] == '\n' || !p[1]) && b.len > 20 &&
		    islower((unsigned char)p[-1]))
			break;
	}
	while (b.len && strchr(" ,.", b.ptr[b.len - 1]))
		buf_truncate(&b, b.len - 1);
	return buf_detach(&b, NULL);
}

/* A date the text states in full ("December 12, 2017", "12 December
 * 2017", "2017-12-12"), as YYYY-MM-DD into out; 0 or -1. */
static int date_in_text(const char *text, char out[32])
{
	static const char *const months[] = {"January", "February", "March", "April", "May",
	                                     "June", "July", "August", "September", "October",
	                                     "November", "December"};
	for (const char *p = text; *p; p++) {
		int y, m, d, used;
		if (isdigit((unsigned char)*p) && (p == text || !isalnum((unsigned char)p[-1])) &&
		    sscanf(p, "%4d-%2d-%2d%n", &y, &m, &d, &used) == 3 && used == 10 &&
		    !isdigit((unsigned char)p[10])) {
			snprintf(out, 32, "%04d-%02d-%02d", y, m, d);
			struct date check;
			if (date_parse(out, 0, &check) == 0)
				return 0;
		}
		for (int k = 0; k < 12; k++) {
			size_t ml = strlen(months[k]);
			if (strncmp(p, months[k], ml) || (p > text && isalpha((unsigned char)p[-1])))
				continue;
			/* "December 12, 2017" */
			if (sscanf(p + ml, " %2d, %4d%n", &d, &y, &used) == 2 && y > 1900) {
				snprintf(out, 32, "%04d-%02d-%02d", y, k + 1, d);
				struct date check;
				if (date_parse(out, 0, &check) == 0)
					return 0;
			}
			/* "12 December 2017" */
			const char *q = p - 1;
			while (q > text && q[-1] != ' ' && isdigit((unsigned char)q[-1]))
				q--;
			if (q >= text && q < p - 1 && isdigit((unsigned char)*q) &&
			    sscanf(q, "%2d", &d) == 1 && sscanf(p + ml, " %4d%n", &y, &used) == 1 &&
			    y > 1900) {
				snprintf(out, 32, "%04d-%02d-%02d", y, k + 1, d);
				struct date check;
				if (date_parse(out, 0, &check) == 0)
					return 0;
			}
		}
	}
	return -1;
}

/* One line of a scrape, trimmed, with U+00A0 read as a space. Caller frees. */
static char *clean_line(const char *p, size_t n)
{
	char *line = xstrndup(p, n);
	char *t = line;
	while (*t && isspace((unsigned char)*t))
		t++;
	for (char *e = t + strlen(t); e > t && isspace((unsigned char)e[-1]); *--e = '\0')
		;
	char *w = line;
	for (const char *r = t; *r; r++) {
		int nbsp = (unsigned char)r[0] == 0xC2 && (unsigned char)r[1] == 0xA0;
		*w++ = nbsp ? ' ' : *r;
		r += nbsp;
	}
	*w = '\0';
	return line;
}

/* Step 1: the paragraphs of the scrape, each joined into one line, up to
 * the first wide gap (two or more blank lines: what follows is furniture). */
static struct value *read_paragraphs(const char *raw)
{
	struct value *paras = val_list();
	buf para = BUF_INIT;
	int blanks = 0;
	for (const char *p = raw; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = clean_line(p, n);
		p = nl ? nl + 1 : p + n;
		if (!*line) {
			blanks++;
			free(line);
			continue;
		}
		if (blanks >= 2 && val_len(paras) > 0) {
			free(line);
			break; /* the story ended */
		}
		if (blanks && para.len) {
			val_push(paras, val_str(para.ptr, para.len));
			buf_reset(&para);
		}
		if (para.len)
			buf_putc(&para, ' ');
		buf_puts(&para, line);
		blanks = 0;
		free(line);
	}
	if (para.len)
		val_push(paras, val_str(para.ptr, para.len));
	buf_free(&para);
	return paras;
}

/* Step 2: the paragraphs that are reporting, as the Markdown body and as
 * plain text (one paragraph a line) to search for names. */
static void keep_reporting(const struct value *paras, buf *body, buf *text)
{
	for (size_t i = 0; i < val_len(paras); i++) {
		const char *t = val_get_str(val_at(paras, i), NULL);
		if (is_furniture(t))
			continue;
		buf_printf(body, "%s\n\n", t);
		buf_printf(text, "%s\n", t);
	}
}

/* Step 3: the people (by name, or an alias over three letters) and
 * topics the site knows that text names. */
static void find_known(const struct site *s, const char *text, struct value *people,
                       struct value *topics)
{
	for (size_t i = 0; i < s->n_people; i++) {
		struct entity *e = s->people[i];
		int found = words_contain(text, e->name, 0);
		const struct value *al = val_get(e->meta, "aliases");
		for (size_t k = 0; k < val_len(al) && !found; k++) {
			const char *a = val_get_str(val_at(al, k), NULL);
			found = a && strlen(a) > 3 && words_contain(text, a, 0);
		}
		if (found)
			val_push(people, val_cstr(e->name));
	}
	for (size_t i = 0; i < s->n_topics; i++)
		if (words_contain(text, s->topics[i]->name, 1))
			val_push(topics, val_cstr(s->topics[i]->name));
}

/* What the draft says about itself. */
struct draft {
	char *title;
	struct date when;
	struct value *people, *topics, *proposed, *sources;
	buf body;
};

/* Step 3b: the sources of data/sources.yml that the text names, or that
 * --source names (by name or alias, any case), into d->sources; every
 * name and alias into names (organisations, never proposed as people). */
static void find_sources(const struct site *s, const struct import_opts *o, const char *text,
                         struct draft *d, struct value *names)
{
	char *path = site_path(s, "data/sources.yml");
	buf yaml = BUF_INIT;
	struct diag *quiet = diag_new();
	struct value *list = fs_read(path, &yaml) == 0
	                         ? yv_parse(yaml.ptr, yaml.len, path, NULL, quiet) : NULL;
	for (size_t i = 0; i < val_len(list); i++) {
		const struct value *src = val_at(list, i);
		const char *name = val_get_str(val_get(src, "name"), NULL);
		if (!name)
			continue;
		const struct value *aliases = val_get(src, "aliases");
		int found = 0;
		for (size_t k = 0; k <= val_len(aliases); k++) {
			const char *n = k ? val_get_str(val_at(aliases, k - 1), NULL) : name;
			if (!n)
				continue;
			val_set(names, n, val_bool(1));
			found = found || (o->source && !strcasecmp(o->source, n)) ||
			        words_contain(text, n, 0);
		}
		if (found)
			val_push(d->sources, val_cstr(name));
	}
	val_free(list);
	diag_free(quiet);
	buf_free(&yaml);
	free(path);
}

/* Step 4: the draft's text: front matter (a draft, summary and
 * why_it_matters left for the editor, unknown names in a comment), then
 * the body. */
static void write_draft(const struct import_opts *o, const struct draft *d, buf *fm)
{
	buf_puts(fm, "---\ntitle: ");
	yv_put_quoted(fm, d->title);
	buf_puts(fm, "\ndate: ");
	date_put_iso(fm, &d->when);
	buf_puts(fm, "\nsummary: \"\"\n");
	const struct { const char *key; struct value *list; } lists[] = {{"topics", d->topics},
	                                                                  {"people", d->people}};
	for (int l = 0; l < 2; l++) {
		buf_printf(fm, "%s: [", lists[l].key);
		for (size_t i = 0; i < val_len(lists[l].list); i++) {
			if (i)
				buf_puts(fm, ", ");
			yv_put_quoted(fm, val_get_str(val_at(lists[l].list, i), NULL));
		}
		buf_puts(fm, "]\n");
	}
	buf_puts(fm, "sources:");
	for (size_t i = 0; i < val_len(d->sources); i++) {
		buf_puts(fm, "\n  - name: ");
		yv_put_quoted(fm, val_get_str(val_at(d->sources, i), NULL));
	}
	buf_puts(fm, val_len(d->sources) ? "\n" : " []\n");
	if (val_len(d->proposed)) {
		buf_puts(fm, "# names the site does not know yet (briefing new person \"Name\"):");
		for (size_t i = 0; i < val_len(d->proposed); i++)
			buf_printf(fm, "%s %s", i ? "," : "", val_key_at(d->proposed, i, NULL));
		buf_putc(fm, '\n');
	}
	buf_puts(fm, "source: ");
	yv_put_quoted(fm, o->source ? o->source : "");
	buf_puts(fm, "\nsource_url: ");
	yv_put_quoted(fm, o->url ? o->url : "");
	buf_puts(fm, "\nwhy_it_matters: \"\"\ndraft: true\n---\n\n"
	             "<!-- Imported text: rewrite it in your own words before publishing. -->\n\n");
	buf_put(fm, d->body.ptr, d->body.len);
}

/* Step 5: content/articles/<year>/<slug>.md, never over an existing file. */
static int save_draft(const struct site *s, const struct draft *d, const buf *fm)
{
	char *slug = slugify(d->title);
	/* a whole first sentence as the title makes a long slug: its first
	 * words, cut at a hyphen, name the file well enough */
	for (size_t n = strlen(slug); n > 60;) {
		char *cut = memrchr(slug, '-', n);
		if (!cut || cut == slug)
			break;
		*cut = '\0';
		n = (size_t)(cut - slug);
	}
	char *rel = xasprintf("content/articles/%04d/%s.md", d->when.year, *slug ? slug : "imported");
	char *path = site_path(s, rel);
	int rc = 0;
	if (fs_exists(path)) {
		fprintf(stderr, "%s: error: already exists; briefing import never overwrites\n", path);
		rc = 1;
	} else if (fs_write(path, fm->ptr, fm->len) != 0) {
		fprintf(stderr, "%s: error: cannot write: %s\n", path, strerror(errno));
		rc = 1;
	} else {
		printf("created %s (a draft: people %zu, topics %zu, new names proposed %zu)\n", path,
		       val_len(d->people), val_len(d->topics), val_len(d->proposed));
	}
	free(path);
	free(rel);
	free(slug);
	return rc;
}

/* The site at o->site_dir, scanned; NULL after printing its errors. */
static struct site *open_site(const struct import_opts *o, struct diag *d)
{
	struct site *s = site_open(o->site_dir, d);
	if (s && site_scan(s) == 0)
		return s;
	diag_print(d, stderr);
	if (s)
		diag_print(s->diag, stderr);
	site_free(s);
	return NULL;
}

/* Steps 1 to 3 and the title and date: the draft of the scrape raw (a
 * saved page's text when page is not NULL). The date: --date, else the
 * page's, else one the text states, else now. */
static void make_draft(const struct site *s, const struct import_opts *o, const char *raw,
                       const struct ht_page *page, struct draft *d)
{
	*d = (struct draft){.people = val_list(), .topics = val_list(), .proposed = val_map(),
	                    .sources = val_list(), .body = BUF_INIT};
	buf text = BUF_INIT;
	struct value *paras = read_paragraphs(page ? page->text.ptr : raw);
	int headline = 0;
	if (o->title || (page && page->headline)) {
		d->title = xstrdup(o->title ? o->title : page->headline);
	} else {
		buf first = BUF_INIT; /* the first paragraph that is reporting */
		keep_reporting(paras, &first, &text);
		d->title = working_title(text.ptr, &headline);
		buf_free(&first);
		buf_reset(&text);
	}
	if (headline) { /* the first paragraph is the headline, not body text */
		struct value *rest = val_list();
		for (size_t i = 1; i < val_len(paras); i++)
			val_push(rest, val_copy(val_at(paras, i)));
		val_free(paras);
		paras = rest;
	}
	keep_reporting(paras, &d->body, &text);
	val_free(paras);
	struct value *orgs = val_map();
	find_known(s, text.ptr, d->people, d->topics);
	find_sources(s, o, text.ptr, d, orgs);
	propose_people(s, text.ptr, orgs, d->proposed);
	val_free(orgs);
	char stated[32];
	if (o->date)
		site_date_parse(s, o->date, &d->when); /* checked by import_run */
	else if (page && page->published && site_date_parse(s, page->published, &d->when) == 0)
		;
	else if (date_in_text(text.ptr, stated) == 0)
		site_date_parse(s, stated, &d->when);
	else
		site_date_now(s, &d->when);
	buf_free(&text);
}

static void free_draft(struct draft *d)
{
	free(d->title);
	buf_free(&d->body);
	val_free(d->people);
	val_free(d->topics);
	val_free(d->proposed);
	val_free(d->sources);
}

/* Refuses what cannot be an article: an empty file, or binary data (a
 * NUL byte or bytes that are not UTF-8). Returns 0, or 1 after saying so. */
static int check_text(const char *path, const buf *raw)
{
	size_t i = 0;
	while (i < raw->len && isspace((unsigned char)raw->ptr[i]))
		i++;
	if (i == raw->len) {
		fprintf(stderr, "%s: error: the file is empty; nothing to import\n", path);
		return 1;
	}
	for (i = 0; i < raw->len; i++) {
		unsigned char c = (unsigned char)raw->ptr[i];
		int n = c < 0x80 ? 0 : c >= 0xC2 && c < 0xE0 ? 1 : c >= 0xE0 && c < 0xF0 ? 2
		      : c >= 0xF0 && c < 0xF5 ? 3 : -1;
		for (int k = 1; k <= n; k++)
			if (i + (size_t)k >= raw->len || ((unsigned char)raw->ptr[i + k] & 0xC0) != 0x80)
				n = -1;
		if (c == 0 || n < 0) {
			fprintf(stderr, "%s: error: binary data, not text (byte 0x%02X at offset %zu); "
			        "import reads plain text or a saved HTML page\n", path, c, i);
			return 1;
		}
		i += (size_t)n;
	}
	return 0;
}

int import_run(const struct import_opts *o)
{
	buf raw = BUF_INIT;
	if (fs_read(o->file, &raw) != 0) {
		fprintf(stderr, "%s: error: cannot read: %s\n", o->file, strerror(errno));
		return 1;
	}
	if (check_text(o->file, &raw) != 0) {
		buf_free(&raw);
		return 1;
	}
	ctl_drop(&raw, o->file, NULL); /* a form feed from PDF text has no place in a brief */
	struct diag *diag = diag_new();
	struct site *s = open_site(o, diag);
	int rc = 1;
	struct date check;
	if (s && o->date && site_date_parse(s, o->date, &check) != 0) {
		fprintf(stderr, "briefing: error: --date: expected YYYY-MM-DD or RFC 3339, found \"%s\"\n",
		        o->date);
	} else if (s) {
		struct ht_page page, *html = NULL;
		if (ht_is_html(raw.ptr, raw.len)) {
			ht_read(raw.ptr, raw.len, &page);
			html = &page;
		}
		struct draft d;
		buf fm = BUF_INIT;
		make_draft(s, o, raw.ptr, html, &d);
		write_draft(o, &d, &fm);
		rc = save_draft(s, &d, &fm);
		buf_free(&fm);
		free_draft(&d);
		ht_free(html);
	}
	site_free(s);
	diag_free(diag);
	buf_free(&raw);
	return rc;
}
