/* mustache.c: Mustache templates. Compiling turns the text into a token
 * list (delimiter changes applied), marks standalone lines, then builds an
 * immutable node tree; rendering walks the tree with a per-call state, so
 * one compiled set serves every thread. Indentation (standalone partials,
 * parents and blocks) is applied while writing: an "indent pending" flag
 * puts the current indentation before the next byte of template text. */
#include "mustache.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DELIM 16
#define MAX_DEPTH 100

enum kind { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL, N_PARENT, N_BLOCK };

struct mnode {
	enum kind kind;
	char *name;          /* tag name (not for text) */
	char *text;          /* N_TEXT: the bytes; sections: raw source for lambdas */
	size_t len;
	struct mnode *kids;
	size_t nkids;
	char *indent;        /* partial/parent/block: indentation added to its lines */
	char *tag_ws;        /* whitespace before the tag on its line (standalone) */
	int standalone;
	int dynamic;         /* {{>*name}} */
	int bol;             /* N_TEXT: starts at the beginning of a line */
	char otag[MAX_DELIM + 1], ctag[MAX_DELIM + 1]; /* delimiters in effect */
	int line, col;
};

/* A compiled text, shared by the names that give it (mst_set_alias). */
struct body {
	struct mnode root; /* kids only */
	size_t refs;
};

struct tmpl {
	char *name;
	char *path;
	int json;          /* a "*.json" template: {{x}} escapes for JSON strings */
	struct body *body;
};

struct mst_set {
	struct tmpl **list;
	size_t n;
};

/* ---- tokens ---- */

struct tok {
	char type;     /* 't' text, 'v' variable, or the sigil: & { # ^ / > < $ ! = */
	const char *s; /* text bytes or name */
	size_t len;
	size_t src_start, src_end; /* the whole token in the source */
	int line, col;
	int bol;
	int removed;
	int standalone;
	int dynamic;
	char *tag_ws;  /* owned; set for standalone tags */
	char otag[MAX_DELIM + 1], ctag[MAX_DELIM + 1];
};

struct lexer {
	const char *src;
	size_t len;
	const char *path;
	struct diag *d;
	struct tok *toks;
	size_t n, cap;
	int line0, col0; /* position of src[0] */
	int err;
};

static void pos_of(const struct lexer *lx, size_t off, int *line, int *col)
{
	int l = lx->line0, c = lx->col0;
	for (size_t i = 0; i < off && i < lx->len; i++) {
		if (lx->src[i] == '\n') {
			l++;
			c = 1;
		} else if ((lx->src[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

static struct tok *add_tok(struct lexer *lx, char type, size_t start, size_t end)
{
	if (lx->n == lx->cap) {
		lx->cap = lx->cap ? lx->cap * 2 : 64;
		lx->toks = xrealloc(lx->toks, lx->cap * sizeof *lx->toks);
	}
	struct tok *t = &lx->toks[lx->n++];
	memset(t, 0, sizeof *t);
	t->type = type;
	t->src_start = start;
	t->src_end = end;
	t->bol = start == 0 ? lx->col0 == 1 : lx->src[start - 1] == '\n';
	return t;
}

/* Text is split after each newline so that a line is a run of tokens. */
static void add_text(struct lexer *lx, size_t start, size_t end)
{
	while (start < end) {
		const char *nl = memchr(lx->src + start, '\n', end - start);
		size_t stop = nl ? (size_t)(nl - lx->src) + 1 : end;
		struct tok *t = add_tok(lx, 't', start, stop);
		t->s = lx->src + start;
		t->len = stop - start;
		start = stop;
	}
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void trim(const char **s, size_t *len)
{
	while (*len && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

static const char *find(const char *hay, size_t hlen, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0 || hlen < n)
		return NULL;
	for (size_t i = 0; i + n <= hlen; i++)
		if (hay[i] == needle[0] && memcmp(hay + i, needle, n) == 0)
			return hay + i;
	return NULL;
}

static void lex_error(struct lexer *lx, size_t off, const char *msg, const char *arg)
{
	int line, col;
	pos_of(lx, off, &line, &col);
	if (arg)
		diag_error(lx->d, lx->path, line, col, msg, arg);
	else
		diag_error(lx->d, lx->path, line, col, "%s", msg);
	lx->err = 1;
}

/* Sets new delimiters from "{{=<% %>=}}" content. */
static int set_delims(const char *s, size_t len, char *otag, char *ctag)
{
	trim(&s, &len);
	size_t i = 0;
	while (i < len && !is_space(s[i]))
		i++;
	size_t olen = i;
	while (i < len && is_space(s[i]))
		i++;
	const char *c = s + i;
	size_t clen = len - i;
	if (olen == 0 || clen == 0 || olen > MAX_DELIM || clen > MAX_DELIM)
		return -1;
	for (size_t k = 0; k < clen; k++)
		if (is_space(c[k]) || c[k] == '=')
			return -1;
	for (size_t k = 0; k < olen; k++)
		if (s[k] == '=')
			return -1;
	memcpy(otag, s, olen);
	otag[olen] = '\0';
	memcpy(ctag, c, clen);
	ctag[clen] = '\0';
	return 0;
}

static void lex(struct lexer *lx, const char *otag0, const char *ctag0)
{
	char otag[MAX_DELIM + 1], ctag[MAX_DELIM + 1];
	strcpy(otag, otag0);
	strcpy(ctag, ctag0);
	size_t pos = 0;
	while (pos < lx->len && !lx->err) {
		const char *open = find(lx->src + pos, lx->len - pos, otag);
		if (!open) {
			add_text(lx, pos, lx->len);
			break;
		}
		size_t tag_start = (size_t)(open - lx->src);
		add_text(lx, pos, tag_start);
		size_t p = tag_start + strlen(otag);
		char sigil = p < lx->len ? lx->src[p] : '\0';
		const char *end_mark = ctag;
		char brace_end[MAX_DELIM + 2];
		if (strchr("&#^/><$!=", sigil) && sigil) {
			p++;
		} else if (sigil == '{') {
			p++;
			brace_end[0] = '}';
			strcpy(brace_end + 1, ctag);
			end_mark = brace_end;
		} else {
			sigil = 'v';
		}
		char eq_end[MAX_DELIM + 2];
		if (sigil == '=') {
			eq_end[0] = '=';
			strcpy(eq_end + 1, ctag);
			end_mark = eq_end;
		}
		const char *close = find(lx->src + p, lx->len - p, end_mark);
		if (!close) {
			lex_error(lx, tag_start, "unclosed tag: expected \"%s\"", end_mark);
			break;
		}
		size_t inner_end = (size_t)(close - lx->src);
		size_t tag_end = inner_end + strlen(end_mark);
		const char *name = lx->src + p;
		size_t nlen = inner_end - p;
		struct tok *t = add_tok(lx, sigil, tag_start, tag_end);
		strcpy(t->otag, otag);
		strcpy(t->ctag, ctag);
		if (sigil == '=') {
			if (set_delims(name, nlen, otag, ctag) != 0)
				lex_error(lx, tag_start, "invalid delimiter tag: expected {{=OPEN CLOSE=}}",
				          NULL);
		} else if (sigil != '!') {
			trim(&name, &nlen);
			if ((sigil == '>' || sigil == '<') && nlen && name[0] == '*') {
				t->dynamic = 1;
				name++;
				nlen--;
				trim(&name, &nlen);
			}
			if (nlen == 0)
				lex_error(lx, tag_start, "empty tag name", NULL);
		}
		t->s = name;
		t->len = nlen;
		pos = tag_end;
	}
	for (size_t i = 0; i < lx->n; i++)
		pos_of(lx, lx->toks[i].src_start, &lx->toks[i].line, &lx->toks[i].col);
}

static int is_blank(const struct tok *t)
{
	for (size_t i = 0; i < t->len; i++)
		if (!is_space(t->s[i]))
			return 0;
	return 1;
}

/* A line holding only whitespace and non-output tags is "standalone": the
 * whitespace and the newline go. A block opened and closed on one line is
 * inline (its content keeps the line's newline). */
static void mark_standalone(struct lexer *lx)
{
	size_t i = 0;
	while (i < lx->n) {
		size_t j = i;
		while (j < lx->n && !(lx->toks[j].type == 't' && lx->toks[j].len &&
		                      lx->toks[j].s[lx->toks[j].len - 1] == '\n'))
			j++;
		size_t end = j < lx->n ? j + 1 : lx->n; /* tokens [i, end) form a line */
		int tags = 0, ok = 1, block_open = 0, closes = 0;
		for (size_t k = i; k < end && ok; k++) {
			struct tok *t = &lx->toks[k];
			if (t->type == 't')
				ok = is_blank(t);
			else if (strchr("#^/><$!=", t->type)) {
				tags++;
				block_open |= t->type == '$';
				closes |= t->type == '/';
			} else
				ok = 0;
		}
		if (ok && tags && !(block_open && closes)) {
			buf ws = BUF_INIT;
			if (lx->toks[i].type == 't' && lx->toks[i].bol)
				buf_put(&ws, lx->toks[i].s, lx->toks[i].len);
			int first = 1;
			for (size_t k = i; k < end; k++) {
				struct tok *t = &lx->toks[k];
				if (t->type == 't') {
					t->removed = 1;
				} else {
					t->standalone = 1;
					if (first && ws.len && ws.ptr[ws.len - 1] != '\n')
						t->tag_ws = xstrndup(ws.ptr, ws.len);
					first = 0;
				}
			}
			buf_free(&ws);
		} else if (end - i >= 2 && lx->toks[i].type == 't' && lx->toks[i].bol &&
		           is_blank(&lx->toks[i]) && lx->toks[i + 1].type == '$') {
			/* an inline block after indentation: its later lines get it too */
			lx->toks[i + 1].tag_ws = xstrndup(lx->toks[i].s, lx->toks[i].len);
		}
		i = end;
	}
}

/* ---- tree ---- */

static void node_free(struct mnode *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		node_free(&n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n->text);
	free(n->indent);
	free(n->tag_ws);
}

static struct mnode *add_kid(struct mnode *parent)
{
	parent->kids = xrealloc(parent->kids, (parent->nkids + 1) * sizeof *parent->kids);
	struct mnode *n = &parent->kids[parent->nkids++];
	memset(n, 0, sizeof *n);
	return n;
}

static size_t lead_ws(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* Removes up to n bytes of whitespace from the start of s. */
static char *strip_prefix(const char *s, size_t n)
{
	size_t k = 0;
	size_t len = s ? strlen(s) : 0;
	while (k < n && k < len && (s[k] == ' ' || s[k] == '\t'))
		k++;
	return xstrdup(s ? s + k : "");
}

/* A standalone block's content is dedented by its first line's
 * indentation; the block's own indentation at expansion is the larger of
 * its tag's and its content's. */
static void finish_block(struct mnode *b)
{
	const char *tag_ws = b->tag_ws ? b->tag_ws : "";
	if (!b->standalone) {
		b->indent = xstrdup(tag_ws);
		return;
	}
	size_t d = 0;
	if (b->nkids && b->kids[0].kind == N_TEXT && b->kids[0].bol)
		d = lead_ws(b->kids[0].text, b->kids[0].len);
	else if (b->nkids && b->kids[0].tag_ws)
		d = strlen(b->kids[0].tag_ws);
	char *dent = b->nkids && b->kids[0].kind == N_TEXT ? xstrndup(b->kids[0].text, d)
	                                                  : xstrdup(b->nkids && b->kids[0].tag_ws
	                                                                    ? b->kids[0].tag_ws
	                                                                    : "");
	b->indent = d > strlen(tag_ws) ? xstrdup(dent) : xstrdup(tag_ws);
	free(dent);
	if (d == 0)
		return;
	for (size_t i = 0; i < b->nkids; i++) {
		struct mnode *k = &b->kids[i];
		if (k->kind == N_TEXT) {
			buf out = BUF_INIT;
			size_t p = 0;
			int at_bol = k->bol;
			while (p < k->len) {
				if (at_bol) {
					size_t w = lead_ws(k->text + p, k->len - p);
					p += w < d ? w : d;
				}
				const char *nl = memchr(k->text + p, '\n', k->len - p);
				size_t stop = nl ? (size_t)(nl - k->text) + 1 : k->len;
				buf_put(&out, k->text + p, stop - p);
				p = stop;
				at_bol = nl != NULL;
			}
			free(k->text);
			k->text = buf_detach(&out, &k->len);
		} else if (k->indent && (k->kind == N_PARTIAL || k->kind == N_PARENT ||
		                         k->kind == N_BLOCK)) {
			char *s = strip_prefix(k->indent, d);
			free(k->indent);
			k->indent = s;
		}
	}
}

static const char *kind_word(enum kind k)
{
	switch (k) {
	case N_PARENT: return "parent";
	case N_BLOCK: return "block";
	case N_INVERTED: return "inverted section";
	default: return "section";
	}
}

/* Builds the tree of tokens into root. Returns 0 or -1. */
static int build_tree(struct lexer *lx, struct mnode *root)
{
	struct mnode *stack[MAX_DEPTH + 1];
	int sp = 0;
	stack[0] = root;
	for (size_t i = 0; i < lx->n; i++) {
		struct tok *t = &lx->toks[i];
		if (t->removed || t->type == '!' || t->type == '=')
			continue;
		struct mnode *parent = stack[sp];
		if (t->type == 't') {
			if (!t->len)
				continue;
			struct mnode *n = add_kid(parent);
			n->kind = N_TEXT;
			n->text = xstrndup(t->s, t->len);
			n->len = t->len;
			n->bol = t->bol;
			n->line = t->line;
			n->col = t->col;
			continue;
		}
		if (t->type == '/') {
			if (sp == 0) {
				diag_error(lx->d, lx->path, t->line, t->col, "unexpected closing tag \"%.*s\"",
				           (int)t->len, t->s);
				return -1;
			}
			struct mnode *open = stack[sp];
			if (strlen(open->name) != t->len || memcmp(open->name, t->s, t->len) != 0) {
				diag_error(lx->d, lx->path, t->line, t->col,
				           "closing tag \"%.*s\" does not match \"%s\" opened at %d:%d",
				           (int)t->len, t->s, open->name, open->line, open->col);
				return -1;
			}
			if (open->kind == N_SECTION || open->kind == N_INVERTED) {
				size_t start = (size_t)open->len; /* stashed content start */
				open->text = xstrndup(lx->src + start, t->src_start - start);
				open->len = t->src_start - start;
			}
			if (open->kind == N_BLOCK)
				finish_block(open);
			sp--;
			continue;
		}
		struct mnode *n = add_kid(parent);
		n->name = xstrndup(t->s, t->len);
		n->line = t->line;
		n->col = t->col;
		n->dynamic = t->dynamic;
		n->standalone = t->standalone;
		n->tag_ws = t->tag_ws;
		t->tag_ws = NULL;
		strcpy(n->otag, t->otag);
		strcpy(n->ctag, t->ctag);
		switch (t->type) {
		case 'v': n->kind = N_VAR; break;
		case '&':
		case '{': n->kind = N_RAW; break;
		case '>':
			n->kind = N_PARTIAL;
			if (n->standalone)
				n->indent = xstrdup(n->tag_ws ? n->tag_ws : "");
			break;
		default:
			n->kind = t->type == '#' ? N_SECTION : t->type == '^' ? N_INVERTED
			        : t->type == '<' ? N_PARENT : N_BLOCK;
			if (n->kind == N_PARENT && n->standalone)
				n->indent = xstrdup(n->tag_ws ? n->tag_ws : "");
			n->len = t->src_end; /* content starts here (for lambdas) */
			if (sp == MAX_DEPTH) {
				diag_error(lx->d, lx->path, t->line, t->col, "sections nested too deeply");
				return -1;
			}
			stack[++sp] = n;
			/* parent's kids array may move: re-point deeper stack entries */
			break;
		}
	}
	if (sp > 0) {
		int line, col;
		pos_of(lx, lx->len, &line, &col);
		struct mnode *open = stack[sp];
		diag_error(lx->d, lx->path, line, col, "unclosed %s \"%s\" opened at %d:%d",
		           kind_word(open->kind), open->name, open->line, open->col);
		return -1;
	}
	return 0;
}

static void free_lexer(struct lexer *lx)
{
	for (size_t i = 0; i < lx->n; i++)
		free(lx->toks[i].tag_ws);
	free(lx->toks);
}

/* Compiles text into root's kids. Returns 0 or -1 (root left empty). */
static int compile(const char *text, size_t len, const char *path, const char *otag,
                   const char *ctag, struct mnode *root, struct diag *d)
{
	struct lexer lx = {.src = text, .len = len, .path = path, .d = d, .line0 = 1, .col0 = 1};
	memset(root, 0, sizeof *root);
	lex(&lx, otag, ctag);
	if (lx.err) {
		free_lexer(&lx);
		return -1;
	}
	mark_standalone(&lx);
	int rc = build_tree(&lx, root);
	free_lexer(&lx);
	if (rc != 0) {
		node_free(root);
		memset(root, 0, sizeof *root);
	}
	return rc;
}

/* ---- the set ---- */

struct mst_set *mst_set_new(void)
{
	return xcalloc(1, sizeof(struct mst_set));
}

static void tmpl_free(struct tmpl *t)
{
	if (t->body && --t->body->refs == 0) {
		node_free(&t->body->root);
		free(t->body);
	}
	free(t->name);
	free(t->path);
	free(t);
}

void mst_set_free(struct mst_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		tmpl_free(set->list[i]);
	free(set->list);
	free(set);
}

/* The position of the template called name in set, or -1. */
static long tmpl_pos(const struct mst_set *set, const char *name, size_t len)
{
	for (size_t i = 0; i < set->n; i++)
		if (strlen(set->list[i]->name) == len && memcmp(set->list[i]->name, name, len) == 0)
			return (long)i;
	return -1;
}

static const struct tmpl *lookup_tmpl(const struct mst_set *set, const char *name, size_t len)
{
	long i = tmpl_pos(set, name, len);
	return i < 0 ? NULL : set->list[i];
}

int mst_set_has(const struct mst_set *set, const char *name)
{
	return lookup_tmpl(set, name, strlen(name)) != NULL;
}

static struct tmpl *tmpl_new(const char *name, const char *path)
{
	struct tmpl *t = xcalloc(1, sizeof *t);
	t->name = xstrdup(name);
	t->path = xstrdup(path ? path : name);
	size_t nlen = strlen(name);
	t->json = nlen > 5 && strcmp(name + nlen - 5, ".json") == 0;
	return t;
}

/* Puts t in set under its name, in place of one already there. */
static void tmpl_put(struct mst_set *set, struct tmpl *t)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->list[i]->name, t->name) == 0) {
			tmpl_free(set->list[i]);
			set->list[i] = t;
			return;
		}
	set->list = xrealloc(set->list, (set->n + 1) * sizeof *set->list);
	set->list[set->n++] = t;
}

int mst_set_add(struct mst_set *set, const char *name, const char *text, size_t len,
                const char *path, struct diag *d)
{
	struct tmpl *t = tmpl_new(name, path);
	t->body = xcalloc(1, sizeof *t->body);
	t->body->refs = 1;
	if (compile(text, len, t->path, "{{", "}}", &t->body->root, d) != 0) {
		tmpl_free(t);
		return -1;
	}
	tmpl_put(set, t);
	return 0;
}

int mst_set_alias(struct mst_set *set, const char *name, const char *existing)
{
	const struct tmpl *old = lookup_tmpl(set, existing, strlen(existing));
	if (!old)
		return -1;
	struct tmpl *t = tmpl_new(name, old->path);
	t->body = old->body;
	t->body->refs++;
	tmpl_put(set, t);
	return 0;
}

/* ---- rendering ---- */

/* Block overrides in scope; the outermost definition of a name wins. */
struct blocks {
	const struct mnode *parent; /* a parent tag whose block kids override */
	const struct blocks *next;  /* inner (more recent) first */
};

struct rstate {
	const struct mst_set *set;
	buf *out;
	struct diag *d;
	const struct value **stack;
	int n, cap;
	buf indent;
	int pending;
	int depth;
	int err;
	const char *path; /* template being rendered, for messages */
	/* the innermost list being iterated, for {{@first}} and {{@last}} */
	size_t loop_index, loop_len;
	int in_loop;
	struct value *yes, *no;
	int json; /* the template being rendered escapes for JSON */
	const struct mst_observer *obs; /* or NULL */
};

static void push_ctx(struct rstate *rs, const struct value *v)
{
	if (rs->n == rs->cap) {
		rs->cap = rs->cap ? rs->cap * 2 : 16;
		rs->stack = xrealloc(rs->stack, (size_t)rs->cap * sizeof *rs->stack);
	}
	rs->stack[rs->n++] = v;
}

static void emit_text(struct rstate *rs, const char *s, size_t len)
{
	while (len) {
		if (rs->pending && rs->indent.len) {
			buf_put(rs->out, rs->indent.ptr, rs->indent.len);
		}
		rs->pending = 0;
		const char *nl = memchr(s, '\n', len);
		size_t n = nl ? (size_t)(nl - s) + 1 : len;
		buf_put(rs->out, s, n);
		s += n;
		len -= n;
		if (nl)
			rs->pending = 1;
	}
}

static void emit_value(struct rstate *rs, const char *s, size_t len, int escape)
{
	if (!len)
		return;
	if (rs->pending && rs->indent.len)
		buf_put(rs->out, rs->indent.ptr, rs->indent.len);
	rs->pending = 0;
	if (escape && rs->json)
		val_put_json_chars(rs->out, s, len);
	else if (escape)
		buf_put_html(rs->out, s, len);
	else
		buf_put(rs->out, s, len);
}

static const struct value *find_key(const struct rstate *rs, const struct value *v,
                                    const char *key, size_t len)
{
	v = val_deref(v);
	if (val_type(v) != VAL_MAP)
		return NULL;
	if (rs->obs && val_obj(v)) /* a miss is a read too: the key may come later */
		rs->obs->read(rs->obs->ctx, val_obj(v), key, len);
	return val_getn(v, key, len);
}

/* Context lookup: "." is the top; "a.b.c" finds "a" anywhere on the
 * stack, then b and c strictly inside it. */
static const struct value *lookup(const struct rstate *rs, const char *name)
{
	if (strcmp(name, ".") == 0)
		return rs->n ? rs->stack[rs->n - 1] : NULL;
	/* position in the innermost list: data the renderer provides, since
	 * one item (shared between lists) cannot know where it stands */
	if (name[0] == '@' && rs->in_loop) {
		if (strcmp(name, "@first") == 0)
			return rs->loop_index == 0 ? rs->yes : rs->no;
		if (strcmp(name, "@last") == 0)
			return rs->loop_index + 1 == rs->loop_len ? rs->yes : rs->no;
	}
	const char *dot = strchr(name, '.');
	size_t len = dot ? (size_t)(dot - name) : strlen(name);
	const struct value *v = NULL;
	for (int i = rs->n - 1; i >= 0 && !v; i--)
		v = find_key(rs, rs->stack[i], name, len);
	while (v && dot) {
		name = dot + 1;
		dot = strchr(name, '.');
		len = dot ? (size_t)(dot - name) : strlen(name);
		v = find_key(rs, v, name, len);
	}
	return v;
}

static int truthy(const struct value *v)
{
	v = val_deref(v);
	switch (val_type(v)) {
	case VAL_NULL: return 0;
	case VAL_BOOL: return val_get_bool(v);
	case VAL_STR: {
		size_t len;
		val_get_str(v, &len);
		return len > 0;
	}
	case VAL_LIST: return val_len(v) > 0;
	default: return 1;
	}
}

static void render_nodes(struct rstate *rs, const struct mnode *kids, size_t n,
                         const struct blocks *bl);

/* Calls a lambda; returns the compiled template of its result in root. */
static int call_lambda(struct rstate *rs, const struct mnode *n, const struct val_func *fn,
                       const char *text, size_t len, const char *otag, const char *ctag,
                       struct mnode *root)
{
	buf res = BUF_INIT;
	if (rs->obs)
		rs->obs->lambda(rs->obs->ctx);
	if (fn->call(fn->ud, text, len, &res) != 0) {
		diag_error(rs->d, rs->path, n->line, n->col, "lambda \"%s\" failed: %s", n->name,
		           res.ptr);
		buf_free(&res);
		rs->err = 1;
		return -1;
	}
	char *where = xasprintf("%s (lambda \"%s\")", rs->path, n->name);
	int rc = compile(res.ptr, res.len, where, otag, ctag, root, rs->d);
	free(where);
	buf_free(&res);
	if (rc != 0)
		rs->err = 1;
	return rc;
}

static void render_var(struct rstate *rs, const struct mnode *n, const struct blocks *bl)
{
	const struct value *v = val_deref(lookup(rs, n->name));
	int escape = n->kind == N_VAR;
	const struct val_func *fn = val_get_func(v);
	if (fn) {
		struct mnode root;
		if (call_lambda(rs, n, fn, NULL, 0, "{{", "}}", &root) != 0)
			return;
		/* the lambda's output is rendered on its own, then written as a value */
		buf tmp = BUF_INIT, *saved = rs->out, saved_indent = rs->indent;
		int pending = rs->pending;
		rs->out = &tmp;
		rs->pending = 0;
		buf_init(&rs->indent);
		render_nodes(rs, root.kids, root.nkids, bl);
		buf_free(&rs->indent);
		rs->indent = saved_indent;
		rs->out = saved;
		rs->pending = pending;
		emit_value(rs, tmp.ptr, tmp.len, escape);
		buf_free(&tmp);
		node_free(&root);
		return;
	}
	switch (val_type(v)) {
	case VAL_STR: {
		size_t len;
		const char *s = val_get_str(v, &len);
		emit_value(rs, s, len, escape);
		break;
	}
	case VAL_NUM:
	case VAL_BOOL: {
		buf b = BUF_INIT;
		val_put_scalar(&b, v);
		emit_value(rs, b.ptr, b.len, escape);
		buf_free(&b);
		break;
	}
	default: break;
	}
}

static void render_section(struct rstate *rs, const struct mnode *n, const struct blocks *bl)
{
	const struct value *v = val_deref(lookup(rs, n->name));
	const struct val_func *fn = val_get_func(v);
	if (n->kind == N_INVERTED) {
		if (!fn && !truthy(v))
			render_nodes(rs, n->kids, n->nkids, bl);
		return;
	}
	if (fn) {
		struct mnode root;
		if (call_lambda(rs, n, fn, n->text, n->len, n->otag, n->ctag, &root) == 0) {
			render_nodes(rs, root.kids, root.nkids, bl);
			node_free(&root);
		}
		return;
	}
	if (!truthy(v))
		return;
	if (val_type(v) == VAL_LIST) {
		size_t saved_index = rs->loop_index, saved_len = rs->loop_len;
		int saved_in = rs->in_loop;
		rs->in_loop = 1;
		rs->loop_len = val_len(v);
		for (size_t i = 0; i < val_len(v) && !rs->err; i++) {
			rs->loop_index = i;
			push_ctx(rs, val_at(v, i));
			render_nodes(rs, n->kids, n->nkids, bl);
			rs->n--;
		}
		rs->loop_index = saved_index;
		rs->loop_len = saved_len;
		rs->in_loop = saved_in;
		return;
	}
	push_ctx(rs, v);
	render_nodes(rs, n->kids, n->nkids, bl);
	rs->n--;
}

/* The template a partial or parent tag names (dynamic names looked up). */
static const struct tmpl *target(struct rstate *rs, const struct mnode *n)
{
	const char *name = n->name;
	size_t len = 0;
	if (n->dynamic)
		name = val_get_str(val_deref(lookup(rs, n->name)), &len);
	else
		len = strlen(name);
	if (!name)
		return NULL;
	if (rs->obs)
		rs->obs->template(rs->obs->ctx, name, len);
	return lookup_tmpl(rs->set, name, len);
}

static void render_template(struct rstate *rs, const struct mnode *n, const struct tmpl *t,
                            const struct blocks *bl)
{
	if (rs->depth >= MAX_DEPTH) {
		diag_error(rs->d, rs->path, n->line, n->col,
		           "partials nested more than %d deep (\"%s\" includes itself?)", MAX_DEPTH,
		           n->name);
		rs->err = 1;
		return;
	}
	size_t ind = rs->indent.len;
	if (n->indent && *n->indent) {
		buf_puts(&rs->indent, n->indent);
		rs->pending = 1;
	}
	const char *path = rs->path;
	int json = rs->json;
	rs->path = t->path;
	rs->json = t->json;
	rs->depth++;
	render_nodes(rs, t->body->root.kids, t->body->root.nkids, bl);
	rs->depth--;
	rs->path = path;
	rs->json = json;
	buf_truncate(&rs->indent, ind);
}

/* The override of block `name`: the outermost parent tag that has one. */
static const struct mnode *find_override(const struct blocks *bl, const char *name)
{
	const struct mnode *found = NULL;
	for (; bl; bl = bl->next)
		for (size_t i = 0; i < bl->parent->nkids; i++) {
			const struct mnode *k = &bl->parent->kids[i];
			if (k->kind == N_BLOCK && strcmp(k->name, name) == 0)
				found = k;
		}
	return found;
}

static void render_block(struct rstate *rs, const struct mnode *n, const struct blocks *bl)
{
	const struct mnode *use = find_override(bl, n->name);
	if (!use)
		use = n;
	size_t ind = rs->indent.len;
	if (n->indent && *n->indent) {
		buf_puts(&rs->indent, n->indent);
		if (n->standalone)
			rs->pending = 1;
	}
	render_nodes(rs, use->kids, use->nkids, bl);
	buf_truncate(&rs->indent, ind);
}

static void render_nodes(struct rstate *rs, const struct mnode *kids, size_t n,
                         const struct blocks *bl)
{
	for (size_t i = 0; i < n && !rs->err; i++) {
		const struct mnode *k = &kids[i];
		switch (k->kind) {
		case N_TEXT: emit_text(rs, k->text, k->len); break;
		case N_VAR:
		case N_RAW: render_var(rs, k, bl); break;
		case N_SECTION:
		case N_INVERTED: render_section(rs, k, bl); break;
		case N_PARTIAL: {
			const struct tmpl *t = target(rs, k);
			if (t)
				render_template(rs, k, t, bl);
			break;
		}
		case N_PARENT: {
			const struct tmpl *t = target(rs, k);
			struct blocks inner = {k, bl};
			if (t)
				render_template(rs, k, t, &inner);
			break;
		}
		case N_BLOCK: render_block(rs, k, bl); break;
		}
	}
}

int mst_render(const struct mst_set *set, const char *name, const struct value *const *ctx,
               int n, buf *out, struct diag *d)
{
	return mst_render_observed(set, name, ctx, n, out, d, NULL);
}

int mst_render_observed(const struct mst_set *set, const char *name,
                        const struct value *const *ctx, int n, buf *out, struct diag *d,
                        const struct mst_observer *obs)
{
	if (obs)
		obs->template(obs->ctx, name, strlen(name));
	const struct tmpl *t = lookup_tmpl(set, name, strlen(name));
	if (!t) {
		diag_error(d, NULL, 0, 0, "no template \"%s\"", name);
		return -1;
	}
	struct rstate rs = {.set = set, .out = out, .d = d, .path = t->path, .json = t->json,
	                    .obs = obs};
	buf_init(&rs.indent);
	rs.yes = val_bool(1);
	rs.no = val_bool(0);
	for (int i = 0; i < n; i++)
		push_ctx(&rs, ctx[i]);
	render_nodes(&rs, t->body->root.kids, t->body->root.nkids, NULL);
	free(rs.stack);
	buf_free(&rs.indent);
	val_free(rs.yes);
	val_free(rs.no);
	return rs.err ? -1 : 0;
}

/* ---- reach ---- */

/* How deep into the context a template can look: each section enters
 * its value and, for a list, an item; each dotted-name part enters one
 * more level. Partials and parents add their template's reach (blocks
 * render inside them). This bounds what a render can read, so a hash of
 * the context to that depth changes whenever the output can. */

struct reach {
	const struct mst_set *set;
	int *memo;    /* per template: -2 not yet, -3 in progress, -1 unbounded, else reach */
};

static int name_parts(const char *name)
{
	if (!name || strcmp(name, ".") == 0)
		return 0;
	int n = 1;
	for (const char *p = name; *p; p++)
		n += *p == '.';
	return n;
}

static int add_reach(int a, int b)
{
	return a < 0 || b < 0 ? -1 : a + b;
}

static int reach_tmpl(struct reach *r, const struct tmpl *t);

static int reach_nodes(struct reach *r, const struct mnode *kids, size_t n)
{
	int most = 0;
	for (size_t i = 0; i < n && most >= 0; i++) {
		const struct mnode *k = &kids[i];
		int here = 0;
		switch (k->kind) {
		case N_TEXT:
			break;
		case N_VAR:
		case N_RAW:
			here = name_parts(k->name);
			break;
		case N_SECTION:
		case N_INVERTED:
			here = add_reach(name_parts(k->name) + 1, reach_nodes(r, k->kids, k->nkids));
			break;
		case N_PARTIAL:
		case N_PARENT: {
			if (k->dynamic) {
				here = -1; /* any template, chosen by the data */
				break;
			}
			const struct tmpl *t = lookup_tmpl(r->set, k->name, strlen(k->name));
			here = add_reach(t ? reach_tmpl(r, t) : 0, reach_nodes(r, k->kids, k->nkids));
			break;
		}
		case N_BLOCK:
			here = reach_nodes(r, k->kids, k->nkids);
			break;
		}
		most = here < 0 ? -1 : here > most ? here : most;
	}
	return most;
}

static int reach_tmpl(struct reach *r, const struct tmpl *t)
{
	size_t i = 0;
	while (r->set->list[i] != t)
		i++;
	if (r->memo[i] == -3)
		return -1; /* includes itself */
	if (r->memo[i] == -2) {
		r->memo[i] = -3;
		r->memo[i] = reach_nodes(r, t->body->root.kids, t->body->root.nkids);
	}
	return r->memo[i];
}

int mst_reach(const struct mst_set *set, const char *name)
{
	const struct tmpl *t = lookup_tmpl(set, name, strlen(name));
	if (!t)
		return 0;
	struct reach r = {.set = set, .memo = xcalloc(set->n, sizeof(int))};
	for (size_t i = 0; i < set->n; i++)
		r.memo[i] = -2;
	int n = reach_tmpl(&r, t);
	free(r.memo);
	return n;
}

/* ---- names ---- */

struct names {
	const struct mst_set *set;
	unsigned char *seen; /* per template: already walked */
	void (*add)(void *ctx, const char *name, size_t len);
	void *ctx;
};

static void names_tmpl(struct names *w, const char *name);

static void names_nodes(struct names *w, const struct mnode *kids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct mnode *k = &kids[i];
		if (k->kind == N_VAR || k->kind == N_RAW || k->kind == N_SECTION ||
		    k->kind == N_INVERTED || ((k->kind == N_PARTIAL || k->kind == N_PARENT) && k->dynamic)) {
			for (const char *p = k->name; p && *p;) {
				size_t len = strcspn(p, ".");
				if (len)
					w->add(w->ctx, p, len);
				p += len;
				if (*p == '.')
					p++;
			}
		}
		if ((k->kind == N_PARTIAL || k->kind == N_PARENT) && !k->dynamic)
			names_tmpl(w, k->name);
		names_nodes(w, k->kids, k->nkids);
	}
}

/* The names of the template called name, once per template. */
static void names_tmpl(struct names *w, const char *name)
{
	long t = tmpl_pos(w->set, name, strlen(name));
	if (t < 0 || w->seen[t])
		return;
	w->seen[t] = 1;
	names_nodes(w, w->set->list[t]->body->root.kids, w->set->list[t]->body->root.nkids);
}

void mst_names(const struct mst_set *set, const char *name,
               void (*add)(void *ctx, const char *name, size_t len), void *ctx)
{
	struct names w = {.set = set, .add = add, .ctx = ctx};
	w.seen = xcalloc(set->n ? set->n : 1, 1);
	names_tmpl(&w, name);
	free(w.seen);
}
