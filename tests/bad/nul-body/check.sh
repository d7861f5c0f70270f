check "$case_name: NUL became U+FFFD" grep -q "ab$(printf '\357\277\275')cd" "$OUT/articles/nul/index.html"
check "$case_name: no NUL byte in any output file" sh -c "! grep -rlaP '\\x00' '$OUT'"
