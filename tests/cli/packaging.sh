# CLI: packaging. A LICENSE; make install honours CPPFLAGS, CFLAGS and
# LDFLAGS from the environment (Debian's hardening flags) and puts the data
# folder under PREFIX, where the binary looks; make check runs the tests;
# debian/ builds a package with PREFIX=/usr; the man pages lint clean.
# Works on a copy, compiling nothing (make -n, and the binary under test).
. tests/lib.sh

check "a LICENSE file" test -s LICENSE
check "it is MIT, held by the briefing authors" sh -c \
	"grep -q '^MIT License' LICENSE && grep -q 'Copyright (c) [0-9]* The briefing authors' LICENSE"

t="$TMP/tree"
mkdir -p "$t"
cp -R Makefile src tests docs themes scripts debian LICENSE "$t/"
# dry runs from an empty build folder print every command (the folder
# made first: make -n does not run mkdir, and $(file) writes the flags)
mkdir -p "$TMP/b1" "$TMP/b2"
# (not the flags of a make running this suite: make asan passes its own)
unset MAKEFLAGS MFLAGS MAKELEVEL
CPPFLAGS="-D_FORTIFY_SOURCE=2 -DFROM_ENV_CPP" CFLAGS="-O2 -fstack-protector-strong -DFROM_ENV_C" \
LDFLAGS="-Wl,-z,relro -Wl,-z,now" \
	make -n --no-print-directory -C "$t" B="$TMP/b1" PREFIX=/opt/bx install > "$TMP/make.out" 2>&1
check "make install compiles with CPPFLAGS from the environment" \
	grep -q -- '-D_FORTIFY_SOURCE=2 -DFROM_ENV_CPP .*-c -o .*main.o' "$TMP/make.out"
check "and CFLAGS" grep -q -- '-fstack-protector-strong -DFROM_ENV_C .*-c -o .*main.o' "$TMP/make.out"
check "and links with LDFLAGS" grep -q -- '-Wl,-z,relro -Wl,-z,now -o .*/briefing ' "$TMP/make.out"
check "the binary looks for its data under PREFIX" \
	grep -q "BRIEFING_DATADIR='\"/opt/bx/share/briefing\"'" "$TMP/make.out"
check "the data folder is installed under PREFIX" grep -q 'share/briefing/scripts' "$TMP/make.out"

make -n --no-print-directory -C "$t" B="$TMP/b2" check > "$TMP/make.out" 2>&1
check "make check runs the test suite" grep -q 'sh tests/run' "$TMP/make.out"

# a real install (the binary under test in place of a build: -o briefing)
cp "$BRIEFING" "$t/briefing"
make --no-print-directory -C "$t" -o briefing install DESTDIR="$TMP/dest" PREFIX=/opt/bx \
	> "$TMP/make.out" 2>&1
check "make install with DESTDIR and PREFIX" test $? -eq 0
check "scripts installed under PREFIX" test -f "$TMP/dest/opt/bx/share/briefing/scripts/feeds.lua"
check "themes installed under PREFIX" test -d "$TMP/dest/opt/bx/share/briefing/themes/default"
check "man pages installed" test -f "$TMP/dest/opt/bx/share/man/man1/briefing.1"
s="$TMP/site"
new_site "$s"
env -u BRIEFING_DATA_DIR "$TMP/dest/opt/bx/bin/briefing" build -q -s "$s" -o "$TMP/out" 2> "$TMP/err"
check "the installed binary finds its scripts and themes" test -f "$TMP/out/index.html"

check "debian/rules is executable" test -x debian/rules
check "debian/rules builds and installs with PREFIX=/usr" sh -c \
	"grep -q 'dh_auto_build -- PREFIX=/usr' debian/rules && grep -q 'dh_auto_install -- PREFIX=/usr' debian/rules"
version=$(sed -n 's/^VERSION := //p' Makefile)
check "debian/changelog has the Makefile's version ($version)" \
	grep -q "^briefing ($version)" debian/changelog
check "debian/control builds with the four libraries" sh -c \
	"grep -q libcmark-dev debian/control && grep -q libyaml-dev debian/control && grep -q liblua5.4-dev debian/control && grep -q libmicrohttpd-dev debian/control"

if command -v mandoc >/dev/null; then
	for m in docs/briefing.1 docs/site.yml.5 docs/briefing-lua.7; do
		# cross-references are found once installed; the rest must be clean
		mandoc -T lint "$m" 2>&1 | grep -v 'referenced manual not found\|outdated mandoc.db' > "$TMP/lint"
		check "mandoc -T lint $m is clean" test ! -s "$TMP/lint"
		sed 's/^/#   /' "$TMP/lint" | head -5
	done
else
	skip "mandoc -T lint" "mandoc not installed (apt-get install mandoc)"
fi
finish
