# CLI: resized copies of a brief's images for srcset (libgd): copies at
# the site's widths under the image's own, never larger, in the source's
# format, read back for their pixel size; srcset and sizes on the body's
# <img>, the lead image and in feeds; none for SVG, GIF, a small image or
# a JPEG that EXIF turns;
# a corrupt PNG is a warning, not a failed build; images: in site.yml;
# copies kept in the cache folder. Without libgd, only that nothing changes.
. tests/lib.sh

img() { python3 tests/cli/srcset_png.py "$@"; }
A="$TMP/s/content/articles"
new_site "$TMP/s"
mkdir -p "$A/first" "$A/lead"
img png "$A/first/chart.png" 1300 100
cp tests/cli/srcset/wide.jpg "$A/first/wide.jpg"   # 1000 x 40
img png "$A/first/small.png" 300 20
printf '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 90"><rect width="900" height="90"/></svg>\n' \
	> "$A/first/map.svg"
head -c 120 "$A/first/chart.png" > "$A/first/broken.png"   # says 1300 wide, truncated
img turn tests/cli/srcset/wide.jpg "$A/first/turned.jpg"   # EXIF: turned right
printf -- '---\ntitle: "First"\ndate: 2017-09-30\n---\n\n![Chart](chart.png)\n\n![Wide](wide.jpg)\n\n![Small](small.png)\n\n![Map](map.svg)\n\n![Broken](broken.png)\n\n![Turned](turned.jpg)\n' \
	> "$A/first.md"
img png "$A/lead/photo.png" 900 300
printf -- '---\ntitle: "With a lead"\ndate: 2017-10-01\nimage: photo.png\nimage_alt: "A photo"\n---\n\nText.\n' \
	> "$A/lead/index.md"
export XDG_CACHE_HOME="$TMP/cache"

run_briefing --version
if ! grep -q '^images: libgd' "$TMP/out"; then
	run_briefing build -s "$TMP/s" -q
	expect_status "without libgd the site builds" 0
	page="$TMP/s/public/articles/first/index.html"
	check "without libgd the image is sized, no srcset" grep -qF '<img width="1300" height="100" src="chart.png"' "$page"
	check "without libgd no copies" test ! -e "$TMP/s/public/articles/first/chart-480w.png"
	skip "resized copies for srcset" "briefing was built without libgd (GD=0 or no libgd-dev)"
	finish
	exit
fi

run_briefing build -s "$TMP/s" -q
expect_status "a site with a corrupt image still builds" 0
expect_stderr "a corrupt image is a warning naming it" \
	"content/articles/first/broken.png: warning: cannot decode this image"
out="$TMP/s/public/articles/first"
page="$out/index.html"
# width W H of a copy, read back from its bytes
has_size() { [ "$(img size "$1")" = "$2 $3" ]; }
check "png copy at 480" has_size "$out/chart-480w.png" 480 37
check "png copy at 800" has_size "$out/chart-800w.png" 800 62
check "png copy at 1200" has_size "$out/chart-1200w.png" 1200 92
check "png copy is a PNG" sh -c "head -c 4 '$out/chart-480w.png' | grep -q PNG"
check "jpeg copies at 480 and 800" has_size "$out/wide-800w.jpg" 800 32
check "jpeg copy is a JPEG" sh -c "img() { :; }; [ \"\$(head -c 2 '$out/wide-480w.jpg' | od -An -tx1 | tr -d ' ')\" = ffd8 ]"
check "no copy wider than the image" test ! -e "$out/wide-1200w.jpg"
check "no copies of a small image" sh -c "! ls '$out' | grep -q '^small-'"
check "no copies of an SVG" sh -c "! ls '$out' | grep -q '^map-'"
check "no copies of a JPEG its EXIF turns" sh -c "! ls '$out' | grep -q '^turned-'"
check "nor srcset" grep -qF '<img width="1000" height="40" loading="lazy" src="turned.jpg" alt="Turned" />' "$page"
check "no copies of a corrupt image" sh -c "! ls '$out' | grep -q '^broken-'"
check "srcset and sizes on the png" grep -qF \
	'<img width="1300" height="100" srcset="chart-480w.png 480w, chart-800w.png 800w, chart-1200w.png 1200w, chart.png 1300w" sizes="(max-width: 44rem) 100vw, 44rem" src="chart.png"' "$page"
check "srcset on the jpeg, without upscaling" grep -qF \
	'srcset="wide-480w.jpg 480w, wide-800w.jpg 800w, wide.jpg 1000w"' "$page"
check "no srcset on a small image" grep -qF '<img width="300" height="20" loading="lazy" src="small.png" alt="Small" />' "$page"
check "no srcset on an SVG" grep -qF '<img width="900" height="90" loading="lazy" src="map.svg" alt="Map" />' "$page"
check "no srcset on a corrupt image" grep -qF '<img width="1300" height="100" loading="lazy" src="broken.png" alt="Broken" />' "$page"
check "feed srcset is absolute" grep -qF \
	'srcset=&quot;https://example.org/articles/first/chart-480w.png 480w, https://example.org/articles/first/chart-800w.png 800w' \
	"$TMP/s/public/feed.xml"
lead="$TMP/s/public/articles/lead/index.html"
check "lead image copy" has_size "$TMP/s/public/articles/lead/photo-800w.png" 800 267
check "lead image srcset on the brief" grep -qF \
	'srcset="../../articles/lead/photo-480w.png 480w, ../../articles/lead/photo-800w.png 800w, ../../articles/lead/photo.png 900w" sizes="(max-width: 44rem) 100vw, 44rem"' "$lead"

check "lead image srcset on its card" grep -qF \
	'srcset="articles/lead/photo-480w.png 480w, articles/lead/photo-800w.png 800w, articles/lead/photo.png 900w"' \
	"$TMP/s/public/index.html"

# the copies are kept in the cache and not made again: another output
# (a build of its own) gets the cached bytes
cached=$(ls "$TMP/cache/briefing/images/" | grep -c -- '-480\.png$')
check "copies kept in the cache folder" test "$cached" -ge 2
for f in "$TMP"/cache/briefing/images/*-1200.png; do printf 'kept' > "$f"; done
run_briefing build -s "$TMP/s" -q -o "$TMP/other"
check "a cached copy is used, not made again" sh -c "[ \"\$(cat '$TMP/other/articles/first/chart-1200w.png')\" = kept ]"

# a changed image gets new copies; those it no longer needs go
img png "$A/first/chart.png" 700 70
run_briefing build -s "$TMP/s" -q
check "changed image: new copy" has_size "$out/chart-480w.png" 480 48
check "changed image: copy too wide for it gone" test ! -e "$out/chart-800w.png"
check "changed image: srcset follows" grep -qF 'srcset="chart-480w.png 480w, chart.png 700w"' "$page"

# images: in site.yml
printf 'title: "T"\nbase_url: "https://example.org/"\nimages: {widths: [600, 300, 600]}\n' > "$TMP/s/site.yml"
run_briefing build -s "$TMP/s" -q
check "widths from site.yml, sorted, once" grep -qF 'srcset="chart-300w.png 300w, chart-600w.png 600w, chart.png 700w"' "$page"
check "copy at a width of site.yml" has_size "$out/wide-600w.jpg" 600 24
printf 'title: "T"\nimages: {srcset: false}\n' > "$TMP/s/site.yml"
run_briefing build -s "$TMP/s" -q
check "srcset: false, no srcset" sh -c "! grep -q srcset '$page'"
check "srcset: false, no copies" sh -c "! ls '$out' | grep -q -- '-[0-9]*w\.'"
printf 'title: "T"\nimages: {widths: [480, 5]}\n' > "$TMP/s/site.yml"
run_briefing build -s "$TMP/s" -q
expect_status "a bad width fails the build" 1
expect_stderr "a bad width says where" "site.yml:2:24: error: widths: expected a whole number of pixels"

# an author's file named like a copy wins over it
printf 'title: "T"\n' > "$TMP/s/site.yml"
img png "$A/first/chart-480w.png" 10 10
run_briefing build -s "$TMP/s" -q
check "an author's file named like a copy is kept" has_size "$out/chart-480w.png" 10 10
check "and srcset leaves that width out" grep -qF '<img width="700" height="70" src="chart.png"' "$page"
finish
