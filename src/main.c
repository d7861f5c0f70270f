/* main.c: the command line. Subcommands, flags and exit codes only:
 * 0 success, 1 content or script errors, 2 usage errors. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "absurl.h"
#include "buf.h"
#include "build.h"
#include "date.h"
#include "check.h"
#include "import.h"
#include "num.h"
#include "scaffold.h"
#include "serve.h"
#include "fsutil.h"

static const char usage_text[] =
	"usage: briefing build [-s SITE_DIR] [-o OUT_DIR] [--base-url URL] [--drafts] [--future]\n"
	"                      [--as-of DATE] [-q | -v] [-j JOBS] [--no-cache] [--cache-dir DIR]\n"
	"                      [--strict]\n"
	"       briefing serve [-s SITE_DIR] [--bind ADDR] [--port N] [-v]\n"
	"       briefing new article|person|topic \"Name\" [-s SITE_DIR] [--topic T] [--person P]\n"
	"       briefing new site DIR\n"
	"       briefing check [-s SITE_DIR] [--format text|json] [--strict]\n"
	"       briefing import FILE [-s SITE_DIR] [--title T] [--date D] [--source S] [--url U]\n"
	"       briefing help\n"
	"       briefing --version\n"
	"\n"
	"  build      turn SITE_DIR (default: the current folder) into a static site\n"
	"  -s, --site DIR     the site folder, holding site.yml and content/\n"
	"  -o, --output DIR   write the site here instead of site.yml's output (public/)\n"
	"  --base-url URL     use URL instead of site.yml's base_url (previews)\n"
	"  --drafts           include articles marked draft: true\n"
	"  --future           include articles dated or scheduled (publish_at) later\n"
	"  --as-of DATE       build the site as it was on DATE (YYYY-MM-DD)\n"
	"  --clean-urls=false write x.html instead of x/index.html (hosts without indexes)\n"
	"  -q, --quiet        print nothing but errors and warnings\n"
	"  -v, --verbose      print the time each phase took\n"
	"  -j, --jobs N       worker threads (default: one per CPU, or BRIEFING_JOBS)\n"
	"  --no-cache         build everything anew; neither read nor write the cache\n"
	"  --cache-dir DIR    keep the cache in DIR (default: $XDG_CACHE_HOME/briefing)\n"
	"  --strict           fail (exit 1) on warnings too, for CI\n"
	"\n"
	"  serve      build (drafts included) and preview on http://127.0.0.1:8080/,\n"
	"             rebuilding and reloading the page when a file changes\n"
	"  new        start an article, a person, a topic or a whole site\n"
	"  check      lint the content: unknown names, missing summaries, ...\n"
	"  import     turn a scraped article into a draft brief\n"
	"\n"
	"See briefing(1), site.yml(5) and briefing-lua(7).\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "briefing: error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(run \"briefing help\" for usage)\n");
	return 2;
}

static int has_tool_files(const char *dir)
{
	char *t = fs_join(dir, "themes"), *s = fs_join(dir, "scripts");
	int ok = fs_is_dir(t) && fs_is_dir(s);
	free(t);
	free(s);
	return ok;
}

/* The folder holding the tool's scripts/ and themes/: $BRIEFING_DATA_DIR,
 * else next to the binary (or one up, for build/briefing in a checkout),
 * else ../share/briefing from the binary, else the install prefix. */
static char *find_tool_dir(void)
{
	const char *env = getenv("BRIEFING_DATA_DIR");
	if (env && *env)
		return xstrdup(env);
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			const char *rels[] = {"", "..", "../share/briefing"};
			for (size_t i = 0; i < 3; i++) {
				char *dir = *rels[i] ? fs_join(exe, rels[i]) : xstrdup(exe);
				if (has_tool_files(dir))
					return dir;
				free(dir);
			}
		}
	}
	return xstrdup(BRIEFING_DATADIR);
}

static int cmd_build(int argc, char **argv)
{
	struct build_opts o = {.site_dir = ".", .clean_urls = -1};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		/* long spellings of the value options */
		if (!strcmp(a, "--site"))
			a = "-s";
		else if (!strcmp(a, "--output"))
			a = "-o";
		else if (!strcmp(a, "--jobs"))
			a = "-j";
		if (!strcmp(a, "--base-url")) {
			if (i + 1 >= argc)
				return usage_error("%s needs a value", argv[i]);
			o.base_url = argv[++i];
			if (*o.base_url && !url_is_http(o.base_url))
				return usage_error("--base-url: expected an http:// or https:// address, "
				                   "found \"%s\"", o.base_url);
			continue;
		}
		if ((!strcmp(a, "-s") || !strcmp(a, "-o") || !strcmp(a, "-j")) && i + 1 >= argc)
			return usage_error("%s needs a value", argv[i]);
		if (!strcmp(a, "-s"))
			o.site_dir = argv[++i];
		else if (!strcmp(a, "-o"))
			o.out_dir = argv[++i];
		else if (!strcmp(a, "-j")) {
			long long jobs;
			if (num_parse(argv[++i], 1, 256, &jobs) != 0)
				return usage_error("-j: expected a number of threads from 1 to 256, "
				                   "found \"%s\"", argv[i]);
			o.jobs = (int)jobs;
		} else if (!strcmp(a, "--drafts"))
			o.drafts = 1;
		else if (!strcmp(a, "--future"))
			o.future = 1;
		else if (!strcmp(a, "--clean-urls=false") || !strcmp(a, "--no-clean-urls"))
			o.clean_urls = 0;
		else if (!strcmp(a, "--clean-urls=true") || !strcmp(a, "--clean-urls"))
			o.clean_urls = 1;
		else if (!strcmp(a, "--as-of")) {
			struct date when;
			if (i + 1 >= argc || date_parse(argv[i + 1], 0, &when) != 0)
				return usage_error("--as-of: expected YYYY-MM-DD or RFC 3339, found \"%s\"",
				                   i + 1 < argc ? argv[i + 1] : "");
			o.as_of = (long long)when.epoch;
			if (!when.has_time)
				o.as_of += 86399; /* the whole day */
			i++;
		}
		else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
			o.quiet = 1;
		else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
			o.verbose = 1;
		else if (!strcmp(a, "--no-cache"))
			o.no_cache = 1;
		else if (!strcmp(a, "--strict"))
			o.strict = 1;
		else if (!strcmp(a, "--cache-dir")) {
			if (i + 1 >= argc || !*argv[i + 1])
				return usage_error("%s needs a folder", a);
			o.cache_dir = argv[++i];
		}
		else
			return usage_error("unknown option \"%s\" for build", argv[i]);
	}
	if (!*o.site_dir)
		o.site_dir = ".";
	if (!fs_is_dir(o.site_dir))
		return usage_error("no site folder \"%s\"", o.site_dir);
	char *yml = fs_join(o.site_dir, "site.yml");
	int has_yml = fs_exists(yml);
	free(yml);
	if (!has_yml)
		return usage_error("no site.yml in \"%s\": is it a site folder?", o.site_dir);
	char *tool = find_tool_dir();
	o.tool_dir = tool;
	int rc = build_run(&o);
	free(tool);
	return rc;
}

static int cmd_serve(int argc, char **argv)
{
	struct serve_opts o = {.site_dir = ".", .bind = "127.0.0.1", .port = 8080};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((!strcmp(a, "-s") || !strcmp(a, "--site") || !strcmp(a, "--bind") ||
		     !strcmp(a, "--port") || !strcmp(a, "-p")) && i + 1 >= argc)
			return usage_error("%s needs a value", a);
		if (!strcmp(a, "-s") || !strcmp(a, "--site"))
			o.site_dir = argv[++i];
		else if (!strcmp(a, "--bind"))
			o.bind = argv[++i];
		else if (!strcmp(a, "--port") || !strcmp(a, "-p")) {
			long long port;
			if (num_parse(argv[++i], 1, 65535, &port) != 0)
				return usage_error("--port: expected 1 to 65535, found \"%s\"", argv[i]);
			o.port = (int)port;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
			o.verbose = 1;
		else
			return usage_error("unknown option \"%s\" for serve", a);
	}
	if (!fs_is_dir(o.site_dir))
		return usage_error("no site folder \"%s\"", o.site_dir);
	char *tool = find_tool_dir();
	o.tool_dir = tool;
	int rc = serve_run(&o);
	free(tool);
	return rc;
}

static int cmd_new(int argc, char **argv)
{
	if (argc < 3)
		return usage_error("%s", "new needs a kind and a name: briefing new article|person|topic "
		                         "\"Name\", or briefing new site DIR");
	struct new_opts o = {.kind = argv[1], .name = argv[2], .site_dir = "."};
	if (strcmp(o.kind, "article") && strcmp(o.kind, "person") && strcmp(o.kind, "topic") &&
	    strcmp(o.kind, "site"))
		return usage_error("new: expected article, person, topic or site, found \"%s\"", o.kind);
	const char **topics = xcalloc((size_t)argc, sizeof *topics);
	const char **people = xcalloc((size_t)argc, sizeof *people);
	int nt = 0, np = 0, rc = -1;
	for (int i = 3; i < argc && rc < 0; i++) {
		const char *a = argv[i];
		if (i + 1 >= argc)
			rc = usage_error("unknown or incomplete option \"%s\" for new", a);
		else if (!strcmp(a, "-s") || !strcmp(a, "--site"))
			o.site_dir = argv[++i];
		else if (!strcmp(a, "--topic"))
			topics[nt++] = argv[++i];
		else if (!strcmp(a, "--person"))
			people[np++] = argv[++i];
		else
			rc = usage_error("unknown option \"%s\" for new", a);
	}
	if (rc < 0) {
		o.topics = topics;
		o.people = people;
		rc = scaffold_new(&o);
	}
	free(topics);
	free(people);
	return rc;
}

static int cmd_check(int argc, char **argv)
{
	struct check_opts o = {.site_dir = "."};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((!strcmp(a, "-s") || !strcmp(a, "--site") || !strcmp(a, "--format")) && i + 1 >= argc)
			return usage_error("%s needs a value", a);
		if (!strcmp(a, "-s") || !strcmp(a, "--site"))
			o.site_dir = argv[++i];
		else if (!strcmp(a, "--strict"))
			o.strict = 1;
		else if (!strcmp(a, "--format")) {
			const char *f = argv[++i];
			if (strcmp(f, "json") && strcmp(f, "text"))
				return usage_error("--format: expected text or json, found \"%s\"", f);
			o.json = !strcmp(f, "json");
		} else
			return usage_error("unknown option \"%s\" for check", a);
	}
	if (!fs_is_dir(o.site_dir))
		return usage_error("no site folder \"%s\"", o.site_dir);
	char *tool = find_tool_dir();
	o.tool_dir = tool;
	int rc = check_run(&o);
	free(tool);
	return rc;
}

static int cmd_import(int argc, char **argv)
{
	struct import_opts o = {.site_dir = "."};
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = !strcmp(a, "-s") || !strcmp(a, "--site") ? &o.site_dir
		                  : !strcmp(a, "--title")                    ? &o.title
		                  : !strcmp(a, "--date")                     ? &o.date
		                  : !strcmp(a, "--source")                   ? &o.source
		                  : !strcmp(a, "--url")                      ? &o.url
		                                                             : NULL;
		if (slot) {
			if (i + 1 >= argc)
				return usage_error("%s needs a value", a);
			*slot = argv[++i];
		} else if (a[0] == '-' || o.file) {
			return usage_error("unknown option or extra file \"%s\" for import", a);
		} else {
			o.file = a;
		}
	}
	if (!o.file)
		return usage_error("%s", "import needs a file: briefing import FILE");
	if (o.url && !url_is_http(o.url))
		return usage_error("--url: expected an http:// or https:// address, found \"%s\"", o.url);
	return import_run(&o);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage_text, stderr);
		return 2;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
		printf("briefing %s\n", BRIEFING_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(cmd, "build"))
		return cmd_build(argc - 1, argv + 1);
	if (!strcmp(cmd, "serve"))
		return cmd_serve(argc - 1, argv + 1);
	if (!strcmp(cmd, "new"))
		return cmd_new(argc - 1, argv + 1);
	if (!strcmp(cmd, "check"))
		return cmd_check(argc - 1, argv + 1);
	if (!strcmp(cmd, "import"))
		return cmd_import(argc - 1, argv + 1);
	return usage_error("unknown command \"%s\"", cmd);
}
