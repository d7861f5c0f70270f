# briefing: a static-site generator for briefing digests.
# Targets: all test check install uninstall clean asan valgrind fuzz bench
# Honours CC CPPFLAGS CFLAGS LDFLAGS PREFIX DATADIR DESTDIR (Debian's
# dpkg-buildflags hardening flags come in through the first three).

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share/briefing
MANDIR  ?= $(PREFIX)/share/man
CC      ?= cc
CFLAGS  ?= -O2 -g
PKG_CONFIG ?= pkg-config

VERSION := 0.1.0
PKGS    := libcmark yaml-0.1 lua5.4 libmicrohttpd jansson
# libgd (resized copies for srcset) is optional: used when pkg-config
# finds it, left out with GD=0 (or when it is not installed).
GD      ?= $(shell $(PKG_CONFIG) --exists gdlib 2>/dev/null && echo 1 || echo 0)
# It is not linked: resize.c opens it (dlopen) on the first image to
# decode, by the name its SONAME gives, since the sixty libraries it
# brings took 20 ms to load at the start of every command.
ifeq ($(GD),1)
GD_SONAME := $(shell objdump -p $$($(PKG_CONFIG) --variable=libdir gdlib)/libgd.so 2>/dev/null | sed -n 's/^ *SONAME *//p')
GD_DEF  := -DBRIEFING_HAVE_GD -DGD_SONAME='"$(or $(GD_SONAME),libgd.so.3)"'
GD_CFLAGS := $(shell $(PKG_CONFIG) --cflags gdlib 2>/dev/null)
GD_LIBS := -ldl
endif
# Read quietly here (make clean needs none of them); $(B)/flags below
# stops the build with pkg-config's own message when one is missing.
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null) $(GD_CFLAGS)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) $(GD_LIBS)
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -DBRIEFING_VERSION='"$(VERSION)"' \
             -DBRIEFING_DATADIR='"$(DATADIR)"' $(GD_DEF) -pthread $(WARN) $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)
LIBS     = $(PKG_LIBS) -lm -pthread

B       ?= build
LIB_SRC := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ := $(LIB_SRC:src/%.c=$(B)/%.o)
UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/tests/%,$(wildcard tests/unit/test_*.c))

all: briefing

briefing: $(B)/briefing
	cp $(B)/briefing $@

$(B)/briefing: $(B)/main.o $(B)/libbriefing.a $(B)/flags
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(B)/main.o $(B)/libbriefing.a $(LIBS)

$(B)/libbriefing.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# The compiler and its flags, rewritten only when they change, so that
# objects built with other flags (CFLAGS=-O0, another CC) are rebuilt.
# First, every package must be there: pkg-config says which is not.
$(B)/flags: FORCE | $(B)
	@$(PKG_CONFIG) --print-errors --exists $(PKGS)
	$(file >$@.new,$(CC) $(ALL_CFLAGS) $(LDFLAGS) $(LIBS))
	@cmp -s $@.new $@ && rm -f $@.new || mv -f $@.new $@

$(B)/%.o: src/%.c src/*.h $(B)/flags | $(B)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c tests/unit/test.h $(B)/libbriefing.a $(B)/flags | $(B)
	@mkdir -p $(B)/tests
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libbriefing.a $(LIBS)

$(B):
	mkdir -p $(B)

unit: $(UNIT_TESTS)

test: $(B)/briefing unit
	@BRIEFING=$(CURDIR)/$(B)/briefing BUILD=$(CURDIR)/$(B) sh tests/run

# The GNU name for the same (dh_auto_test and distributions call it).
check: test

# Regenerates tests/golden/expected after an intended output change.
golden-update: $(B)/briefing
	@BRIEFING=$(CURDIR)/$(B)/briefing GOLDEN_UPDATE=1 sh tests/golden/golden.sh

# AddressSanitizer + UndefinedBehaviorSanitizer over the whole suite.
asan:
	$(MAKE) B=build-asan CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	        LDFLAGS="-fsanitize=address,undefined" test

# Regenerates the screenshots in docs/img/ from the example site (needs
# ../shared/tools/install-checkers for headless Chromium).
SHOT ?= ../shared/tools/shot-file
SHOT_URL ?= ../shared/tools/shot
screenshots: $(B)/briefing
	$(B)/briefing build -q -o $(B)/shots
	$(SHOT) $(B)/shots/index.html docs/img/theme-home-desktop.png 1280 900
	$(SHOT) $(B)/shots/index.html docs/img/theme-home-phone.png 390 844
	$(SHOT) $(B)/shots/articles/2017/tillerson-no-preconditions/index.html docs/img/theme-article-desktop.png 1280 900
	$(SHOT) $(B)/shots/articles/2017/tillerson-no-preconditions/index.html docs/img/theme-article-phone.png 390 844
	$(SHOT) $(B)/shots/articles/2017/ambassadors-withdrawn/index.html docs/img/theme-lead-image-desktop.png 1280 900
	$(SHOT) $(B)/shots/articles/2017/ambassadors-withdrawn/index.html docs/img/theme-lead-image-phone.png 390 844
	$(SHOT) $(B)/shots/about/index.html docs/img/theme-about-desktop.png 1280 900
	$(SHOT) $(B)/shots/about/index.html docs/img/theme-about-phone.png 390 844
	$(SHOT) $(B)/shots/people/rex-tillerson/index.html docs/img/theme-person-desktop.png 1280 900
	$(SHOT) $(B)/shots/people/rex-tillerson/index.html docs/img/theme-person-phone.png 390 844
	$(SHOT_URL) --wait 800 "file://$(abspath $(B))/shots/search/index.html?q=sanctions%20chin" docs/img/theme-search-desktop.png 1280 900
	$(SHOT_URL) --wait 800 "file://$(abspath $(B))/shots/search/index.html?q=sanctions%20chin" docs/img/theme-search-phone.png 390 844

# libFuzzer targets, built with clang (not part of `make test`); see
# tests/fuzz/README.md. Seed with `sh tests/fuzz/seed.sh`, then run e.g.
#   build-fuzz/fuzz_mustache -max_total_time=60 -dict=tests/fuzz/mustache.dict tests/fuzz/corpus-mustache
FUZZ_CC    ?= clang
FUZZ_FLAGS ?= -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_MUSTACHE_SRC := src/mustache.c src/buf.c src/value.c src/diag.c src/cachefile.c src/hashes.c

FUZZ_FM_SRC := src/frontmatter.c src/yamlvalue.c src/controls.c src/markdown.c src/buf.c src/value.c \
               src/diag.c src/cachefile.c src/hashes.c

# The Lua and whole-article targets link every module, built once here.
FUZZ_OBJ := $(LIB_SRC:src/%.c=build-fuzz/obj/%.o)
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -DBRIEFING_VERSION='"$(VERSION)"' \
              -DBRIEFING_DATADIR='"$(DATADIR)"' $(GD_DEF) -pthread $(WARN) $(PKG_CFLAGS) $(FUZZ_FLAGS)

fuzz: build-fuzz/fuzz_mustache build-fuzz/fuzz_frontmatter build-fuzz/fuzz_luanode \
      build-fuzz/fuzz_article build-fuzz/fuzz_formats

build-fuzz/obj/%.o: src/%.c src/*.h
	@mkdir -p build-fuzz/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

build-fuzz/fuzz_luanode build-fuzz/fuzz_article build-fuzz/fuzz_formats: build-fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(FUZZ_OBJ) $(PKG_LIBS) -lm -pthread

build-fuzz/fuzz_frontmatter: tests/fuzz/fuzz_frontmatter.c $(FUZZ_FM_SRC) src/*.h
	@mkdir -p build-fuzz
	$(FUZZ_CC) -std=c11 -D_GNU_SOURCE $(WARN) $(FUZZ_FLAGS) $(PKG_CFLAGS) -o $@ $< $(FUZZ_FM_SRC) $(PKG_LIBS) -lm

build-fuzz/fuzz_mustache: tests/fuzz/fuzz_mustache.c $(FUZZ_MUSTACHE_SRC) src/*.h
	@mkdir -p build-fuzz
	$(FUZZ_CC) -std=c11 -D_GNU_SOURCE $(WARN) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_MUSTACHE_SRC) -lm

# Side-by-side timing against Hugo (see bench/run); not part of `make test`.
# It needs Debian's hugo, cmark and time, and says what to install; it
# never installs anything itself.
bench: $(B)/briefing $(B)/render_bench
	$(B)/render_bench . 100000
	sh bench/run $(BENCH_ARTICLES)
	sh bench/filters $(BENCH_ARTICLES)
	sh bench/warm
	sh bench/incremental

$(B)/render_bench: bench/render_bench.c $(B)/libbriefing.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libbriefing.a $(LIBS)

valgrind: $(B)/briefing unit
	@BRIEFING=$(CURDIR)/$(B)/briefing BUILD=$(CURDIR)/$(B) VALGRIND=1 sh tests/run

install: briefing
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/scripts $(DESTDIR)$(MANDIR)/man1 \
	           $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 755 briefing $(DESTDIR)$(BINDIR)/briefing
	cp -R themes $(DESTDIR)$(DATADIR)/
	install -m 644 scripts/*.lua $(DESTDIR)$(DATADIR)/scripts/
	install -d $(DESTDIR)$(DATADIR)/scripts/lib
	install -m 644 scripts/lib/*.lua $(DESTDIR)$(DATADIR)/scripts/lib/
	install -m 644 docs/briefing.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 docs/site.yml.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 644 docs/briefing-lua.7 $(DESTDIR)$(MANDIR)/man7/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/briefing $(DESTDIR)$(MANDIR)/man1/briefing.1 \
	      $(DESTDIR)$(MANDIR)/man5/site.yml.5 $(DESTDIR)$(MANDIR)/man7/briefing-lua.7
	rm -rf $(DESTDIR)$(DATADIR)

# Every build folder (build, build-asan, build-fuzz, B=build-anything).
clean:
	rm -rf $(wildcard build*/) briefing public

FORCE:

.PHONY: all test check unit golden-update asan valgrind fuzz bench screenshots install uninstall clean FORCE
