/* import.c: `briefing import`, a scraped article into a draft brief. The
 * text is split into paragraphs; what follows the first wide gap (two or
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

#include "date.h"
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

static int stop_word(const char *w, size_t n)
{
	for (const char *const *s = not_names; *s; s++)
		if (strlen(*s) == n && !strncmp(w, *s, n))
			return 1;
	return 0;
}

/* Capitalised two- or three-word runs the site does not know. */
static void propose_people(const struct site *s, const char *text, struct value *out)
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
			    !val_get(out, name))
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

/* The first sentence of text, at most 14 words: a working title. */
static char *working_title(const char *text)
{
	buf b = BUF_INIT;
	int words = 0, in = 0;
	for (const char *p = text; *p; p++) {
		int sp = isspace((unsigned char)*p);
		if (!sp && !in && ++words > 14)
			break;
		in = !sp;
		if (*p == '.' && (p[1] == ' ' || !p[1]) && words > 3 && !isupper((unsigned char)p[-1]))
			break;
		buf_putc(&b, sp ? ' ' : *p);
	}
	while (b.len && (b.ptr[b.len - 1] == ' ' || b.ptr[b.len - 1] == ','))
		buf_truncate(&b, b.len - 1);
	return buf_detach(&b, NULL);
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
	struct value *people, *topics, *proposed;
	buf body;
};

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

/* Steps 1 to 3 and the title and date: the draft of the scrape raw. */
static void make_draft(const struct site *s, const struct import_opts *o, const char *raw,
                       struct draft *d)
{
	*d = (struct draft){.people = val_list(), .topics = val_list(), .proposed = val_map(),
	                    .body = BUF_INIT};
	buf text = BUF_INIT;
	struct value *paras = read_paragraphs(raw);
	keep_reporting(paras, &d->body, &text);
	val_free(paras);
	find_known(s, text.ptr, d->people, d->topics);
	propose_people(s, text.ptr, d->proposed);
	d->title = o->title ? xstrdup(o->title) : working_title(text.ptr);
	if (!o->date || site_date_parse(s, o->date, &d->when) != 0)
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
}

int import_run(const struct import_opts *o)
{
	buf raw = BUF_INIT;
	if (fs_read(o->file, &raw) != 0) {
		fprintf(stderr, "%s: error: cannot read: %s\n", o->file, strerror(errno));
		return 1;
	}
	struct diag *diag = diag_new();
	struct site *s = open_site(o, diag);
	int rc = 1;
	if (s) {
		struct draft d;
		buf fm = BUF_INIT;
		make_draft(s, o, raw.ptr, &d);
		write_draft(o, &d, &fm);
		rc = save_draft(s, &d, &fm);
		buf_free(&fm);
		free_draft(&d);
	}
	site_free(s);
	diag_free(diag);
	buf_free(&raw);
	return rc;
}
