/* match.c: see match.h. Names and first words sit in hash sets, so a
 * word that starts no name costs a hash and nothing else. The scanner
 * skips most bytes without looking at words (m->starts). */
#include "match.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

#define MAX_WORDS 16

struct slot {
	uint32_t hash;
	uint32_t len;
	uint32_t seen; /* match_next_once: the pass that reported this name */
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

struct matcher {
	int max_words;
	struct set names, firsts;
	unsigned char starts[256]; /* bytes a first word can begin with */
	uint32_t calls;            /* match_once_begin calls, to stamp slot.seen */
	/* the last text match_test found names in, and what it found */
	char *last;
	size_t last_len, last_cap;
	struct match_hit *hits;
	size_t n_hits, hits_cap;
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

/* The end of the piece of a word at s[i]: the word's end, or an earlier
 * hyphen ("Jae-in", "Un-Trump": names may end at one). */
static inline size_t piece_end(const unsigned char *s, size_t len, size_t i)
{
	size_t end = word_end(s, len, i);
	const void *hyphen = memchr(s + i, '-', end - i);
	return hyphen ? (size_t)((const unsigned char *)hyphen - s) : end;
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

struct matcher *match_new(void)
{
	struct matcher *m = xcalloc(1, sizeof *m);
	m->max_words = 1;
	return m;
}

void match_add(struct matcher *m, const char *name, size_t len)
{
	if (!len)
		return;
	set_add(&m->names, name, len);
	const unsigned char *u = (const unsigned char *)name;
	size_t first = piece_end(u, len, 0);
	int words = 1;
	for (size_t p = first; p < len; p++)
		words += u[p] == ' ' || u[p] == '-';
	if (words > m->max_words)
		m->max_words = words > MAX_WORDS ? MAX_WORDS : words;
	set_add(&m->firsts, name, first);
	m->starts[u[0]] = 1;
}

void match_free(struct matcher *m)
{
	if (!m)
		return;
	set_free(&m->names);
	set_free(&m->firsts);
	free(m->last);
	free(m->hits);
	free(m);
}

/* Does a word start at s[i]: is s[i - 1] the end of a separator or a
 * hyphen? (A separator is recognised by its own bytes, whatever precedes
 * it, so this agrees with reading the text from its start.) */
static inline int after_separator(const unsigned char *s, size_t i)
{
	if (byte_class[s[i - 1]] == 1 || s[i - 1] == '-')
		return 1;
	return i >= 3 && s[i - 3] == 0xE2 && sep_width(s, i, i - 3) == 3;
}

/* Can the byte between two words of a name be c? A space; a hyphen
 * ("Moon Jae-in"); a line break where the text was hard-wrapped. */
static inline int joins(unsigned char c)
{
	return c == ' ' || c == '-' || c == '\n';
}

/* lookup for text with a line break between words: the names have a
 * space there. Longer than any name: no match. */
static size_t lookup_broken(const struct set *set, const unsigned char *s, size_t n,
                            struct slot **found)
{
	char copy[512];
	if (n > sizeof copy)
		return 0;
	for (size_t i = 0; i < n; i++)
		copy[i] = s[i] == '\n' ? ' ' : (char)s[i];
	return lookup(set, copy, n, found);
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
		ends[0] = piece_end(s, len, i);
		if (lookup(&m->firsts, (const char *)s + i, ends[0] - i, name)) {
			int k = 1, broken = 0;
			while (k < m->max_words && ends[k - 1] + 1 < len && joins(s[ends[k - 1]]) &&
			       !sep_width(s, len, ends[k - 1] + 1) && s[ends[k - 1] + 1] != '-') {
				broken |= s[ends[k - 1]] == '\n';
				ends[k] = piece_end(s, len, ends[k - 1] + 1);
				k++;
			}
			for (int j = k - 1; j >= 0; j--) {
				size_t got = broken ? lookup_broken(&m->names, s + i, ends[j] - i, name)
				                    : lookup(&m->names, (const char *)s + i, ends[j] - i, name);
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

size_t match_next(const struct matcher *m, const char *text, size_t len, size_t *pos,
                  size_t *start)
{
	struct slot *name;
	return next_name(m, (const unsigned char *)text, len, pos, start, &name);
}

void match_once_begin(struct matcher *m)
{
	if (++m->calls == 0) { /* wrapped: forget every stamp */
		for (size_t i = 0; i < m->names.cap; i++)
			m->names.slots[i].seen = 0;
		m->calls = 1;
	}
}

size_t match_next_once(struct matcher *m, const char *text, size_t len, size_t *pos,
                       size_t *start)
{
	struct slot *name;
	size_t got;
	while ((got = next_name(m, (const unsigned char *)text, len, pos, start, &name))) {
		if (name->seen == m->calls)
			continue;
		name->seen = m->calls;
		return got;
	}
	return 0;
}

int match_test(struct matcher *m, const char *text, size_t len)
{
	size_t pos = 0, start, got;
	struct slot *name;
	m->n_hits = 0;
	m->last_len = 0;
	while ((got = next_name(m, (const unsigned char *)text, len, &pos, &start, &name))) {
		if (m->n_hits == m->hits_cap) {
			m->hits_cap = m->hits_cap ? m->hits_cap * 2 : 16;
			m->hits = xrealloc(m->hits, m->hits_cap * sizeof *m->hits);
		}
		m->hits[m->n_hits++] = (struct match_hit){start, got};
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

int match_last(const struct matcher *m, const char *text, size_t len,
               const struct match_hit **hits, size_t *n)
{
	if (!m->n_hits || len != m->last_len || memcmp(text, m->last, len) != 0)
		return 0;
	*hits = m->hits;
	*n = m->n_hits;
	return 1;
}
