page=$OUT/articles/huge/index.html
check "$case_name: the page is whole (ends with the last paragraph)" grep -q '<p>The last paragraph.</p>' "$page"
size=$(wc -c < "$page")
check "$case_name: the page holds the whole body ($size bytes)" test "$size" -gt 50000000
# the email edition gives a body this long as its card (lib/email.lua)
e=$OUT/editions/2017-10-01/email.html
check "$case_name: the email edition has the brief's card, not its body" \
	sh -c "grep -qF 'articles/huge/\" style=\"color:#1d4e89;\">Read the brief</a>' '$e' && ! grep -q 'The last paragraph' '$e'"
