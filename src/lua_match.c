/* lua_match.c: finds known names in text, whole words only, longest name
 * first, left to right, without overlaps. A name is up to N words joined by
 * single spaces; a trailing possessive ("'s") or full stop is not part of
 * it. Words are split at whitespace, , ; : ! ? ( ) [ ] " and at curly
 * quotes, apostrophes and dashes. Names and first words sit in C hash
 * sets, so a word that starts no name costs a hash and no Lua string. */
#include "lua_match.h"

#include <lauxlib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "lua_node.h"

#define MATCHER_MT "briefing.Matcher"
#define MAX_WORDS 16

struct slot {
	uint32_t hash;
	uint32_t len;
	uint32_t seen; /* find with `once`: the call that reported this name */
	char *s;       /* NULL: empty */
};

/* Open addressing, power-of-two capacity, at most half full. The slots
 * of thousands of names do not stay in cache, and most words a scan asks
 * about are not names: a bit per hash value (its top 16 bits) answers
 * those from 8 KB, without a probe. */
#define SET_BITS 65536
struct set {
	struct slot *slots;
	size_t cap, n;
	uint64_t bits[SET_BITS / 64];
};

/* One match: where it starts and how long it is. */
struct hit {
	size_t start, len;
};

struct matcher {
	int max_words;
	struct set names, firsts;
	unsigned char starts[256]; /* bytes a first word can begin with */
	/* the last text lm_test found names in, and what it found */
	char *last;
	size_t last_len, last_cap;
	struct hit *hits;
	size_t n_hits, hits_cap;
	uint32_t calls; /* find calls with `once`, to stamp slot.seen */
	/* what find found, before any of it becomes a Lua value (a Lua error
	 * then cannot leave a cmark iterator or a C array behind) */
	struct found {
		cmark_node *node;
		size_t start, len;
	} *found;
	size_t found_cap;
};

static uint32_t hash_bytes(const char *s, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct slot *set_find(const struct set *set, const char *s, size_t n)
{
	if (!set->cap)
		return NULL;
	uint32_t h = hash_bytes(s, n);
	if (!(set->bits[h >> 22] >> (h >> 16 & 63) & 1))
		return NULL;
	for (size_t i = h & (set->cap - 1);; i = (i + 1) & (set->cap - 1)) {
		struct slot *sl = &set->slots[i];
		if (!sl->s)
			return NULL;
		if (sl->hash == h && sl->len == n && memcmp(sl->s, s, n) == 0)
			return sl;
	}
}

static void set_add(struct set *set, const char *s, size_t n)
{
	if (set_find(set, s, n))
		return;
	if ((set->n + 1) * 2 > set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		struct slot *bigger = xcalloc(cap, sizeof *bigger);
		for (size_t i = 0; i < set->cap; i++)
			if (set->slots[i].s) {
				struct slot *sl = &set->slots[i];
				size_t j = sl->hash & (cap - 1);
				while (bigger[j].s)
					j = (j + 1) & (cap - 1);
				bigger[j] = *sl;
			}
		free(set->slots);
		set->slots = bigger;
		set->cap = cap;
	}
	uint32_t h = hash_bytes(s, n);
	set->bits[h >> 22] |= (uint64_t)1 << (h >> 16 & 63);
	size_t i = h & (set->cap - 1);
	while (set->slots[i].s)
		i = (i + 1) & (set->cap - 1);
	set->slots[i] = (struct slot){h, (uint32_t)n, 0, xstrndup(s, n)};
	set->n++;
}

static void set_free(struct set *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i].s);
	free(set->slots);
	set->slots = NULL;
	set->cap = set->n = 0;
	memset(set->bits, 0, sizeof set->bits);
}

/* Byte classes: 0 a word byte, 1 an ASCII separator, 2 the first byte of
 * a three-byte UTF-8 dash or curly quote (checked by sep_width). */
static const unsigned char byte_class[256] = {
	[' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, ['\v'] = 1, [','] = 1,
	[';'] = 1, [':'] = 1,  ['!'] = 1,  ['?'] = 1,  ['('] = 1,  [')'] = 1,  ['['] = 1,
	[']'] = 1, ['"'] = 1,  [0xE2] = 2,
};

/* Width of the separator at s[i] (0 when s[i] starts a word byte). */
static inline int sep_width(const unsigned char *s, size_t len, size_t i)
{
	switch (byte_class[s[i]]) {
	case 0: return 0;
	case 1: return 1;
	default: /* U+2013 U+2014 dashes, U+2018 U+2019 U+201C U+201D quotes */
		if (i + 2 < len && s[i + 1] == 0x80 &&
		    (s[i + 2] == 0x93 || s[i + 2] == 0x94 || s[i + 2] == 0x98 || s[i + 2] == 0x99 ||
		     s[i + 2] == 0x9C || s[i + 2] == 0x9D))
			return 3;
		return 0;
	}
}

/* The end of the word at s[i]: most bytes are plain word bytes, found by
 * one table lookup each. */
static inline size_t word_end(const unsigned char *s, size_t len, size_t i)
{
	for (; i < len; i++) {
		unsigned char c = byte_class[s[i]];
		if (c == 1 || (c == 2 && sep_width(s, len, i)))
			break;
	}
	return i;
}

/* Is s[0..n) (or it without "'s", "'" or ".") in the set? Returns the
 * length that matched, or 0, and the set's entry in *found. */
static size_t lookup(const struct set *set, const char *s, size_t n, struct slot **found)
{
	if ((*found = set_find(set, s, n)))
		return n;
	if (n > 2 && s[n - 2] == '\'' && s[n - 1] == 's' && (*found = set_find(set, s, n - 2)))
		return n - 2;
	if (n > 1 && (s[n - 1] == '.' || s[n - 1] == '\'') && (*found = set_find(set, s, n - 1)))
		return n - 1;
	return 0;
}

static void free_last(struct matcher *m)
{
	free(m->last);
	free(m->hits);
	free(m->found);
	m->last = NULL;
	m->hits = NULL;
	m->found = NULL;
	m->found_cap = 0;
	m->last_len = m->last_cap = m->n_hits = m->hits_cap = 0;
}

static int matcher_gc(lua_State *L)
{
	struct matcher *m = lua_touserdata(L, 1);
	set_free(&m->names);
	set_free(&m->firsts);
	free_last(m);
	return 0;
}

/* Adds one name (len > 0) to m. */
static void matcher_add(struct matcher *m, const char *name, size_t len)
{
	set_add(&m->names, name, len);
	const unsigned char *u = (const unsigned char *)name;
	size_t first = word_end(u, len, 0);
	int words = 1;
	for (size_t p = first; p < len; p++)
		words += u[p] == ' ';
	if (words > m->max_words)
		m->max_words = words > MAX_WORDS ? MAX_WORDS : words;
	set_add(&m->firsts, name, first);
	m->starts[u[0]] = 1;
}

/* briefing.matcher({names}) -> matcher */
static int l_matcher(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
	for (lua_Integer i = 1; i <= n; i++) {
		if (lua_rawgeti(L, 1, i) != LUA_TSTRING || lua_rawlen(L, -1) == 0)
			return luaL_error(L, "matcher: item %d is not a name", (int)i);
		lua_pop(L, 1);
	}
	struct matcher *m = lua_newuserdatauv(L, sizeof *m, 0);
	memset(m, 0, sizeof *m);
	m->max_words = 1;
	luaL_setmetatable(L, MATCHER_MT);
	for (lua_Integer i = 1; i <= n; i++) {
		lua_rawgeti(L, 1, i);
		size_t len;
		const char *name = lua_tolstring(L, -1, &len);
		matcher_add(m, name, len);
		lua_pop(L, 1);
	}
	return 1;
}

struct matcher *lm_new(void)
{
	struct matcher *m = xcalloc(1, sizeof *m);
	m->max_words = 1;
	return m;
}

void lm_add(struct matcher *m, const char *name)
{
	if (*name)
		matcher_add(m, name, strlen(name));
}

void lm_free(struct matcher *m)
{
	if (!m)
		return;
	set_free(&m->names);
	set_free(&m->firsts);
	free_last(m);
	free(m);
}

void *lm_get(lua_State *L, int idx)
{
	return luaL_testudata(L, idx, MATCHER_MT);
}

/* Does a word start at s[i]: is s[i - 1] the end of a separator? (A
 * separator is recognised by its own bytes, whatever precedes it, so
 * this agrees with reading the text from its start.) */
static inline int after_separator(const unsigned char *s, size_t i)
{
	if (byte_class[s[i - 1]] == 1)
		return 1;
	return i >= 3 && s[i - 3] == 0xE2 && sep_width(s, i, i - 3) == 3;
}

/* The next name in s at or after *pos: returns its length and sets *start,
 * and moves *pos past the words it used; returns 0 at the end of s. The
 * longest name starting at a word wins. *pos counts as a word start.
 * Most words start with no name's first byte (m->starts): the loop skips
 * those bytes one table lookup each, and looks at a word only when such a
 * byte begins it. */
static size_t next_name(const struct matcher *m, const unsigned char *s, size_t len, size_t *pos,
                        size_t *start, struct slot **name)
{
	size_t from = *pos, i = from;
	for (;;) {
		while (i + 4 <= len && !(m->starts[s[i]] | m->starts[s[i + 1]] |
		                         m->starts[s[i + 2]] | m->starts[s[i + 3]]))
			i += 4;
		while (i < len && !m->starts[s[i]])
			i++;
		if (i >= len)
			break;
		if ((i != from && !after_separator(s, i)) || sep_width(s, len, i)) {
			i++;
			continue;
		}
		size_t ends[MAX_WORDS];
		ends[0] = word_end(s, len, i);
		if (lookup(&m->firsts, (const char *)s + i, ends[0] - i, name)) {
			int k = 1;
			while (k < m->max_words && ends[k - 1] + 1 < len && s[ends[k - 1]] == ' ' &&
			       !sep_width(s, len, ends[k - 1] + 1)) {
				ends[k] = word_end(s, len, ends[k - 1] + 1);
				k++;
			}
			for (int j = k - 1; j >= 0; j--) {
				size_t got = lookup(&m->names, (const char *)s + i, ends[j] - i, name);
				if (got) {
					*start = i;
					*pos = ends[j];
					return got;
				}
			}
		}
		i = ends[0];
	}
	*pos = len;
	return 0;
}

size_t lm_next(const struct matcher *m, const char *text, size_t len, size_t *pos,
               size_t *start)
{
	struct slot *name;
	return next_name(m, (const unsigned char *)text, len, pos, start, &name);
}

int lm_test(void *matcher, const char *text, size_t len)
{
	struct matcher *m = matcher;
	size_t pos = 0, start, got;
	struct slot *name;
	m->n_hits = 0;
	m->last_len = 0;
	while ((got = next_name(m, (const unsigned char *)text, len, &pos, &start, &name))) {
		if (m->n_hits == m->hits_cap) {
			m->hits_cap = m->hits_cap ? m->hits_cap * 2 : 16;
			m->hits = xrealloc(m->hits, m->hits_cap * sizeof *m->hits);
		}
		m->hits[m->n_hits++] = (struct hit){start, got};
	}
	if (!m->n_hits)
		return 0;
	if (len + 1 > m->last_cap) {
		m->last_cap = len + 1;
		m->last = xrealloc(m->last, m->last_cap);
	}
	memcpy(m->last, text, len);
	m->last_len = len;
	return 1;
}

/* matcher:scan(text) -> {s1, e1, name1, s2, e2, name2, ...} (1-based,
 * inclusive byte positions), or nil when nothing matched */
static int l_scan(lua_State *L)
{
	struct matcher *m = luaL_checkudata(L, 1, MATCHER_MT);
	size_t len;
	const char *s = luaL_checklstring(L, 2, &len);
	int out = 0;
	lua_Integer n = 0;
	size_t pos = 0, start, got, h = 0;
	struct slot *name;
	/* the text the node walk just tested: its matches are known */
	int known = m->n_hits && len == m->last_len && memcmp(s, m->last, len) == 0;
	for (;;) {
		if (known) {
			if (h == m->n_hits)
				break;
			start = m->hits[h].start;
			got = m->hits[h++].len;
		} else if (!(got = next_name(m, (const unsigned char *)s, len, &pos, &start, &name))) {
			break;
		}
		if (!out) {
			lua_createtable(L, known ? (int)m->n_hits * 3 : 3, 0);
			out = lua_gettop(L);
		}
		lua_pushinteger(L, (lua_Integer)start + 1);
		lua_rawseti(L, out, ++n);
		lua_pushinteger(L, (lua_Integer)(start + got));
		lua_rawseti(L, out, ++n);
		lua_pushlstring(L, s + start, got);
		lua_rawseti(L, out, ++n);
	}
	if (!out)
		lua_pushnil(L);
	return 1;
}

/* Sets one field of the table at the top of the stack to an integer. */
static void set_int(lua_State *L, const char *key, lua_Integer v)
{
	lua_pushinteger(L, v);
	lua_setfield(L, -2, key);
}

/* The options of find: {skip = {node types}, once = boolean}. */
static void find_options(lua_State *L, int idx, char skip[32], int *once)
{
	*once = 0;
	if (lua_isnoneornil(L, idx))
		return;
	luaL_checktype(L, idx, LUA_TTABLE);
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
		if (key && !strcmp(key, "skip"))
			ln_check_types(L, lua_gettop(L), skip, "find: skip");
		else if (key && !strcmp(key, "once"))
			*once = lua_toboolean(L, -1);
		else
			luaL_error(L, "find: unknown option %s (expected skip or once)",
			           key ? lua_pushfstring(L, "\"%s\"", key) : luaL_typename(L, -2));
		lua_pop(L, 1);
	}
}

/* matcher:find(node [, {skip = {types}, once = true}]) -> {{node = Text,
 * first = i, last = j, name = s}, ...}: every match in the Text nodes at
 * or below node, in document order, positions in each node's text as for
 * scan; nothing below a node whose type is in skip; with once, only the
 * first match of each name. One call instead of a Lua function per Text
 * node. */
static int l_find(lua_State *L)
{
	struct matcher *m = luaL_checkudata(L, 1, MATCHER_MT);
	cmark_node *root = ln_check(L, 2);
	char skip[32] = {0};
	int once;
	find_options(L, 3, skip, &once);
	if (once && ++m->calls == 0) { /* wrapped: forget every stamp */
		for (size_t i = 0; i < m->names.cap; i++)
			m->names.slots[i].seen = 0;
		m->calls = 1;
	}
	size_t n = 0;
	cmark_iter *it = cmark_iter_new(root);
	cmark_event_type ev;
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node *node = cmark_iter_get_node(it);
		int t = cmark_node_get_type(node);
		if (node != root && t >= 0 && t < 32 && skip[t]) {
			cmark_iter_reset(it, node, CMARK_EVENT_EXIT);
			continue;
		}
		const char *text = t == CMARK_NODE_TEXT ? cmark_node_get_literal(node) : NULL;
		if (!text)
			continue;
		size_t len = strlen(text), pos = 0, start, got;
		struct slot *name;
		while ((got = next_name(m, (const unsigned char *)text, len, &pos, &start, &name))) {
			if (once) {
				if (name->seen == m->calls)
					continue;
				name->seen = m->calls;
			}
			if (n == m->found_cap) {
				m->found_cap = m->found_cap ? m->found_cap * 2 : 16;
				m->found = xrealloc(m->found, m->found_cap * sizeof *m->found);
			}
			m->found[n++] = (struct found){node, start, got};
		}
	}
	cmark_iter_free(it);
	lua_createtable(L, (int)n, 0);
	for (size_t i = 0; i < n; i++) {
		const struct found *f = &m->found[i];
		lua_createtable(L, 0, 4);
		ln_push(L, f->node);
		lua_setfield(L, -2, "node");
		set_int(L, "first", (lua_Integer)f->start + 1);
		set_int(L, "last", (lua_Integer)(f->start + f->len));
		lua_pushlstring(L, cmark_node_get_literal(f->node) + f->start, f->len);
		lua_setfield(L, -2, "name");
		lua_rawseti(L, -2, (lua_Integer)i + 1);
	}
	return 1;
}

void lm_open(lua_State *L)
{
	if (luaL_newmetatable(L, MATCHER_MT)) {
		lua_newtable(L);
		lua_pushcfunction(L, l_scan);
		lua_setfield(L, -2, "scan");
		lua_pushcfunction(L, l_find);
		lua_setfield(L, -2, "find");
		lua_setfield(L, -2, "__index");
		lua_pushliteral(L, "Matcher");
		lua_setfield(L, -2, "__name");
		lua_pushcfunction(L, matcher_gc);
		lua_setfield(L, -2, "__gc");
	}
	lua_pop(L, 1);
	lua_pushcfunction(L, l_matcher);
	lua_setfield(L, -2, "matcher");
}
