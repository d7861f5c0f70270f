page=$OUT/articles/bytes/index.html
r=$(printf '\357\277\275')
check "$case_name: each bad sequence became U+FFFD in the page" grep -q "<p>Caf$r and $r and $r end.</p>" "$page"
check "$case_name: every output file is valid UTF-8" sh -c "find '$OUT' -type f \\( -name '*.html' -o -name '*.xml' -o -name '*.json' -o -name '*.js' \\) -exec iconv -f UTF-8 -t UTF-8 {} + >/dev/null"
