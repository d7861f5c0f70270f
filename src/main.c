/* main.c: the command line. Subcommands, flags and exit codes only:
 * 0 success, 1 content or script errors, 2 usage errors. Options are read
 * with getopt_long, so "--output DIR", "--output=DIR", "-o DIR", "-oDIR"
 * and "-j2" all work, and options may follow the operands. */
#include <getopt.h>
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
#include "hugepages.h"
#include "import.h"
#include "num.h"
#include "resize.h"
#include "scaffold.h"
#include "serve.h"
#include "fsutil.h"

/* One subcommand: its synopsis lines (for `briefing help` and its own
 * help) and the options it takes, one per line. */
struct command {
	const char *name;
	int (*run)(const struct command *cmd, int argc, char **argv);
	const char *synopsis;
	const char *summary; /* one line for the overview */
	const char *options;
};

static int cmd_build(const struct command *cmd, int argc, char **argv);
static int cmd_serve(const struct command *cmd, int argc, char **argv);
static int cmd_new(const struct command *cmd, int argc, char **argv);
static int cmd_check(const struct command *cmd, int argc, char **argv);
static int cmd_import(const struct command *cmd, int argc, char **argv);

static const struct command commands[] = {
	{"build", cmd_build,
	 "briefing build [-s SITE_DIR] [-o OUT_DIR] [--base-url URL] [--drafts] [--future]\n"
	 "               [--as-of DATE] [--for-file] [--clean-urls=true|false] [-q | -v]\n"
	 "               [-j JOBS] [--no-cache] [--cache-dir DIR] [--strict]\n",
	 "turn SITE_DIR (default: the current folder) into a static site",
	 "  -s, --site DIR       the site folder, holding site.yml and content/\n"
	 "  -o, --output DIR     write the site here instead of site.yml's output (public/)\n"
	 "  --base-url URL       use URL instead of site.yml's base_url (previews)\n"
	 "  --drafts             include articles marked draft: true\n"
	 "  --future             include articles dated or scheduled (publish_at) later\n"
	 "  --as-of DATE         build the site as it was on DATE (YYYY-MM-DD)\n"
	 "  --for-file           links end in index.html, so the output can be opened\n"
	 "                       from disk (site.yml: relative_index: true)\n"
	 "  --clean-urls=false   write x.html instead of x/index.html (hosts without indexes)\n"
	 "  -q, --quiet          print nothing but errors and warnings\n"
	 "  -v, --verbose        print the time each phase took\n"
	 "  -j, --jobs N         worker threads (default: one per CPU, or BRIEFING_JOBS)\n"
	 "  --no-cache           build everything anew; neither read nor write the cache\n"
	 "  --cache-dir DIR      keep the cache in DIR (default: $XDG_CACHE_HOME/briefing)\n"
	 "  --strict             fail (exit 1) on warnings too, for CI\n"},
	{"serve", cmd_serve,
	 "briefing serve [-s SITE_DIR] [--bind ADDR] [-p PORT] [--base-url URL]\n"
	 "               [--drafts | --no-drafts] [--future | --no-future] [--published]\n"
	 "               [--open] [-q | -v]\n",
	 "build and preview on http://127.0.0.1:8080/, rebuilding and reloading\n"
	 "             the page when a file changes (drafts and future articles shown)",
	 "  -s, --site DIR       the site folder, holding site.yml and content/\n"
	 "  --bind ADDR          listen on ADDR: an IPv4 or IPv6 address, or localhost\n"
	 "                       (default 127.0.0.1; [::1] and ::1 both work)\n"
	 "  -p, --port N         listen on port N (default 8080)\n"
	 "  --base-url URL       the preview's address for feeds, canonical links and the\n"
	 "                       404 page (default: http://ADDR:PORT/)\n"
	 "  --drafts, --future   show drafts, future-dated and scheduled articles (default)\n"
	 "  --no-drafts          leave drafts out\n"
	 "  --no-future          leave future-dated and scheduled articles out\n"
	 "  --published          both: exactly what `briefing build` would publish\n"
	 "  --open               open the preview in a browser (xdg-open)\n"
	 "  -q, --quiet          print nothing but the address, errors and warnings\n"
	 "  -v, --verbose        print the time each phase of each rebuild took\n"},
	{"new", cmd_new,
	 "briefing new article|person|topic \"Name\" [-s SITE_DIR] [--topic T] [--person P]\n"
	 "briefing new site DIR\n",
	 "start an article, a person, a topic or a whole site",
	 "  -s, --site DIR       the site folder, holding site.yml and content/\n"
	 "  --topic T            an article's topic (repeat for more)\n"
	 "  --person P           a person the article names (repeat for more)\n"
	 "  new site DIR         makes DIR, or fills it when it is an empty folder\n"},
	{"check", cmd_check,
	 "briefing check [-s SITE_DIR] [--format text|json] [--strict]\n",
	 "lint the content: unknown names, missing summaries, ...",
	 "  -s, --site DIR       the site folder, holding site.yml and content/\n"
	 "  --format FMT         text (default) or json, one object per message\n"
	 "  --strict             fail (exit 1) on warnings too, for CI\n"},
	{"import", cmd_import,
	 "briefing import FILE [-s SITE_DIR] [--title T] [--date D] [--source S] [--url U]\n",
	 "turn a scraped article into a draft brief",
	 "  -s, --site DIR       the site folder, holding site.yml and content/\n"
	 "  --title T            the brief's title (default: the first sentence)\n"
	 "  --date D             its date (default: now)\n"
	 "  --source S           who published the original\n"
	 "  --url U              where the original is (http:// or https://)\n"},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

/* Prints each line of text with prefix before the first and as many
 * spaces before the others. */
static void put_indented(FILE *fp, const char *first, const char *text)
{
	size_t pad = strlen(first);
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		fprintf(fp, "%*s%.*s\n", (int)pad, p == text ? first : "", (int)n, p);
		p += n;
		if (*p)
			p++;
	}
}

static void usage(FILE *fp)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		put_indented(fp, i ? "       " : "usage: ", commands[i].synopsis);
	fputs("       briefing help [COMMAND]\n"
	      "       briefing --version\n\n", fp);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("  help       this text, or one command's options: briefing help build\n"
	      "\n"
	      "Every command takes --help. See briefing(1), site.yml(5) and briefing-lua(7).\n", fp);
}

static void command_help(const struct command *cmd, FILE *fp)
{
	put_indented(fp, "usage: ", cmd->synopsis);
	fprintf(fp, "\n%s\n\n%s", cmd->summary, cmd->options);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "briefing: error: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(run \"briefing help\" for usage)\n");
	return 2;
}

/* The usage error for what getopt_long returned (ch '?' or ':'). */
static int option_error(const struct command *cmd, int ch, char **argv)
{
	const char *arg = argv[optind - 1];
	char *what = !strncmp(arg, "--", 2) ? xstrndup(arg, strcspn(arg, "="))
	                                    : xasprintf("-%c", optopt);
	char *msg = ch == ':' ? xstrdup("%s needs a value")
	                      : xasprintf("unknown option \"%%s\" for %s", cmd->name);
	int rc = usage_error(msg, what);
	free(msg);
	free(what);
	return rc;
}

/* Resets getopt for a new argument vector; the leading ':' makes a
 * missing value ':' rather than '?'. */
static void getopt_reset(void)
{
	optind = 0; /* glibc: reinitialise, permuting operands after options */
	opterr = 0;
}

/* 0 when dir is a site folder (has a site.yml), else the usage error. */
static int need_site(const char *dir)
{
	if (!fs_is_dir(dir))
		return usage_error("no site folder \"%s\"", dir);
	char *yml = fs_join(dir, "site.yml");
	int has_yml = fs_exists(yml);
	free(yml);
	if (!has_yml)
		return usage_error("no site.yml in \"%s\": is it a site folder?", dir);
	return 0;
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
 * else ../share/briefing from the binary (an installed tree moved
 * elsewhere), else the install prefix's data folder. */
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

enum {
	OPT_HELP = 'h',
	OPT_BASE_URL = 256, OPT_DRAFTS, OPT_FUTURE, OPT_AS_OF, OPT_CLEAN_URLS, OPT_NO_CLEAN_URLS,
	OPT_NO_CACHE, OPT_CACHE_DIR, OPT_FOR_FILE, OPT_BIND, OPT_NO_DRAFTS, OPT_NO_FUTURE,
	OPT_PUBLISHED, OPT_OPEN, OPT_TOPIC, OPT_PERSON, OPT_FORMAT, OPT_TITLE, OPT_DATE,
	OPT_SOURCE, OPT_URL, OPT_STRICT,
};

static int parse_base_url(const char *v, const char **out)
{
	if (*v && !url_is_http(v))
		return usage_error("--base-url: expected an http:// or https:// address, found \"%s\"", v);
	*out = v;
	return 0;
}

/* What build and serve both take: -s, -q, -v, --base-url, --drafts, --future. */
struct common_opts {
	const char **site_dir;
	int *quiet, *verbose, *drafts, *future;
	const char **base_url;
};
#define COMMON_OPTS(o) {&(o).site_dir, &(o).quiet, &(o).verbose, &(o).drafts, &(o).future, \
                        &(o).base_url}

/* The rest of build's and serve's options: a common one (0, or the
 * usage status of a bad value), or the usage error of an unknown one. */
static int common_option(const struct command *cmd, int ch, char **argv,
                         const struct common_opts *c)
{
	switch (ch) {
	case 's': *c->site_dir = optarg; return 0;
	case 'q': *c->quiet = 1; return 0;
	case 'v': *c->verbose = 1; return 0;
	case OPT_DRAFTS: *c->drafts = 1; return 0;
	case OPT_FUTURE: *c->future = 1; return 0;
	case OPT_BASE_URL: return parse_base_url(optarg, c->base_url);
	default: return option_error(cmd, ch, argv);
	}
}

static int cmd_build(const struct command *cmd, int argc, char **argv)
{
	static const struct option longs[] = {
		{"site", required_argument, NULL, 's'}, {"output", required_argument, NULL, 'o'},
		{"jobs", required_argument, NULL, 'j'}, {"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'}, {"help", no_argument, NULL, OPT_HELP},
		{"base-url", required_argument, NULL, OPT_BASE_URL},
		{"drafts", no_argument, NULL, OPT_DRAFTS}, {"future", no_argument, NULL, OPT_FUTURE},
		{"as-of", required_argument, NULL, OPT_AS_OF},
		{"clean-urls", optional_argument, NULL, OPT_CLEAN_URLS},
		{"no-clean-urls", no_argument, NULL, OPT_NO_CLEAN_URLS},
		{"for-file", no_argument, NULL, OPT_FOR_FILE},
		{"no-cache", no_argument, NULL, OPT_NO_CACHE},
		{"cache-dir", required_argument, NULL, OPT_CACHE_DIR}, {"strict", no_argument, NULL, OPT_STRICT},
		{NULL, 0, NULL, 0},
	};
	struct build_opts o = {.site_dir = ".", .clean_urls = -1, .relative_index = -1};
	struct common_opts common = COMMON_OPTS(o);
	int ch, rc;
	for (getopt_reset(); (ch = getopt_long(argc, argv, ":s:o:j:qvh", longs, NULL)) != -1;) {
		switch (ch) {
		case 'o': o.out_dir = optarg; break;
		case 'j': {
			long long jobs;
			if (num_parse(optarg, 1, 256, &jobs) != 0)
				return usage_error("-j: expected a number of threads from 1 to 256, "
				                   "found \"%s\"", optarg);
			o.jobs = (int)jobs;
			break;
		}
		case OPT_HELP: command_help(cmd, stdout); return 0;
		case OPT_AS_OF: {
			struct date when;
			if (date_parse(optarg, 0, &when) != 0)
				return usage_error("--as-of: expected YYYY-MM-DD or RFC 3339, found \"%s\"",
				                   optarg);
			o.as_of = (long long)when.epoch;
			if (!when.has_time)
				o.as_of += 86399; /* the whole day */
			break;
		}
		case OPT_CLEAN_URLS:
			if (!optarg || !strcmp(optarg, "true"))
				o.clean_urls = 1;
			else if (!strcmp(optarg, "false"))
				o.clean_urls = 0;
			else
				return usage_error("--clean-urls: expected true or false, found \"%s\"", optarg);
			break;
		case OPT_NO_CLEAN_URLS: o.clean_urls = 0; break;
		case OPT_FOR_FILE: o.relative_index = 1; break;
		case OPT_NO_CACHE: o.no_cache = 1; break;
		case OPT_STRICT: o.strict = 1; break;
		case OPT_CACHE_DIR:
			if (!*optarg)
				return usage_error("%s needs a folder", "--cache-dir");
			o.cache_dir = optarg;
			break;
		default:
			if ((rc = common_option(cmd, ch, argv, &common)))
				return rc;
		}
	}
	if (optind < argc)
		return usage_error("build takes no operands, found \"%s\"", argv[optind]);
	if (!*o.site_dir)
		o.site_dir = ".";
	if ((rc = need_site(o.site_dir)))
		return rc;
	char *tool = find_tool_dir();
	o.tool_dir = tool;
	rc = build_run(&o);
	free(tool);
	return rc;
}

static int cmd_serve(const struct command *cmd, int argc, char **argv)
{
	static const struct option longs[] = {
		{"site", required_argument, NULL, 's'}, {"port", required_argument, NULL, 'p'},
		{"quiet", no_argument, NULL, 'q'}, {"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, OPT_HELP}, {"bind", required_argument, NULL, OPT_BIND},
		{"base-url", required_argument, NULL, OPT_BASE_URL},
		{"drafts", no_argument, NULL, OPT_DRAFTS}, {"future", no_argument, NULL, OPT_FUTURE},
		{"no-drafts", no_argument, NULL, OPT_NO_DRAFTS},
		{"no-future", no_argument, NULL, OPT_NO_FUTURE},
		{"published", no_argument, NULL, OPT_PUBLISHED},
		{"open", no_argument, NULL, OPT_OPEN}, {NULL, 0, NULL, 0},
	};
	struct serve_opts o = {.site_dir = ".", .bind = "127.0.0.1", .port = 8080, .drafts = 1,
	                       .future = 1};
	struct common_opts common = COMMON_OPTS(o);
	int ch, rc;
	for (getopt_reset(); (ch = getopt_long(argc, argv, ":s:p:qvh", longs, NULL)) != -1;) {
		switch (ch) {
		case 'p': {
			long long port;
			if (num_parse(optarg, 1, 65535, &port) != 0)
				return usage_error("--port: expected 1 to 65535, found \"%s\"", optarg);
			o.port = (int)port;
			break;
		}
		case OPT_HELP: command_help(cmd, stdout); return 0;
		case OPT_BIND: o.bind = optarg; break;
		case OPT_NO_DRAFTS: o.drafts = 0; break;
		case OPT_NO_FUTURE: o.future = 0; break;
		case OPT_PUBLISHED: o.drafts = o.future = 0; break;
		case OPT_OPEN: o.open = 1; break;
		default:
			if ((rc = common_option(cmd, ch, argv, &common)))
				return rc;
		}
	}
	if (optind < argc)
		return usage_error("serve takes no operands, found \"%s\"", argv[optind]);
	if ((rc = need_site(o.site_dir)))
		return rc;
	char *tool = find_tool_dir();
	o.tool_dir = tool;
	rc = serve_run(&o);
	free(tool);
	return rc;
}

static int cmd_new(const struct command *cmd, int argc, char **argv)
{
	static const struct option longs[] = {
		{"site", required_argument, NULL, 's'}, {"help", no_argument, NULL, OPT_HELP},
		{"topic", required_argument, NULL, OPT_TOPIC},
		{"person", required_argument, NULL, OPT_PERSON}, {NULL, 0, NULL, 0},
	};
	struct new_opts o = {.site_dir = "."};
	/* NULL-terminated lists, at most one entry per argument */
	const char **topics = xcalloc((size_t)argc, sizeof *topics);
	const char **people = xcalloc((size_t)argc, sizeof *people);
	int nt = 0, np = 0, rc = -1, ch;
	getopt_reset();
	while (rc < 0 && (ch = getopt_long(argc, argv, ":s:h", longs, NULL)) != -1) {
		switch (ch) {
		case 's': o.site_dir = optarg; break;
		case OPT_TOPIC: topics[nt++] = optarg; break;
		case OPT_PERSON: people[np++] = optarg; break;
		case OPT_HELP: command_help(cmd, stdout); rc = 0; break;
		default: rc = option_error(cmd, ch, argv); break;
		}
	}
	if (rc < 0 && argc - optind != 2)
		rc = usage_error("%s", "new needs a kind and a name: briefing new article|person|topic "
		                       "\"Name\", or briefing new site DIR");
	if (rc < 0) {
		o.kind = argv[optind];
		o.name = argv[optind + 1];
		if (strcmp(o.kind, "article") && strcmp(o.kind, "person") && strcmp(o.kind, "topic") &&
		    strcmp(o.kind, "site"))
			rc = usage_error("new: expected article, person, topic or site, found \"%s\"",
			                 o.kind);
		else if (strcmp(o.kind, "site"))
			rc = need_site(o.site_dir) ? 2 : -1;
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

static int cmd_check(const struct command *cmd, int argc, char **argv)
{
	static const struct option longs[] = {
		{"site", required_argument, NULL, 's'}, {"help", no_argument, NULL, OPT_HELP},
		{"format", required_argument, NULL, OPT_FORMAT}, {"strict", no_argument, NULL, OPT_STRICT},
		{NULL, 0, NULL, 0},
	};
	struct check_opts o = {.site_dir = "."};
	int ch, rc;
	for (getopt_reset(); (ch = getopt_long(argc, argv, ":s:h", longs, NULL)) != -1;) {
		switch (ch) {
		case 's': o.site_dir = optarg; break;
		case OPT_HELP: command_help(cmd, stdout); return 0;
		case OPT_STRICT: o.strict = 1; break;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") && strcmp(optarg, "text"))
				return usage_error("--format: expected text or json, found \"%s\"", optarg);
			o.json = !strcmp(optarg, "json");
			break;
		default: return option_error(cmd, ch, argv);
		}
	}
	if (optind < argc)
		return usage_error("check takes no operands, found \"%s\"", argv[optind]);
	if ((rc = need_site(o.site_dir)))
		return rc;
	char *tool = find_tool_dir();
	o.tool_dir = tool;
	rc = check_run(&o);
	free(tool);
	return rc;
}

static int cmd_import(const struct command *cmd, int argc, char **argv)
{
	static const struct option longs[] = {
		{"site", required_argument, NULL, 's'}, {"help", no_argument, NULL, OPT_HELP},
		{"title", required_argument, NULL, OPT_TITLE}, {"date", required_argument, NULL, OPT_DATE},
		{"source", required_argument, NULL, OPT_SOURCE}, {"url", required_argument, NULL, OPT_URL},
		{NULL, 0, NULL, 0},
	};
	struct import_opts o = {.site_dir = "."};
	int ch, rc;
	for (getopt_reset(); (ch = getopt_long(argc, argv, ":s:h", longs, NULL)) != -1;) {
		switch (ch) {
		case OPT_TITLE: o.title = optarg; break;
		case OPT_DATE: o.date = optarg; break;
		case OPT_SOURCE: o.source = optarg; break;
		case OPT_URL: o.url = optarg; break;
		case 's': o.site_dir = optarg; break;
		case OPT_HELP: command_help(cmd, stdout); return 0;
		default: return option_error(cmd, ch, argv);
		}
	}
	if (optind == argc)
		return usage_error("%s", "import needs a file: briefing import FILE");
	if (argc - optind > 1)
		return usage_error("extra file \"%s\" for import", argv[optind + 1]);
	o.file = argv[optind];
	if (o.url && !url_is_http(o.url))
		return usage_error("--url: expected an http:// or https:// address, found \"%s\"", o.url);
	if ((rc = need_site(o.site_dir)))
		return rc;
	return import_run(&o);
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("briefing %s\n", BRIEFING_VERSION);
		/* what tests and users check before expecting srcset */
		const char *lib = rsz_library();
		printf("images: %s\n", lib ? lib : "not resized (built without libgd)");
		return 0;
	}
	if (!strcmp(name, "help") || !strcmp(name, "--help") || !strcmp(name, "-h")) {
		if (argc < 3) {
			usage(stdout);
			return 0;
		}
		const struct command *cmd = find_command(argv[2]);
		if (!cmd)
			return usage_error("help: unknown command \"%s\"", argv[2]);
		command_help(cmd, stdout);
		return 0;
	}
	const struct command *cmd = find_command(name);
	if (!cmd)
		return usage_error("unknown command \"%s\"", name);
	if (!strcmp(cmd->name, "build") || !strcmp(cmd->name, "serve"))
		hp_reexec(argv); /* large sites: see hugepages.h */
	return cmd->run(cmd, argc - 1, argv + 1);
}
