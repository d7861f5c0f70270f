/* scaffold.c: writes new content files. Strings go into YAML double-quoted
 * (escaped), slugs come from slugify(), dates from the clock (or
 * SOURCE_DATE_EPOCH, for reproducible tests) in the site's time zone. */
#include "scaffold.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "date.h"
#include "fsutil.h"
#include "site.h"
#include "yamlvalue.h"

static void yaml_list(buf *b, const char *key, const char **items)
{
	buf_printf(b, "%s: [", key);
	for (int i = 0; items && items[i]; i++) {
		if (i)
			buf_puts(b, ", ");
		yv_put_quoted(b, items[i]);
	}
	buf_puts(b, "]\n");
}

/* Writes path only if nothing is there yet. */
static int create(const char *path, const buf *text)
{
	if (fs_exists(path)) {
		fprintf(stderr, "%s: error: already exists; briefing new never overwrites\n", path);
		return 1;
	}
	if (fs_write(path, text->ptr, text->len) != 0) {
		fprintf(stderr, "%s: error: cannot write: %s\n", path, strerror(errno));
		return 1;
	}
	printf("created %s\n", path);
	return 0;
}

/* Is dir a folder with nothing in it (dotfiles count)? */
static int dir_is_empty(const char *dir)
{
	size_t n = 0;
	char **names = fs_list(dir, NULL, &n);
	fs_free_names(names, n);
	return n == 0;
}

/* content/articles/YEAR/SLUG.md; when the year has one ("Week ahead"
 * every week), the day goes first, then a number: a new brief never
 * fails for its title. */
static void article_path(const struct site *s, buf *rel, const struct date *dt, const char *slug)
{
	for (int n = 0;; n++) {
		buf_truncate(rel, 0);
		buf_printf(rel, "content/articles/%04d/", dt->year);
		if (n)
			buf_printf(rel, "%04d-%02d-%02d-", dt->year, dt->month, dt->day);
		buf_puts(rel, slug);
		if (n > 1)
			buf_printf(rel, "-%d", n);
		buf_puts(rel, ".md");
		char *path = site_path(s, rel->ptr);
		int taken = fs_exists(path);
		free(path);
		if (!taken)
			return;
	}
}

static int new_site(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) == 0 && !(S_ISDIR(st.st_mode) && dir_is_empty(dir))) {
		fprintf(stderr, "%s: error: already exists and is not an empty folder; briefing new "
		        "site wants a new or empty folder\n", dir);
		return 1;
	}
	struct date d;
	date_from_epoch(date_now(), 0, &d);
	buf b = BUF_INIT, p = BUF_INIT;
	int rc = 0;
	buf_puts(&b, "# site.yml: see site.yml(5). Only the title is required.\n"
	             "title: \"My Briefing\"\n"
	             "description: \"What happened, and why it matters.\"\n"
	             "base_url: \"\"          # https://example.org/briefing/ for feeds and sitemap\n"
	             "language: en\n"
	             "timezone: UTC\n");
	char *path = fs_join(dir, "site.yml");
	rc |= create(path, &b);
	free(path);
	static const char *const folders[] = {"content/people", "content/topics", "scripts",
	                                      "templates", "static", NULL};
	for (const char *const *f = folders; *f && !rc; f++) {
		char *sub = fs_join(dir, *f);
		if (fs_mkdirs(sub) != 0)
			rc = 1;
		free(sub);
	}
	buf_reset(&b);
	buf_puts(&b, "---\ntitle: \"Welcome to your briefing\"\ndate: ");
	date_put_day(&b, &d);
	buf_puts(&b, "\nsummary: \"The first brief: edit or delete it.\"\ntopics: [\"Getting started\"]\n"
	             "why_it_matters: \"Every brief says why it matters in one sentence.\"\n---\n\n"
	             "Briefs live in `content/articles/`, people in `content/people/` and topics in\n"
	             "`content/topics/`. Run `briefing serve` and edit this file to see the page change.\n");
	buf_printf(&p, "content/articles/%04d/welcome.md", d.year);
	path = fs_join(dir, p.ptr);
	if (!rc)
		rc |= create(path, &b);
	free(path);
	/* the topic the first brief names, so that the starter checks clean */
	buf_reset(&b);
	buf_puts(&b, "---\ntitle: \"Getting started\"\ndescription: \"How this briefing is "
	             "made.\"\n---\n\nNotes for the editors: where files go and how a brief "
	             "is shaped.\n");
	path = fs_join(dir, "content/topics/getting-started.md");
	if (!rc)
		rc |= create(path, &b);
	free(path);
	buf_free(&b);
	buf_free(&p);
	if (!rc)
		printf("a new site is in %s: try  briefing serve -s %s\n", dir, dir);
	return rc;
}

int scaffold_new(const struct new_opts *o)
{
	if (!strcmp(o->kind, "site"))
		return new_site(o->name);
	struct diag *d = diag_new();
	struct site *s = site_open(o->site_dir, d);
	if (!s) {
		diag_print(d, stderr);
		diag_free(d);
		return 1;
	}
	char *slug = slugify(o->name);
	if (!*slug) {
		fprintf(stderr, "briefing: error: \"%s\" gives an empty file name; use letters or digits\n",
		        o->name);
		free(slug);
		site_free(s);
		diag_free(d);
		return 2;
	}
	buf b = BUF_INIT, rel = BUF_INIT;
	buf_puts(&b, "---\n");
	if (!strcmp(o->kind, "article")) {
		struct date dt;
		site_date_now(s, &dt);
		buf_puts(&b, "title: ");
		yv_put_quoted(&b, o->name);
		buf_puts(&b, "\ndate: ");
		date_put_iso(&b, &dt);
		buf_puts(&b, "\nsummary: \"\"\n");
		yaml_list(&b, "topics", o->topics);
		yaml_list(&b, "people", o->people);
		/* every field the default scripts and theme use, empty: "" and []
		 * mean none, so a half-filled draft builds without warnings */
		buf_puts(&b, "thread: \"\"\nsource: \"\"\nsource_url: \"\"\nsources: []\n"
		             "why_it_matters: \"\"\nkey_points: []\nwhat_next: \"\"\nbottom_line: \"\"\n"
		             "draft: true\n---\n\nWhat happened, in two or three short "
		             "paragraphs. Remove `draft: true` above to publish.\n");
		article_path(s, &rel, &dt, slug);
	} else if (!strcmp(o->kind, "person")) {
		buf_puts(&b, "name: ");
		yv_put_quoted(&b, o->name);
		buf_puts(&b, "\naliases: []\nrole: \"\"\ncountry: \"\"\n---\n\nA short, neutral bio.\n");
		buf_printf(&rel, "content/people/%s.md", slug);
	} else {
		buf_puts(&b, "title: ");
		yv_put_quoted(&b, o->name);
		buf_puts(&b, "\ndescription: \"\"\n---\n\nWhat this topic covers.\n");
		buf_printf(&rel, "content/topics/%s.md", slug);
	}
	char *path = site_path(s, rel.ptr);
	int rc = create(path, &b);
	free(path);
	free(slug);
	buf_free(&b);
	buf_free(&rel);
	site_free(s);
	diag_free(d);
	return rc;
}
