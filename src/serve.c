/* serve.c: `briefing serve`, the editor's preview loop. Builds the site
 * (drafts included) into a private temporary folder, serves it over HTTP
 * with libmicrohttpd on the loopback address, rebuilds when a source file
 * changes and tells open pages to reload over Server-Sent Events (a small
 * script added to HTML responses only, never to built files). A failed
 * build is shown in the browser instead of the page until it is fixed.
 * Changes come from watch.c (inotify, or polling where that is missing);
 * a burst of them, such as an editor's write-then-rename save, is one
 * rebuild. */
#include "serve.h"

#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "build.h"
#include "fsutil.h"
#include "output.h"
#include "watch.h"

#define EVENTS_PATH "/__briefing/events"
#define QUIET_MS 60 /* a burst of events is over after this long without one */

struct server {
	const struct serve_opts *opts;
	char *root;             /* the output folder being served */
	pthread_mutex_t lock;
	pthread_cond_t changed;
	unsigned long generation; /* bumped after every build */
	char *error;            /* messages of the failed last build, or NULL */
	char *warnings;         /* the warnings of the last good build, or NULL */
	struct build *build;    /* kept between builds: only what changed is redone */
	struct build_stats stats;
};

static volatile sig_atomic_t stopping;

/* The first Ctrl-C stops the loop; a second one, should stopping hang,
 * ends the process there and then. */
static void on_signal(int sig)
{
	(void)sig;
	if (stopping)
		_exit(130);
	stopping = 1;
}

/* libmicrohttpd's own messages: a browser closing a tab mid-response
 * ("Failed to send the chunked response body") is no news to the editor;
 * with -v they are shown, marked as the library's. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	const struct serve_opts *o = cls;
	/* a browser that reloads drops its event stream: not worth a line */
	if (!o->verbose || strstr(fmt, "Failed to send the chunked response body"))
		return;
	fputs("briefing serve: libmicrohttpd: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/* ---- building ---- */

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* The warning lines of a build's messages, or NULL (caller frees). */
static char *warning_lines(const char *text)
{
	buf b = BUF_INIT;
	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) + 1 : strlen(line);
		if (memmem(line, n, ": warning: ", 11))
			buf_put(&b, line, n);
		line += n;
	}
	return b.len ? buf_detach(&b, NULL) : (buf_free(&b), NULL);
}

/* ch: what changed since the last build (NULL for the first build). */
static void rebuild(struct server *sv, const struct watch_changes *ch)
{
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	char *text = NULL;
	size_t len = 0;
	FILE *msg = open_memstream(&text, &len);
	build_messages(sv->build, msg);
	int rc = build_update(sv->build, ch ? ch->paths : NULL, ch ? ch->n : 0, !ch || ch->all);
	fflush(stdout); /* -v lines, before the log line below */
	fclose(msg);
	if (text && *text)
		fputs(text, stderr);
	struct build_stats *st = &sv->stats;
	pthread_mutex_lock(&sv->lock);
	/* every save reloads open pages, even one that changed no file: the
	 * editor asked to see the page as it is now */
	free(sv->error);
	free(sv->warnings);
	sv->error = rc == 0 ? NULL : text;
	sv->warnings = rc == 0 ? warning_lines(text) : NULL;
	if (rc == 0)
		free(text);
	sv->generation++;
	pthread_cond_broadcast(&sv->changed);
	pthread_mutex_unlock(&sv->lock);
	if (sv->opts->quiet && rc == 0)
		return; /* -q: the messages above are all */
	if (!ch) {
		fprintf(stderr, "briefing serve: %s in %.0f ms\n", rc == 0 ? "built" : "build failed (shown in "
		        "the browser)", ms_since(&t0));
		return;
	}
	if (rc == 0 && st->unchanged) {
		fprintf(stderr, "briefing serve: nothing to rebuild after %s (%.0f ms): the same bytes "
		        "as built\n", ch->n == 1 ? ch->paths[0] : "those changes", ms_since(&t0));
		return;
	}
	fprintf(stderr, "briefing serve: %s in %.0f ms after ", rc == 0 ? "rebuilt" : "build failed "
	        "(shown in the browser)", ms_since(&t0));
	if (ch->all || !ch->n)
		fprintf(stderr, "a change");
	else if (ch->n == 1)
		fprintf(stderr, "a change to %s", ch->paths[0]);
	else
		fprintf(stderr, "%zu changes (%s, ...)", ch->n, ch->paths[0]);
	if (rc == 0)
		fprintf(stderr, ": %zu article%s parsed, %zu step%s run, %zu page%s rendered, "
		        "%zu file%s written, %zu removed%s", st->articles_parsed,
		        plural_s(st->articles_parsed), st->steps_run, plural_s(st->steps_run),
		        st->pages_rendered, plural_s(st->pages_rendered), st->files_written,
		        plural_s(st->files_written), st->files_removed,
		        st->full ? " (a full rebuild)" : "");
	fputc('\n', stderr);
}

/* ---- HTTP ---- */

static const char *mime_type(const char *path)
{
	static const struct { const char *ext, *type; } types[] = {
		{".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"}, {".json", "application/json"},
		{".xml", "application/xml"}, {".opml", "text/x-opml"},
		{".txt", "text/plain; charset=utf-8"}, {".svg", "image/svg+xml"},
		{".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"},
		{".gif", "image/gif"}, {".webp", "image/webp"}, {".ico", "image/x-icon"},
		{".woff2", "font/woff2"}, {".pdf", "application/pdf"},
	};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

static const char reload_script[] =
	"<script>(function(){var s=new EventSource(\"" EVENTS_PATH "\");"
	"s.onmessage=function(){location.reload();};})();</script>";

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, const char *type,
                               const char *body, size_t len)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	enum MHD_Result ret = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

/* The last build's warnings, in a box over the page's corner until a
 * build has none (the box can be closed; the next reload shows it again). */
static void put_warnings(buf *out, const char *warnings)
{
	if (!warnings)
		return;
	int n = 0;
	for (const char *p = warnings; (p = strchr(p, '\n')); p++)
		n++;
	buf_printf(out, "<aside id=\"briefing-warnings\" style=\"position:fixed;right:1rem;bottom:1rem;"
	           "z-index:2147483647;max-width:min(46rem,90vw);max-height:40vh;overflow:auto;"
	           "background:#fffbe6;color:#222;border:2px solid #c90;border-radius:6px;"
	           "padding:.5rem 1rem;font:14px/1.4 system-ui,sans-serif;box-shadow:0 2px 8px "
	           "#0004\"><button type=\"button\" onclick=\"this.parentNode.remove()\" "
	           "style=\"float:right\" aria-label=\"Close\">&times;</button><strong>briefing: %d "
	           "warning%s</strong> (fix and save; this box goes when there are none)<pre "
	           "style=\"white-space:pre-wrap;margin:.5rem 0 0\">", n, n == 1 ? "" : "s");
	buf_put_html(out, warnings, strlen(warnings));
	buf_puts(out, "</pre></aside>");
}

/* HTML gets the reload script (and the warnings box, when warnings is
 * not NULL) before </body> (or at the end). */
static enum MHD_Result respond_html(struct MHD_Connection *c, unsigned status, buf *html,
                                    const char *warnings)
{
	char *end = strstr(html->ptr, "</body>");
	buf out = BUF_INIT;
	if (end) {
		buf_put(&out, html->ptr, (size_t)(end - html->ptr));
		put_warnings(&out, warnings);
		buf_puts(&out, reload_script);
		buf_puts(&out, end);
	} else {
		buf_put(&out, html->ptr, html->len);
		put_warnings(&out, warnings);
		buf_puts(&out, reload_script);
	}
	enum MHD_Result ret = respond(c, status, "text/html; charset=utf-8", out.ptr, out.len);
	buf_free(&out);
	return ret;
}

static enum MHD_Result respond_error_page(struct MHD_Connection *c, const char *messages)
{
	buf html = BUF_INIT;
	buf_puts(&html, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
	                "<title>Build failed</title><style>body{font:16px/1.5 system-ui,sans-serif;"
	                "margin:2rem;background:#fff4f4;color:#222}pre{white-space:pre-wrap;"
	                "background:#fff;border:1px solid #d33;padding:1rem}</style></head><body>"
	                "<h1>The build failed</h1><p>Fix the file named below and save; "
	                "this page reloads by itself.</p><pre>");
	buf_put_html(&html, messages, strlen(messages));
	buf_puts(&html, "</pre></body></html>");
	enum MHD_Result ret = respond_html(c, 500, &html, NULL);
	buf_free(&html);
	return ret;
}

/* SSE: waits for the next build, then tells the page to reload. */
struct events {
	struct server *sv;
	unsigned long seen;
	int done;
};

static ssize_t events_read(void *cls, uint64_t pos, char *out, size_t max)
{
	(void)pos;
	struct events *ev = cls;
	struct server *sv = ev->sv;
	if (ev->done || stopping)
		return MHD_CONTENT_READER_END_OF_STREAM;
	pthread_mutex_lock(&sv->lock);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 15;
	int changed = 0;
	while (!stopping && sv->generation == ev->seen) {
		if (pthread_cond_timedwait(&sv->changed, &sv->lock, &until) == ETIMEDOUT)
			break;
	}
	changed = sv->generation != ev->seen;
	ev->seen = sv->generation;
	pthread_mutex_unlock(&sv->lock);
	const char *msg = changed ? "data: reload\n\n" : ": keep-alive\n\n";
	size_t n = strlen(msg);
	if (n > max)
		return 0;
	memcpy(out, msg, n);
	return (ssize_t)n;
}

static enum MHD_Result serve_events(struct server *sv, struct MHD_Connection *c)
{
	struct events *ev = xcalloc(1, sizeof *ev);
	ev->sv = sv;
	pthread_mutex_lock(&sv->lock);
	ev->seen = sv->generation;
	pthread_mutex_unlock(&sv->lock);
	struct MHD_Response *r =
		MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 256, events_read, ev, free);
	MHD_add_response_header(r, "Content-Type", "text/event-stream");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* The file a URL path names inside root, or NULL (caller frees). Refuses
 * "..", backslashes and NUL; "/x/" is x/index.html. *is_dir is set for
 * a folder asked for without its trailing slash. */
static char *file_for(const char *root, const char *url, int *is_dir)
{
	*is_dir = 0;
	if (url[0] != '/' || strstr(url, "..") || strchr(url, '\\'))
		return NULL;
	size_t n = strlen(url);
	char *rel = url[n - 1] == '/' ? xasprintf("%sindex.html", url + 1) : xstrdup(url + 1);
	char *path = fs_join(root, rel);
	free(rel);
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		*is_dir = 1;
	} else if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		free(path); /* a symlink as the last part is not followed */
		return NULL;
	}
	/* nor one earlier in the path: what it names must be inside root */
	char *real = realpath(path, NULL), *real_root = realpath(root, NULL);
	size_t rn = real_root ? strlen(real_root) : 0;
	int inside = real && real_root && strncmp(real, real_root, rn) == 0 &&
	             (real[rn] == '/' || real[rn] == '\0');
	free(real);
	free(real_root);
	if (!inside) {
		free(path);
		return NULL;
	}
	return path;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **state)
{
	(void)version;
	(void)upload_data;
	struct server *sv = cls;
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return respond(c, 405, "text/plain", "only GET and HEAD\n", 18);
	if (*upload_size)
		return respond(c, 413, "text/plain", "no request bodies\n", 18);
	if (!*state) { /* headers only so far */
		*state = (void *)1;
		return MHD_YES;
	}
	if (!strcmp(url, EVENTS_PATH))
		return serve_events(sv, c);
	pthread_mutex_lock(&sv->lock);
	char *error = sv->error ? xstrdup(sv->error) : NULL;
	char *warnings = sv->warnings ? xstrdup(sv->warnings) : NULL;
	pthread_mutex_unlock(&sv->lock);
	int is_dir;
	char *path = file_for(sv->root, url, &is_dir);
	if (error && (!path || !strcmp(mime_type(path), "text/html; charset=utf-8") || is_dir)) {
		enum MHD_Result ret = respond_error_page(c, error);
		free(error);
		free(warnings);
		free(path);
		return ret;
	}
	free(error);
	if (path && is_dir) {
		free(path);
		free(warnings);
		char *to = xasprintf("%s/", url);
		struct MHD_Response *r = MHD_create_response_from_buffer(0, (void *)"",
		                                                         MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(r, "Location", to);
		enum MHD_Result ret = MHD_queue_response(c, 301, r);
		MHD_destroy_response(r);
		free(to);
		return ret;
	}
	buf body = BUF_INIT;
	unsigned status = 200;
	const char *type;
	if (!path || fs_read(path, &body) != 0) {
		char *notfound = fs_join(sv->root, "404.html");
		buf_reset(&body);
		if (fs_read(notfound, &body) != 0)
			buf_puts(&body, "<!DOCTYPE html><title>Not found</title><h1>Not found</h1>");
		free(notfound);
		status = 404;
		type = "text/html; charset=utf-8";
	} else {
		type = mime_type(path);
	}
	free(path);
	enum MHD_Result ret = !strncmp(type, "text/html", 9)
	                      ? respond_html(c, status, &body, warnings)
	                      : respond(c, status, type, body.ptr, body.len);
	free(warnings);
	buf_free(&body);
	return ret;
}

/* The daemon, listening on the first address bind names: a numeric IPv4
 * or IPv6 address (bracketed or not) or a host name such as localhost.
 * Sets *host to the address as a URL writes it ("[::1]"; caller frees),
 * or *bad_addr when bind names none. */
static struct MHD_Daemon *listen_on(struct server *sv, const char *bind, int port, char **host,
                                    int *bad_addr)
{
	size_t n = strlen(bind);
	char *name = n > 2 && bind[0] == '[' && bind[n - 1] == ']' ? xstrndup(bind + 1, n - 2)
	                                                           : xstrdup(bind);
	char service[16];
	snprintf(service, sizeof service, "%d", port);
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_NUMERICSERV};
	struct addrinfo *res = NULL;
	*bad_addr = !*name || getaddrinfo(name, service, &hints, &res) != 0;
	free(name);
	struct MHD_Daemon *daemon = NULL;
	for (struct addrinfo *ai = res; ai && !daemon; ai = ai->ai_next) {
		if (ai->ai_family != AF_INET && ai->ai_family != AF_INET6)
			continue;
		unsigned flags = MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
		                 MHD_USE_ERROR_LOG | (ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0);
		daemon = MHD_start_daemon(flags, (uint16_t)port, NULL, NULL, on_request, sv,
		                          MHD_OPTION_EXTERNAL_LOGGER, mhd_log, (void *)sv->opts,
		                          MHD_OPTION_SOCK_ADDR, ai->ai_addr,
		                          MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
		                          MHD_OPTION_CONNECTION_LIMIT, 512u, MHD_OPTION_END);
		if (daemon) {
			char numeric[NI_MAXHOST];
			if (getnameinfo(ai->ai_addr, ai->ai_addrlen, numeric, sizeof numeric, NULL, 0,
			                NI_NUMERICHOST) != 0)
				snprintf(numeric, sizeof numeric, "%s", bind);
			*host = ai->ai_family == AF_INET6 ? xasprintf("[%s]", numeric) : xstrdup(numeric);
		}
	}
	if (res)
		freeaddrinfo(res);
	return daemon;
}

/* --open: the preview in the editor's browser ($BROWSER, else xdg-open),
 * started in the background; serve goes on if there is none. */
static void open_browser(const char *url)
{
	const char *browser = getenv("BROWSER");
	if (!browser || !*browser)
		browser = "xdg-open";
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null >= 0) {
			dup2(null, STDIN_FILENO);
			dup2(null, STDOUT_FILENO);
		}
		execlp(browser, browser, url, (char *)NULL);
		fprintf(stderr, "briefing serve: warning: --open: cannot run %s (%s); open %s yourself\n",
		        browser, strerror(errno), url);
		_exit(127);
	}
	if (pid < 0)
		fprintf(stderr, "briefing serve: warning: --open: %s\n", strerror(errno));
}

int serve_run(const struct serve_opts *o)
{
	struct server sv = {.opts = o};
	pthread_mutex_init(&sv.lock, NULL);
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_cond_init(&sv.changed, &ca);
	const char *tmpdir = getenv("TMPDIR");
	char *tmp = xasprintf("%s/briefing-serve-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	if (!mkdtemp(tmp)) {
		fprintf(stderr, "briefing: error: cannot create a temporary folder: %s\n", strerror(errno));
		free(tmp);
		return 1;
	}
	sv.root = fs_join(tmp, "site");
	struct build_opts bo = {
		.site_dir = o->site_dir,
		.out_dir = sv.root,
		.tool_dir = o->tool_dir,
		.base_url = o->base_url,
		.drafts = o->drafts,
		.future = o->future,
		.clean_urls = -1,
		.relative_index = -1,
		.quiet = !o->verbose,
		.verbose = o->verbose,
		.live = 1,
		.stats = &sv.stats,
	};
	sv.build = build_new(&bo);
	/* watch before the first build, so a save during it is not missed */
	struct watch *watch = watch_new(o->site_dir);
	rebuild(&sv, NULL);

	char *host = NULL;
	int bad_addr = 0;
	struct MHD_Daemon *daemon = listen_on(&sv, o->bind, o->port, &host, &bad_addr);
	if (!daemon) {
		if (bad_addr)
			fprintf(stderr, "briefing: error: --bind: expected an IPv4 or IPv6 address or a "
			        "host name such as localhost, found \"%s\"\n", o->bind);
		else
			fprintf(stderr, "briefing: error: cannot listen on %s:%d (is the port taken? try "
			        "--port)\n", o->bind, o->port);
		fs_rmtree(tmp);
		free(tmp);
		free(sv.root);
		watch_free(watch);
		build_free(sv.build);
		return bad_addr ? 2 : 1;
	}
	char *url = xasprintf("http://%s:%d/", host, o->port);
	printf("briefing serve: %s (%s; Ctrl-C stops)\n", url,
	       o->drafts && o->future ? "drafts and future articles shown"
	       : o->drafts            ? "drafts shown, future articles left out"
	       : o->future            ? "future articles shown, drafts left out"
	                              : "what a build publishes: no drafts, no future articles");
	fflush(stdout);
	if (o->open)
		open_browser(url);
	free(url);
	free(host);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (!o->quiet)
		fprintf(stderr, "briefing serve: watching for changes (%s)\n", watch_method(watch));
	struct watch_changes ch;
	while (!stopping && watch_wait(watch, &stopping, QUIET_MS, &ch)) {
		while (waitpid(-1, NULL, WNOHANG) > 0)
			; /* a browser --open started and that has returned */
		rebuild(&sv, &ch);
		watch_changes_free(&ch);
	}
	watch_free(watch);
	pthread_mutex_lock(&sv.lock);
	pthread_cond_broadcast(&sv.changed);
	pthread_mutex_unlock(&sv.lock);
	MHD_stop_daemon(daemon);
	fputs("briefing serve: stopped\n", stderr);
	out_wait(); /* a replaced tree still being removed, if any */
	fs_rmtree(tmp);
	free(tmp);
	free(sv.root);
	free(sv.error);
	free(sv.warnings);
	build_free(sv.build);
	pthread_mutex_destroy(&sv.lock);
	pthread_cond_destroy(&sv.changed);
	return 0;
}
