# every output kind escapes the names: HTML text and attributes, Atom/RSS,
# OPML, feed.json, the search index, the email edition; email.txt is plain
# text and is left out
html='&lt;script&gt;alert(1)&lt;/script&gt; &quot;q&quot; &#39;a&#39; &amp; b'
json='\\u003cscript\\u003ealert(1)\\u003c/script\\u003e \\"q\\" '"'a'"' \\u0026 b'
check "$case_name: the article page shows the title escaped" grep -qF "A $html" "$OUT/articles/a/index.html"
check "$case_name: ... and in attributes (description meta)" grep -qF "content=\"S $html\"" "$OUT/articles/a/index.html"
check "$case_name: the source link's URL is escaped in href" \
	grep -qF 'href="https://example.org/?a=1&amp;b=&lt;script&gt;alert(1)&lt;/script&gt;&quot;x"' "$OUT/articles/a/index.html"
e="$OUT/editions/2017-10-01/email.html" # the edition of articles/a
check "$case_name: the email edition escapes the title" grep -qF "A $html</a></h2>" "$e"
check "$case_name: ... the lead image's alt text and credit" \
	sh -c "grep -qF 'alt=\"L $html\"' '$e' && grep -qF 'C $html</p>' '$e'"
check "$case_name: ... and keeps the body's script out" grep -qF 'Body <!-- raw HTML omitted -->alert(1)' "$e"
check "$case_name: Atom escapes the title" grep -qF "<title>A $html</title>" "$OUT/feed.xml"
check "$case_name: RSS escapes the title" grep -qF "<title>A $html</title>" "$OUT/rss.xml"
check "$case_name: OPML escapes the topic" grep -qF "T $html" "$OUT/feeds.opml"
check "$case_name: feed.json escapes the title" grep -qF "\"title\": \"A $(printf '%s' "$json" | sed 's/\\\\/\\/g')\"" "$OUT/feed.json"
check "$case_name: the search index escapes the title" grep -rqF '"t":"A \u003cscript\u003ealert(1)' "$OUT/search"
# nothing left unescaped: once the escaped forms (and cmark's "raw HTML
# omitted" around the body's script text) are taken out, no alert(1) remains
leftover=$(find "$OUT" -type f ! -name '*.txt' -exec cat {} + |
	sed -e 's/&lt;script&gt;alert(1)&lt;\/script&gt;//g' \
	    -e 's/\\u003cscript\\u003ealert(1)\\u003c\/script\\u003e//g' \
	    -e 's/omitted -->alert(1)<!--//g' -e 's/omitted --&gt;alert(1)&lt;!--//g' \
	    -e 's/omitted --\\u003ealert(1)\\u003c!--//g' | grep -c 'alert(1)')
check "$case_name: no unescaped alert(1) in any HTML, XML, JSON or JS file ($leftover left)" test "$leftover" -eq 0
check "$case_name: no javascript: URL anywhere" sh -c "! grep -rqi 'javascript:' '$OUT'"
check "$case_name: the raw <img onerror> is dropped" sh -c "! grep -rq 'onerror' '$OUT'"
