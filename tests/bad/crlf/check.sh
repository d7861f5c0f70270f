page=$OUT/articles/crlf-slug/index.html
check "$case_name: the slug has no CR" test -f "$page"
check "$case_name: two paragraphs" sh -c "grep -q '<p>First line.</p>' '$page' && grep -q '<p>Second paragraph.</p>' '$page'"
check "$case_name: the topic has no CR" test -f "$OUT/topics/diplomacy/index.html"
check "$case_name: no CR in the page" sh -c "! grep -q \"$(printf '\r')\" '$page'"
