# CLI: the Makefile and bench/run tell the truth. A missing -dev package
# stops the build with pkg-config's own message; objects rebuild when
# the flags change; GD=0 builds without libgd; a failed man-page install
# fails `make install`; `make clean` removes every build*/ folder, which
# git ignores; bench/run says what to install instead of running
# apt-get. Works on a copy.
. tests/lib.sh

t="$TMP/tree"
mkdir -p "$t"
cp -R Makefile src tests docs themes scripts bench "$t/"
m() { make -s --no-print-directory -C "$t" "$@" > "$TMP/make.out" 2>&1; }

m B="$TMP/b1" PKGS="yaml-0.1 no-such-package-briefing" "$TMP/b1/buf.o"
check "a missing package stops the build" test $? -ne 0
check "with pkg-config's own message" grep -qF "no-such-package-briefing" "$TMP/make.out"
check "before anything is compiled" test ! -e "$TMP/b1/buf.o"

m B="$TMP/b2" "$TMP/b2/buf.o"
check "an object builds" test -f "$TMP/b2/buf.o"
# (the commands echoed, even under `make -s test`, whose s MAKEFLAGS passes on)
MAKEFLAGS= make --no-print-directory -C "$t" B="$TMP/b2" "$TMP/b2/buf.o" > "$TMP/make.out" 2>&1
check "and is then not compiled again" sh -c "! grep -qF -- '-o $TMP/b2/buf.o' '$TMP/make.out'"
MAKEFLAGS= make --no-print-directory -C "$t" B="$TMP/b2" CFLAGS="-O0 -g" "$TMP/b2/buf.o" > "$TMP/make.out" 2>&1
check "other CFLAGS compile it again" grep -qF -- "-O0 -g -c -o $TMP/b2/buf.o" "$TMP/make.out"

# libgd is optional: GD=0 leaves it out even where it is installed (the
# rest of a GD=0 binary is tests/cli/srcset.sh's, when run with one)
m B="$TMP/b3" GD=0 "$TMP/b3/resize.o" "$TMP/b3/main.o"
check "GD=0 compiles the resizer without warnings" sh -c "test -f '$TMP/b3/resize.o' && ! grep -q 'src/.*warning:' '$TMP/make.out'"
check "GD=0 neither defines nor links libgd" sh -c "! grep -qE 'HAVE_GD|-lgd' '$TMP/b3/flags'"
check "GD=0 leaves libgd out of the object" sh -c "! grep -q gdImage '$TMP/b3/resize.o'"
if pkg-config --exists gdlib; then
	m B="$TMP/b4" "$TMP/b4/resize.o"
	check "libgd found by pkg-config is used" grep -q gdImageScale "$TMP/b4/resize.o"
	# opened on the first image to decode, not loaded by every command
	check "the binary does not link libgd" sh -c "! readelf -d '$BRIEFING' | grep -q 'NEEDED.*libgd'"
	check "it opens libgd by its SONAME" sh -c "grep -qE 'GD_SONAME=.*libgd\.so\.[0-9]' '$TMP/b4/flags'"
else
	skip "libgd found by pkg-config is used" "no libgd-dev here"
fi

# install with the binary in place (-o: not remade) and a man page gone
cp "$BRIEFING" "$t/briefing"
rm "$t/docs/site.yml.5"
make -C "$t" -o briefing install DESTDIR="$TMP/dest" PREFIX=/usr > "$TMP/make.out" 2>&1
check "a man page that cannot be installed fails make install" test $? -ne 0
check "and says which" grep -qF "site.yml.5" "$TMP/make.out"

mkdir -p "$t/build" "$t/build-prof" "$t/build-asan" "$t/build-x"
m clean
check "make clean removes every build*/ folder" sh -c "! ls -d '$t'/build* 2>/dev/null | grep -q ."
if git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
	check "git ignores every build*/ folder" sh -c \
		"cd '$ROOT' && git check-ignore -q build-prof/briefing && git check-ignore -q build-x/a.o"
	check "no build product is tracked" sh -c "! git -C '$ROOT' ls-files | grep -q '^build'"
else
	skip "git ignores every build*/ folder" "not a git checkout"
fi

# bench/run with no hugo on PATH and apt-get, sudo that only leave a mark
mkdir -p "$TMP/fakebin"
for tool in dirname id; do ln -s "$(command -v $tool)" "$TMP/fakebin/$tool"; done
for tool in apt-get sudo; do
	printf '#!/bin/sh\necho "%s $*" >> "%s"\nexit 1\n' "$tool" "$TMP/ran" > "$TMP/fakebin/$tool"
	chmod +x "$TMP/fakebin/$tool"
done
PATH="$TMP/fakebin" /bin/sh "$t/bench/run" 1 > "$TMP/bench.out" 2>&1
check "bench/run stops when hugo is missing" test $? -ne 0
check "bench/run never runs apt-get or sudo" test ! -e "$TMP/ran"
check "bench/run says what to install" grep -qF "apt-get install" "$TMP/bench.out"
finish
