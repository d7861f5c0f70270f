/* terms.c: search terms of a text, folded like the theme's search.js
 * folds a query. Each step is one pass of scripts/lib/terms.lua (a Lua
 * gsub), done in the same order, so that the two agree on any bytes,
 * valid UTF-8 or not. */
#include "terms.h"

#include "hashes.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Two-byte letters with lead byte C3-C5 or CE-D1 -> their fold, NUL-padded
 * ("" when the letter is kept). */
#define LEADS 7
static char fold_table[LEADS * 64][3];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static int lead_slot(unsigned char c)
{
	if (c >= 0xC3 && c <= 0xC5)
		return c - 0xC3;
	if (c >= 0xCE && c <= 0xD1)
		return 3 + c - 0xCE;
	return -1;
}

static char *fold_entry(unsigned cp)
{
	unsigned char lead = (unsigned char)(0xC0 | (cp >> 6));
	int slot = lead_slot(lead);
	return slot < 0 || cp < 0x80 || cp > 0x7FF ? NULL : fold_table[slot * 64 + (cp & 0x3F)];
}

static void put_cp(char *to, unsigned cp)
{
	if (cp < 0x80) {
		to[0] = (char)cp;
		to[1] = 0;
	} else {
		to[0] = (char)(0xC0 | (cp >> 6));
		to[1] = (char)(0x80 | (cp & 0x3F));
	}
	to[2] = 0;
}

/* the next code point of a valid two-byte-or-less UTF-8 string */
static unsigned next_cp(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	if (p[0] < 0x80) {
		*s += 1;
		return p[0];
	}
	*s += 2;
	return ((unsigned)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
}

static void fold_init(void)
{
	/* base letter -> the letters whose decomposition starts with it */
	static const struct {
		unsigned base;
		const char *letters;
	} bases[] = {
		{'a', "ÀÁÂÃÄÅàáâãäåĀāĂăĄą"}, {'c', "ÇçĆćĈĉĊċČč"}, {'d', "Ďď"},
		{'e', "ÈÉÊËèéêëĒēĔĕĖėĘęĚě"}, {'g', "ĜĝĞğĠġĢģ"}, {'h', "Ĥĥ"},
		{'i', "ÌÍÎÏìíîïĨĩĪīĬĭĮįİ"}, {'j', "Ĵĵ"}, {'k', "Ķķ"}, {'l', "ĹĺĻļĽľ"},
		{'n', "ÑñŃńŅņŇň"}, {'o', "ÒÓÔÕÖòóôõöŌōŎŏŐő"}, {'r', "ŔŕŖŗŘř"},
		{'s', "ŚśŜŝŞşŠš"}, {'t', "ŢţŤť"}, {'u', "ÙÚÛÜùúûüŨũŪūŬŭŮůŰűŲų"},
		{'w', "Ŵŵ"}, {'y', "ÝýÿŶŷŸ"}, {'z', "ŹźŻżŽž"},
		{0x438 /* и */, "ЙйЍѝ"}, {0x435 /* е */, "ЁёЀѐ"},
		{0x3B1 /* α */, "Άά"}, {0x3B5 /* ε */, "Έέ"}, {0x3B7 /* η */, "Ήή"},
		{0x3B9 /* ι */, "ΊίΪϊΐ"}, {0x3BF /* ο */, "Όό"}, {0x3C5 /* υ */, "ΎύΫϋΰ"},
		{0x3C9 /* ω */, "Ώώ"},
	};
	/* capitals without a decomposition: upper, lower */
	static const char *capitals = "ÆæØøÐðÞþĐđĦħŁłĿŀŒœŊŋŦŧ";
	for (size_t i = 0; i < sizeof bases / sizeof *bases; i++)
		for (const char *s = bases[i].letters; *s;)
			put_cp(fold_entry(next_cp(&s)), bases[i].base);
	for (const char *s = capitals; *s;) {
		unsigned upper = next_cp(&s), lower = next_cp(&s);
		put_cp(fold_entry(upper), lower);
	}
	/* Greek and Cyrillic capitals: a fixed offset from their small
	 * letters, unless a table above folds them already */
	for (unsigned c = 0x391; c <= 0x3A9; c++)
		if (c != 0x3A2)
			put_cp(fold_entry(c), c + 0x20);
	for (unsigned c = 0x410; c <= 0x42F; c++)
		if (!fold_entry(c)[0])
			put_cp(fold_entry(c), c + 0x20);
	for (unsigned c = 0x400; c <= 0x40F; c++)
		if (!fold_entry(c)[0])
			put_cp(fold_entry(c), c + 0x50);
}

static int cont(unsigned char c) { return c >= 0x80 && c <= 0xBF; }

/* Removes from b, from offset `from` on, each `lead` byte followed by a
 * byte in [lo, hi]: one pass, as gsub(lead .. "[lo-hi]", "") */
static void drop_pairs(buf *b, size_t from, unsigned char lead, unsigned char lo, unsigned char hi)
{
	unsigned char *p = (unsigned char *)b->ptr;
	size_t w = from;
	for (size_t r = from; r < b->len;) {
		if (p[r] == lead && r + 1 < b->len && p[r + 1] >= lo && p[r + 1] <= hi) {
			r += 2;
			continue;
		}
		p[w++] = p[r++];
	}
	buf_truncate(b, w);
}

/* Lead bytes that the later passes look for, as bits of a mask. */
enum {
	LEAD_CC = 1, LEAD_CD = 2, LEAD_C2 = 4, LEAD_C3 = 8, LEAD_E2 = 16, LEAD_E3 = 32
};

/* Which of those leads b holds from `from` on: a pass whose lead is
 * absent would copy the text unchanged, so it is skipped. */
static unsigned leads_in(const buf *b, size_t from)
{
	unsigned m = 0;
	const unsigned char *p = (const unsigned char *)b->ptr;
	for (size_t i = from; i < b->len; i++) {
		switch (p[i]) {
		case 0xCC: m |= LEAD_CC; break;
		case 0xCD: m |= LEAD_CD; break;
		case 0xC2: m |= LEAD_C2; break;
		case 0xC3: m |= LEAD_C3; break;
		case 0xE2: m |= LEAD_E2; break;
		case 0xE3: m |= LEAD_E3; break;
		default: break;
		}
	}
	return m;
}

/* terms_fold, returning the leads of leads_in that the folded text holds
 * (after the combining marks went: dropping pairs makes no new lead). */
static unsigned fold_leads(buf *out, const char *s, size_t len)
{
	pthread_once(&fold_once, fold_init);
	size_t from = out->len;
	/* the fold is never longer than the text */
	buf_grow(out, len);
	const unsigned char *p = (const unsigned char *)s;
	char *w = out->ptr + out->len;
	int high = 0; /* a byte from 0x80 up: ASCII folds to ASCII */
	/* s:lower() and the table, in one pass: lower() changes only ASCII,
	 * the table only pairs of bytes from 0x80 up */
	for (size_t i = 0; i < len;) {
		unsigned char c = p[i];
		if (c < 0x80) {
			*w++ = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
			continue;
		}
		high = 1;
		int slot = lead_slot(c);
		if (slot >= 0 && i + 1 < len && cont(p[i + 1])) {
			const char *to = fold_table[slot * 64 + (p[i + 1] & 0x3F)];
			if (to[0]) {
				*w++ = to[0];
				if (to[1])
					*w++ = to[1];
			} else {
				*w++ = (char)c;
				*w++ = (char)p[i + 1];
			}
			i += 2;
			continue;
		}
		*w++ = (char)c;
		i++;
	}
	out->len = (size_t)(w - out->ptr);
	*w = 0;
	if (!high)
		return 0;
	unsigned leads = leads_in(out, from);
	/* combining marks of text that came decomposed */
	if (leads & LEAD_CC)
		drop_pairs(out, from, 0xCC, 0x80, 0xBF);
	if (leads & LEAD_CD)
		drop_pairs(out, from, 0xCD, 0x80, 0xAF);
	return leads;
}

void terms_fold(buf *out, const char *s, size_t len)
{
	fold_leads(out, s, len);
}

void terms_plain(buf *out, const char *html, size_t len)
{
	/* never longer than the HTML */
	buf_grow(out, len);
	size_t from = out->len;
	char *p = out->ptr, *w = p + from;
	for (size_t i = 0; i < len;) {
		const char *close = html[i] == '<' ? memchr(html + i + 1, '>', len - i - 1) : NULL;
		if (close) {
			*w++ = ' ';
			i = (size_t)(close - html) + 1;
		} else {
			*w++ = html[i++];
		}
	}
	size_t end = (size_t)(w - p);
	/* then entities, over what the tags left */
	w = p + from;
	for (size_t r = from; r < end;) {
		if (p[r] == '&') {
			size_t q = r + 1;
			if (q < end && p[q] == '#')
				q++;
			size_t word = q;
			while (q < end && ((p[q] >= 'a' && p[q] <= 'z') || (p[q] >= 'A' && p[q] <= 'Z') ||
			                   (p[q] >= '0' && p[q] <= '9')))
				q++;
			if (q > word && q < end && p[q] == ';') {
				*w++ = ' ';
				r = q + 1;
				continue;
			}
		}
		*w++ = p[r++];
	}
	out->len = (size_t)(w - p);
	*w = 0;
}

/* The separators of lib/terms.lua, in its order: each pass replaces every
 * match by one space. */
enum sep { SEP_GENERAL, SEP_LATIN1, SEP_TIMES, SEP_CJK, N_SEP };

/* length of the match of pass `sep` at p (n bytes left), or 0 */
static size_t sep_match(enum sep sep, const unsigned char *p, size_t n)
{
	switch (sep) {
	case SEP_GENERAL: /* \xE2[\x80-\x81][\x80-\xBF]: U+2000-U+207F */
		return n >= 3 && p[0] == 0xE2 && (p[1] == 0x80 || p[1] == 0x81) && cont(p[2]) ? 3 : 0;
	case SEP_LATIN1: /* \xC2[\x80-\xBF]: U+0080-U+00BF */
		return n >= 2 && p[0] == 0xC2 && cont(p[1]) ? 2 : 0;
	case SEP_TIMES: /* \xC3[\x97\xB7]: × and ÷ */
		return n >= 2 && p[0] == 0xC3 && (p[1] == 0x97 || p[1] == 0xB7) ? 2 : 0;
	default: /* \xE3\x80[\x80-\xBF]: CJK punctuation */
		return n >= 3 && p[0] == 0xE3 && p[1] == 0x80 && cont(p[2]) ? 3 : 0;
	}
}

static void space_out(buf *b, size_t from, enum sep sep)
{
	unsigned char *p = (unsigned char *)b->ptr;
	size_t w = from;
	for (size_t r = from; r < b->len;) {
		size_t m = sep_match(sep, p + r, b->len - r);
		if (m) {
			p[w++] = ' ';
			r += m;
		} else {
			p[w++] = p[r++];
		}
	}
	buf_truncate(b, w);
}

/* utf8.len(w) == 1 in Lua 5.4 (strict): w is one valid sequence */
static int one_char(const unsigned char *w, size_t len)
{
	static const unsigned long limits[] = {~0UL, 0x80, 0x800, 0x10000UL, 0x200000UL, 0x4000000UL};
	unsigned c = w[0];
	unsigned long res = 0;
	size_t count = 0;
	if (c < 0x80)
		return len == 1;
	for (; c & 0x40; c <<= 1) {
		if (++count >= len || (w[count] & 0xC0) != 0x80)
			return 0;
		res = (res << 6) | (w[count] & 0x3F);
	}
	res |= (unsigned long)(c & 0x7F) << (count * 5);
	if (count > 5 || res > 0x7FFFFFFFUL || res < limits[count])
		return 0;
	if (res > 0x10FFFFUL || (res >= 0xD800 && res <= 0xDFFF))
		return 0;
	return count + 1 == len;
}

static int word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* the slot of the word at p (n bytes) in t's set: its own or an empty one */
static unsigned *set_slot(struct terms *t, const char *p, size_t n)
{
	size_t mask = t->n_slots - 1;
	for (size_t i = hs_bytes(p, n, 0) & mask;; i = (i + 1) & mask) {
		unsigned *slot = &t->set[i];
		if (!*slot)
			return slot;
		const char *w = t->text.ptr + t->start[*slot - 1];
		if (!memcmp(w, p, n) && !w[n])
			return slot;
	}
}

static void set_grow(struct terms *t)
{
	free(t->set);
	t->n_slots = t->n_slots ? 2 * t->n_slots : 512;
	t->set = xcalloc(t->n_slots, sizeof *t->set);
	for (size_t i = 0; i < t->n; i++) {
		const char *w = t->text.ptr + t->start[i];
		*set_slot(t, w, strlen(w)) = (unsigned)i + 1;
	}
}

void terms_add(struct terms *t, const char *text, size_t len)
{
	size_t from = t->text.len;
	unsigned leads = fold_leads(&t->text, text, len);
	static const unsigned sep_lead[N_SEP] = {LEAD_E2, LEAD_C2, LEAD_C3, LEAD_E3};
	for (enum sep sep = 0; sep < N_SEP; sep++)
		if (leads & sep_lead[sep])
			space_out(&t->text, from, sep);
	/* a separator at the end, so that every word has a byte after it for
	 * its NUL as the words move down over what is dropped */
	buf_putc(&t->text, ' ');
	unsigned char *p = (unsigned char *)t->text.ptr;
	size_t end = t->text.len, w = from;
	for (size_t r = from; r < end;) {
		if (!word_byte(p[r])) {
			r++;
			continue;
		}
		size_t start = r;
		while (r < end && word_byte(p[r]))
			r++;
		size_t n = r - start;
		if (n > 40 || n < 2 || one_char(p + start, n))
			continue;
		if (2 * (t->n + 1) > t->n_slots)
			set_grow(t);
		unsigned *slot = set_slot(t, (const char *)p + start, n);
		if (*slot)
			continue; /* seen */
		if (t->n == t->cap) {
			t->cap = t->cap ? 2 * t->cap : 64;
			t->start = xrealloc(t->start, t->cap * sizeof *t->start);
		}
		memmove(p + w, p + start, n);
		p[w + n] = 0;
		t->start[t->n++] = w;
		*slot = (unsigned)t->n;
		w += n + 1;
	}
	buf_truncate(&t->text, w);
}

/* A word to sort: its first eight bytes as a big-endian number (zeros
 * after its end), which orders most pairs as strcmp would without it. */
struct sort_word {
	uint64_t head;
	const char *w;
};

static int before(const struct sort_word *x, const struct sort_word *y)
{
	return x->head != y->head ? x->head < y->head : strcmp(x->w, y->w) < 0;
}

static void swap_words(struct sort_word *a, struct sort_word *b)
{
	struct sort_word t = *a;
	*a = *b;
	*b = t;
}

static void sift_down(struct sort_word *a, size_t root, size_t n)
{
	for (size_t child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && before(&a[child], &a[child + 1]))
			child++;
		if (!before(&a[root], &a[child]))
			return;
		swap_words(&a[root], &a[child]);
	}
}

/* Sorts a[0..n) by bytes: quicksort (median of three) down to short runs,
 * which insertion sorts; a heapsort where the splits go badly, so that
 * no text makes it quadratic. The words are distinct. */
static void sort_words(struct sort_word *a, size_t n, int depth)
{
	while (n > 16) {
		if (depth-- == 0) {
			for (size_t i = n / 2; i-- > 0;)
				sift_down(a, i, n);
			for (size_t end = n - 1; end > 0; end--) {
				swap_words(&a[0], &a[end]);
				sift_down(a, 0, end);
			}
			return;
		}
		size_t mid = n / 2;
		if (before(&a[mid], &a[0]))
			swap_words(&a[mid], &a[0]);
		if (before(&a[n - 1], &a[0]))
			swap_words(&a[n - 1], &a[0]);
		if (before(&a[n - 1], &a[mid]))
			swap_words(&a[n - 1], &a[mid]);
		swap_words(&a[mid], &a[n - 2]); /* the pivot, out of the way */
		struct sort_word *pivot = &a[n - 2];
		size_t i = 0, j = n - 2;
		for (;;) {
			while (before(&a[++i], pivot))
				;
			while (before(pivot, &a[--j]))
				;
			if (i >= j)
				break;
			swap_words(&a[i], &a[j]);
		}
		swap_words(&a[i], &a[n - 2]);
		/* the smaller side by recursion, the larger by the loop */
		if (i < n - i - 1) {
			sort_words(a, i, depth);
			a += i + 1;
			n -= i + 1;
		} else {
			sort_words(a + i + 1, n - i - 1, depth);
			n = i;
		}
	}
	for (size_t i = 1; i < n; i++) {
		struct sort_word x = a[i];
		size_t j = i;
		for (; j > 0 && before(&x, &a[j - 1]); j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

void terms_join(struct terms *t, buf *out)
{
	struct sort_word *sw = t->n ? xmalloc(t->n * sizeof *sw) : NULL;
	for (size_t i = 0; i < t->n; i++) {
		const unsigned char *w = (const unsigned char *)t->text.ptr + t->start[i];
		uint64_t head = 0;
		int k = 0;
		for (; k < 8 && w[k]; k++)
			head = head << 8 | w[k];
		if (k < 8)
			head <<= 8 * (8 - k);
		sw[i] = (struct sort_word){head, (const char *)w};
	}
	int depth = 2;
	for (size_t n = t->n; n > 1; n /= 2)
		depth += 2;
	sort_words(sw, t->n, depth);
	/* (the set keeps each word once) */
	for (size_t i = 0; i < t->n; i++) {
		if (i)
			buf_putc(out, ' ');
		buf_puts(out, sw[i].w);
	}
	free(sw);
	buf_reset(&t->text);
	t->n = 0;
	if (t->set)
		memset(t->set, 0, t->n_slots * sizeof *t->set);
}

void terms_free(struct terms *t)
{
	buf_free(&t->text);
	free(t->start);
	free(t->set);
	*t = (struct terms)TERMS_INIT;
}

/* A term of the inverted index: where its documents go in ids */
struct post_term {
	const char *s;
	uint32_t len;
	uint32_t last; /* the last document counted, UINT32_MAX before any */
	size_t at, fill;
};

struct postings {
	struct post_term *terms;
	size_t n, cap;
	uint32_t *slots; /* open addressing: 1 + index into terms, 0 empty */
	size_t n_slots;
};

static uint32_t *post_slot(struct postings *p, const char *s, size_t len)
{
	uint64_t h = hs_bytes(s, len, 0x7465726d73ULL);
	for (size_t i = h & (p->n_slots - 1);; i = (i + 1) & (p->n_slots - 1)) {
		uint32_t *slot = &p->slots[i];
		if (!*slot)
			return slot;
		const struct post_term *t = &p->terms[*slot - 1];
		if (t->len == len && !memcmp(t->s, s, len))
			return slot;
	}
}

static void post_grow(struct postings *p)
{
	size_t n_slots = p->n_slots ? 2 * p->n_slots : 1024;
	free(p->slots);
	p->slots = xcalloc(n_slots, sizeof *p->slots);
	p->n_slots = n_slots;
	for (size_t i = 0; i < p->n; i++)
		*post_slot(p, p->terms[i].s, p->terms[i].len) = (uint32_t)i + 1;
}

/* the term s, added when new */
static struct post_term *post_term(struct postings *p, const char *s, size_t len)
{
	if (2 * (p->n + 1) > p->n_slots)
		post_grow(p);
	uint32_t *slot = post_slot(p, s, len);
	if (!*slot) {
		if (p->n == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 1024;
			p->terms = xrealloc(p->terms, p->cap * sizeof *p->terms);
		}
		p->terms[p->n] = (struct post_term){s, (uint32_t)len, UINT32_MAX, 0, 0};
		*slot = (uint32_t)++p->n;
	}
	return &p->terms[*slot - 1];
}

static void put_base36(buf *b, uint32_t n)
{
	char digits[8];
	int k = 0;
	do {
		digits[k++] = "0123456789abcdefghijklmnopqrstuvwxyz"[n % 36];
		n /= 36;
	} while (n);
	while (k)
		buf_putc(b, digits[--k]);
}

void terms_postings(const struct terms_doc *docs, size_t n, buf *out)
{
	struct postings p = {0};
	/* one pass over the words: each occurrence's term, once per document,
	 * and each term's count; then each term's slice of ids, filled in
	 * document order, so every list comes out ascending */
	size_t n_occ = 0, cap_occ = 4096;
	uint32_t *occ = xmalloc(cap_occ * sizeof *occ);
	size_t *doc_end = xmalloc((n ? n : 1) * sizeof *doc_end);
	for (size_t d = 0; d < n; d++) {
		const char *s = docs[d].terms, *end = s + docs[d].len;
		while (s < end) {
			const char *w = s;
			while (s < end && *s != ' ')
				s++;
			if (s > w) {
				struct post_term *t = post_term(&p, w, (size_t)(s - w));
				if (t->last != (uint32_t)d) {
					t->last = (uint32_t)d;
					t->fill++;
					if (n_occ == cap_occ) {
						cap_occ *= 2;
						occ = xrealloc(occ, cap_occ * sizeof *occ);
					}
					occ[n_occ++] = (uint32_t)(t - p.terms);
				}
			}
			s++;
		}
		doc_end[d] = n_occ;
	}
	size_t total = 0;
	for (size_t i = 0; i < p.n; i++) {
		p.terms[i].at = total;
		total += p.terms[i].fill;
		p.terms[i].fill = 0;
	}
	uint32_t *ids = xmalloc((total ? total : 1) * sizeof *ids);
	for (size_t d = 0, k = 0; d < n; d++)
		for (; k < doc_end[d]; k++) {
			struct post_term *t = &p.terms[occ[k]];
			ids[t->at + t->fill++] = (uint32_t)d;
		}
	free(occ);
	free(doc_end);
	buf_grow(out, total * 3 + p.n * 12);
	for (size_t i = 0; i < p.n; i++) {
		const struct post_term *t = &p.terms[i];
		uint32_t last = 0;
		buf_put(out, t->s, t->len);
		buf_putc(out, 0);
		for (size_t k = 0; k < t->fill; k++) {
			if (k)
				buf_putc(out, ',');
			put_base36(out, ids[t->at + k] - last);
			last = ids[t->at + k];
		}
		buf_putc(out, 0);
	}
	free(ids);
	free(p.terms);
	free(p.slots);
}
