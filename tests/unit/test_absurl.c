/* Unit tests: absurl (relative links made absolute, for feeds). */
#include "../../src/absurl.h"
#include "../../src/buf.h"
#include "test.h"

/* RFC 3986, section 5.4: the normal and abnormal examples. */
static void rfc3986_examples(void)
{
	static const char *const cases[][2] = {
		{"g:h", "g:h"}, {"g", "http://a/b/c/g"}, {"./g", "http://a/b/c/g"},
		{"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"}, {"//g", "http://g"},
		{"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"},
		{"#s", "http://a/b/c/d;p?q#s"}, {"g#s", "http://a/b/c/g#s"},
		{"g?y#s", "http://a/b/c/g?y#s"}, {";x", "http://a/b/c/;x"},
		{"g;x", "http://a/b/c/g;x"}, {"g;x?y#s", "http://a/b/c/g;x?y#s"},
		{"", "http://a/b/c/d;p?q"}, {".", "http://a/b/c/"}, {"./", "http://a/b/c/"},
		{"..", "http://a/b/"}, {"../", "http://a/b/"}, {"../g", "http://a/b/g"},
		{"../..", "http://a/"}, {"../../", "http://a/"}, {"../../g", "http://a/g"},
		{"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"},
		{"/./g", "http://a/g"}, {"/../g", "http://a/g"}, {"g.", "http://a/b/c/g."},
		{".g", "http://a/b/c/.g"}, {"g..", "http://a/b/c/g.."}, {"..g", "http://a/b/c/..g"},
		{"./../g", "http://a/b/g"}, {"./g/.", "http://a/b/c/g/"},
		{"g/./h", "http://a/b/c/g/h"}, {"g/../h", "http://a/b/c/h"},
		{"g;x=1/./y", "http://a/b/c/g;x=1/y"}, {"g;x=1/../y", "http://a/b/c/y"},
		{"g?y/./x", "http://a/b/c/g?y/./x"}, {"g?y/../x", "http://a/b/c/g?y/../x"},
		{"g#s/./x", "http://a/b/c/g#s/./x"}, {"g#s/../x", "http://a/b/c/g#s/../x"},
	};
	buf b = BUF_INIT;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		buf_reset(&b);
		url_resolve(&b, "http://a/b/c/d;p?q", cases[i][0], strlen(cases[i][0]));
		CHECK_STR(b.ptr, cases[i][1]);
	}
	/* a site under a subpath, as feeds see it */
	buf_reset(&b);
	url_resolve(&b, "https://example.org/desk/articles/x/", "../../people/kim/", 17);
	CHECK_STR(b.ptr, "https://example.org/desk/people/kim/");
	buf_free(&b);
}

static void absolute_bases(void)
{
	CHECK(url_is_absolute("https://e.org/x/"));
	CHECK(url_is_absolute("http://a"));
	CHECK(!url_is_absolute("articles/x/"));
	CHECK(!url_is_absolute("/x://y"));
	CHECK(!url_is_absolute("mailto:a@b"));
	CHECK(!url_is_absolute("https:"));
	CHECK(!url_is_absolute(""));
}

static void html_links(void)
{
	buf b = BUF_INIT;
	const char *html = "<p><a href=\"../k/\" title=\"href=&quot;x&quot;\">K</a> "
	                   "<img src=\"i.png\" alt=\"a\" data-src=\"d.png\"> "
	                   "<a href=\"https://o.org/\">o</a> <a href=\"#n\">n</a> "
	                   "<a href=\"?a=1&amp;b=2\">q</a> text href=\"x\" <a href=\"\n";
	html_absolute_urls(&b, html, strlen(html), "https://e.org/s/a/x/");
	CHECK_STR(b.ptr, "<p><a href=\"https://e.org/s/a/k/\" title=\"href=&quot;x&quot;\">K</a> "
	                 "<img src=\"https://e.org/s/a/x/i.png\" alt=\"a\" data-src=\"d.png\"> "
	                 "<a href=\"https://o.org/\">o</a> <a href=\"https://e.org/s/a/x/#n\">n</a> "
	                 "<a href=\"https://e.org/s/a/x/?a=1&amp;b=2\">q</a> "
	                 "text href=\"https://e.org/s/a/x/x\" <a href=\"\n");
	buf_free(&b);
}

/* Every URL of a srcset, descriptors and separators kept; a comma inside
 * a URL is part of it (HTML's srcset rules). */
static void srcset_links(void)
{
	buf b = BUF_INIT;
	const char *html = "<img srcset=\"c-480w.png 480w, ../c.png 1300w\" src=\"c.png\"> "
	                   "<img srcset=\" a.png,b.png 2x ,https://o.org/c.png\">";
	html_absolute_urls(&b, html, strlen(html), "https://e.org/s/x/");
	CHECK_STR(b.ptr, "<img srcset=\"https://e.org/s/x/c-480w.png 480w, https://e.org/s/c.png 1300w\" "
	                 "src=\"https://e.org/s/x/c.png\"> <img srcset=\" https://e.org/s/x/a.png,b.png 2x "
	                 ",https://o.org/c.png\">");
	buf_free(&b);
}

/* The one http(s) test: scheme in any case, then a host. */
static void http_addresses(void)
{
	static const char *const yes[] = {"http://a", "https://example.org/x", "HTTPS://Example.org",
	                                  "Http://a:8080/", "https://a?q"};
	static const char *const no[] = {"", "https://", "http:///x", "https:/x", "ftp://a",
	                                 "javascript:alert(1)", "//a/x", " https://a", "https:// a",
	                                 "https://?q", "https://#f", "httpx://a", "https:/\x1bvil"};
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		if (!url_is_http(yes[i])) {
			printf("#   refused: %s\n", yes[i]);
			CHECK(0);
		}
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		if (url_is_http(no[i])) {
			printf("#   accepted: %s\n", no[i]);
			CHECK(0);
		}
}

int main(void)
{
	RUN(rfc3986_examples);
	RUN(absolute_bases);
	RUN(html_links);
	RUN(srcset_links);
	RUN(http_addresses);
	return TEST_MAIN_END();
}
