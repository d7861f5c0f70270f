check "$case_name: the title is read" grep -q '<h1[^>]*>With BOM</h1>' "$OUT/articles/bom/index.html"
check "$case_name: no BOM in the output" sh -c "! grep -rl \"$(printf '\357\273\277')\" '$OUT'"
