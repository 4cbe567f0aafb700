/*
 * wire.c — a grid as a flat byte string, to cross from the parser process
 * back to the process that stores.
 *
 * The decoder treats its input as hostile: a parser child that a crafted
 * file subverted could send anything, and that must cost one rejected file,
 * not the daemon.
 */
#include <stdlib.h>
#include <string.h>

#include "grid.h"

#define WIRE_MAGIC	"SGRID1"
#define WIRE_NULLSTR	UINT32_MAX

struct wbuf {
	unsigned char	*p;
	size_t		 len, cap;
	int		 failed;
};

static void
wbuf_put(struct wbuf *w, const void *data, size_t n)
{
	size_t ncap;
	unsigned char *np;

	if (w->failed)
		return;
	if (w->len + n > w->cap) {
		ncap = w->cap ? w->cap : 4096;
		while (ncap < w->len + n)
			ncap *= 2;
		if ((np = realloc(w->p, ncap)) == NULL) {
			w->failed = 1;
			return;
		}
		w->p = np;
		w->cap = ncap;
	}
	memcpy(w->p + w->len, data, n);
	w->len += n;
}

static void
wbuf_u32(struct wbuf *w, uint32_t v)
{
	wbuf_put(w, &v, sizeof(v));
}

static void
wbuf_str(struct wbuf *w, const char *s)
{
	size_t n;

	if (s == NULL) {
		wbuf_u32(w, WIRE_NULLSTR);
		return;
	}
	n = strlen(s);
	wbuf_u32(w, (uint32_t)n);
	wbuf_put(w, s, n);
}

int
grid_encode(const struct grid *g, unsigned char **out, size_t *outlen)
{
	struct wbuf w = { NULL, 0, 0, 0 };
	const struct sheet *s;
	const struct cell *c;
	const struct grid_name *n;
	size_t i, j;
	unsigned char b;

	wbuf_put(&w, WIRE_MAGIC, sizeof(WIRE_MAGIC) - 1);
	wbuf_u32(&w, g->format);
	wbuf_u32(&w, g->inner);
	wbuf_u32(&w, (uint32_t)g->nsheets);
	for (i = 0; i < g->nsheets; i++) {
		s = &g->sheets[i];
		wbuf_str(&w, s->name);
		wbuf_u32(&w, (uint32_t)s->hidden);
		wbuf_u32(&w, (uint32_t)s->ncells);
		for (j = 0; j < s->ncells; j++) {
			c = &s->cells[j];
			wbuf_u32(&w, c->row);
			wbuf_u32(&w, c->col);
			b = (unsigned char)c->type;
			wbuf_put(&w, &b, 1);
			b = (unsigned char)c->flags;
			wbuf_put(&w, &b, 1);
			wbuf_put(&w, &c->number, sizeof(c->number));
			wbuf_str(&w, c->text);
		}
	}
	wbuf_u32(&w, (uint32_t)g->nnames);
	for (i = 0; i < g->nnames; i++) {
		n = &g->names[i];
		wbuf_str(&w, n->name);
		wbuf_str(&w, n->sheet);
		wbuf_u32(&w, n->row1);
		wbuf_u32(&w, n->col1);
		wbuf_u32(&w, n->row2);
		wbuf_u32(&w, n->col2);
	}
	if (w.failed) {
		free(w.p);
		return -1;
	}
	*out = w.p;
	*outlen = w.len;
	return 0;
}

struct rbuf {
	const unsigned char	*p;
	size_t			 len, off;
	int			 failed;
};

static void
rbuf_get(struct rbuf *r, void *dst, size_t n)
{
	if (r->failed || r->len - r->off < n) {
		r->failed = 1;
		memset(dst, 0, n);
		return;
	}
	memcpy(dst, r->p + r->off, n);
	r->off += n;
}

static uint32_t
rbuf_u32(struct rbuf *r)
{
	uint32_t v;

	rbuf_get(r, &v, sizeof(v));
	return v;
}

/* A malloc'd copy of the next string, NULL for the null string or on error. */
static char *
rbuf_str(struct rbuf *r, int *isnull)
{
	uint32_t n;
	char *s;

	*isnull = 0;
	n = rbuf_u32(r);
	if (r->failed)
		return NULL;
	if (n == WIRE_NULLSTR) {
		*isnull = 1;
		return NULL;
	}
	if (r->len - r->off < n || memchr(r->p + r->off, '\0', n) != NULL ||
	    (s = malloc((size_t)n + 1)) == NULL) {
		r->failed = 1;
		return NULL;
	}
	memcpy(s, r->p + r->off, n);
	s[n] = '\0';
	r->off += n;
	return s;
}

static int
wire_sheet_decode(struct rbuf *r, struct grid *g)
{
	struct sheet *s;
	char *name, *text;
	uint32_t ncells, row, col, hidden, j;
	unsigned char type, flags;
	double number;
	int isnull;

	name = rbuf_str(r, &isnull);
	if (name == NULL)
		return -1;
	hidden = rbuf_u32(r);
	s = grid_sheet_add(g, name, hidden != 0);
	free(name);
	ncells = rbuf_u32(r);
	if (s == NULL || r->failed)
		return -1;
	for (j = 0; j < ncells; j++) {
		row = rbuf_u32(r);
		col = rbuf_u32(r);
		rbuf_get(r, &type, 1);
		rbuf_get(r, &flags, 1);
		rbuf_get(r, &number, sizeof(number));
		text = rbuf_str(r, &isnull);
		if (r->failed || type < CELL_STRING || type > CELL_NOVALUE ||
		    (text == NULL && (type == CELL_STRING || type == CELL_ERROR))) {
			free(text);
			return -1;
		}
		if (sheet_cell_add(s, row, col, type, number, text, flags) == -1)
			return -1;
	}
	return 0;
}

struct grid *
grid_decode(const unsigned char *buf, size_t len)
{
	struct rbuf r = { buf, len, 0, 0 };
	struct grid *g;
	char magic[sizeof(WIRE_MAGIC) - 1], *name, *sheet;
	uint32_t fmt, inner, nsheets, nnames, i, a, b, c, d;
	int isnull;

	rbuf_get(&r, magic, sizeof(magic));
	fmt = rbuf_u32(&r);
	inner = rbuf_u32(&r);
	nsheets = rbuf_u32(&r);
	if (r.failed || memcmp(magic, WIRE_MAGIC, sizeof(magic)) != 0 ||
	    fmt > GRID_FORMAT_ZIP || inner > GRID_FORMAT_ZIP)
		return NULL;
	if ((g = grid_new((enum grid_format)fmt)) == NULL)
		return NULL;
	g->inner = (enum grid_format)inner;
	for (i = 0; i < nsheets; i++)
		if (wire_sheet_decode(&r, g) == -1)
			goto fail;
	nnames = rbuf_u32(&r);
	for (i = 0; i < nnames && !r.failed; i++) {
		name = rbuf_str(&r, &isnull);
		sheet = rbuf_str(&r, &isnull);
		a = rbuf_u32(&r);
		b = rbuf_u32(&r);
		c = rbuf_u32(&r);
		d = rbuf_u32(&r);
		if (name == NULL || sheet == NULL || r.failed ||
		    grid_name_add(g, name, sheet, a, b, c, d) == -1)
			r.failed = 1;
		free(name);
		free(sheet);
	}
	if (r.failed || r.off != r.len)
		goto fail;
	return g;
fail:
	grid_free(g);
	return NULL;
}
