# CLI: standalone pages (content/pages) and the site menu (site.yml menu:):
# the pages, their place in the navigation, their errors, and a warm
# build after a page changes.
. tests/lib.sh

new_site "$TMP/s"
mkdir -p "$TMP/s/content/pages"
printf -- '---\ntitle: "About the desk"\nmenu_title: "About"\nmenu: 20\ndescription: "Who we are."\n---\n\nWe write <b>briefs</b> & more.\n' \
	> "$TMP/s/content/pages/about.md"
printf -- '---\ntitle: "Corrections policy"\nslug: fixes\nmenu: 10\n---\n\nWe fix mistakes.\n' \
	> "$TMP/s/content/pages/corrections.md"
printf -- '---\ntitle: "Unlisted"\n---\n\nNot in the menu.\n' > "$TMP/s/content/pages/unlisted.md"
printf -- '---\ntitle: "Later"\ndraft: true\n---\n\nNot yet.\n' > "$TMP/s/content/pages/later.md"
export XDG_CACHE_HOME="$TMP/cache"
# nav FILE: the navigation's links as 'href="...">Title ' items
nav() {
	sed -n '/<nav class="site-nav"/,/<\/nav>/p' "$1" | sed 's/ aria-current="page"//' |
		grep -o 'href="[^"]*">[^<]*' | tr '\n' ' '
}
run_briefing build -s "$TMP/s" -q
expect_status "site with pages builds" 0
about="$TMP/s/public/about/index.html"
check "page at its slug" test -f "$about"
check "page body rendered" grep -q '<p>We write .*briefs.* &amp; more.</p>' "$about"
check "raw HTML in a page left out" sh -c '! grep -q "<b>" "$1"' - "$about"
check "page title in the layout" grep -q '<h1 class="story-title">About the desk</h1>' "$about"
check "page description" grep -q '<meta name="description" content="Who we are.">' "$about"
check "front matter slug gives the address" test -f "$TMP/s/public/fixes/index.html"
check "page without menu weight is built" test -f "$TMP/s/public/unlisted/index.html"
check "draft page left out" test ! -e "$TMP/s/public/later"
check "page in the sitemap" grep -q '<loc>https://example.org/about/</loc>' "$TMP/s/public/sitemap.xml"
# the menu: built-in sections stay, weighted pages follow, lowest first
nav=$(nav "$about")
case $nav in
*'href="../">Latest'*'href="../fixes/">Corrections policy href="../about/">About '*) ok "menu lists weighted pages after the sections" ;;
*) not_ok "menu lists weighted pages after the sections"; echo "#   nav: $nav" ;;
esac
check "the page's own menu entry is current" grep -q 'href="../about/" aria-current="page">About<' "$about"
case $nav in *Unlisted*) not_ok "page without a weight not in the menu" ;; *) ok "page without a weight not in the menu" ;; esac

# a warm build after a page edit is the same as a clean one
sleep 0.01
printf -- '---\ntitle: "About us"\nmenu: 30\n---\n\nChanged text.\n' > "$TMP/s/content/pages/about.md"
run_briefing build -s "$TMP/s" -q
expect_status "warm build after a page edit" 0
check "warm build shows the new text" grep -q '<p>Changed text.</p>' "$about"
check "warm build shows the new menu title" grep -q '>About us</a>' "$TMP/s/public/index.html"
run_briefing build -s "$TMP/s" -q --no-cache -o "$TMP/clean"
check "warm build equals a clean build" diff -r "$TMP/s/public" "$TMP/clean"
rm "$TMP/s/content/pages/unlisted.md"
run_briefing build -s "$TMP/s" -q
check "a deleted page's output goes" test ! -e "$TMP/s/public/unlisted"

# site.yml's menu replaces the built-in list: pages, sections, links
cat >> "$TMP/s/site.yml" <<'YML'
menu:
  - section: latest
  - about
  - {title: "Newsletter", url: "https://example.org/newsletter?a=1&b=2"}
  - {section: topics, title: "Subjects", weight: 5}
YML
run_briefing build -s "$TMP/s" -q
expect_status "site with a menu builds" 0
nav=$(nav "$about")
want='href="../topics/">Subjects href="../">Latest href="../fixes/">Corrections policy href="../about/">About us href="https://example.org/newsletter?a=1&amp;b=2">Newsletter '
if [ "$nav" = "$want" ]; then ok "site.yml menu in weight order"; else
	not_ok "site.yml menu in weight order"; echo "#   nav: $nav"; echo "#  want: $want"; fi

# errors name the file, line and column
printf 'menu:\n  - nowhere\n' >> "$TMP/s/site.yml"
sed -i '/^menu:$/,$d' "$TMP/s/site.yml"
printf 'menu:\n  - nowhere\n' >> "$TMP/s/site.yml"
run_briefing build -s "$TMP/s" -q
expect_status "unknown menu entry fails" 1
expect_stderr "unknown menu entry named" 'site.yml:4:5: error: menu: no page or section "nowhere"'
sed -i '/^menu:$/,$d' "$TMP/s/site.yml"
printf -- '---\ntitle: "Bad"\nmenu: first\n---\n' > "$TMP/s/content/pages/bad.md"
run_briefing build -s "$TMP/s" -q
expect_status "bad menu weight fails" 1
expect_stderr "bad menu weight named" 'content/pages/bad.md:3:7: error: menu: expected a number'
printf -- '---\ntitle: "Twice"\nslug: about\n---\n' > "$TMP/s/content/pages/bad.md"
run_briefing build -s "$TMP/s" -q
expect_status "two pages at one address fail" 1
expect_stderr "two pages at one address named" 'page "about/" is made twice'
printf -- '---\ntitle: "Topics"\n---\n' > "$TMP/s/content/pages/topics.md"
rm "$TMP/s/content/pages/bad.md"
run_briefing build -s "$TMP/s" -q
expect_status "a page over a section fails" 1
finish
