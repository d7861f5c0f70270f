page=$OUT/articles/first/index.html
check "$case_name: the page renders, every path partial empty" grep -qF '[][][][][]' "$page"
check "$case_name: nothing from outside the theme folders" sh -c "! grep -rq SECRET '$OUT'"
check "$case_name: nothing from /etc" sh -c "! grep -rq 'root:' '$OUT'"
