page=$OUT/articles/huge/index.html
check "$case_name: the page is whole (ends with the last paragraph)" grep -q '<p>The last paragraph.</p>' "$page"
size=$(wc -c < "$page")
check "$case_name: the page holds the whole body ($size bytes)" test "$size" -gt 50000000
