check "$case_name: the person page" grep -q 'The person.' "$OUT/people/kim/index.html"
check "$case_name: the topic page" grep -q 'The topic.' "$OUT/topics/kim/index.html"
page=$OUT/articles/visit/index.html
check "$case_name: the article links both" sh -c "grep -q 'href=\"../../people/kim/\"' '$page' && grep -q 'href=\"../../topics/kim/\"' '$page'"
check "$case_name: the person lists the article" grep -q 'Kim visits' "$OUT/people/kim/index.html"
check "$case_name: the topic lists the article" grep -q 'Kim visits' "$OUT/topics/kim/index.html"
