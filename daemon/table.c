/*
 * table.c — turning a sheet into a dense table of text, and naming places
 * in it the way the person who wrote the file would find them.
 */
#include <stdio.h>
#include <string.h>

#include "table.h"
#include "text.h"
#include "value.h"

char *
cell_text(const struct cell *c)
{
	char buf[VALUE_NUMBER_LEN];
	int y, m, d;

	switch (c->type) {
	case CELL_STRING:
	case CELL_ERROR:
		return g_strdup(c->text);
	case CELL_BOOL:
		return g_strdup(c->number != 0 ? "TRUE" : "FALSE");
	case CELL_DATE:
		if (grid_date_ymd(c->number, &y, &m, &d) == 0)
			return g_strdup_printf("%04d-%02d-%02d", y, m, d);
		return g_strdup(value_number_format(buf, c->number));
	case CELL_NUMBER:
		return g_strdup(value_number_format(buf, c->number));
	default:
		return NULL;
	}
}

struct table *
table_from_sheet(const struct sheet *s, const char *where, int csv)
{
	struct table *t = g_new0(struct table, 1);
	const struct cell *c;
	guint maxrow = 0, maxcol = 0, i;
	char *text;

	t->where = g_strdup(where);
	t->csv = csv;
	for (i = 0; i < s->ncells; i++) {
		maxrow = MAX(maxrow, s->cells[i].row + 1);
		maxcol = MAX(maxcol, s->cells[i].col + 1);
	}
	t->ncols = maxcol;
	t->nrows = maxrow > 0 ? maxrow - 1 : 0;
	t->header = g_new0(char *, t->ncols + 1);
	t->cells = g_new0(char *, (gsize)t->nrows * t->ncols + 1);
	for (i = 0; i < s->ncells; i++) {
		c = &s->cells[i];
		if ((text = cell_text(c)) == NULL)
			continue;
		if (text_blank(text)) {
			g_free(text);
			continue;
		}
		if (c->row == 0) {
			g_free(t->header[c->col]);
			t->header[c->col] = g_ascii_strdown(g_strstrip(text), -1);
			g_free(text);
		} else {
			g_free(t->cells[(c->row - 1) * t->ncols + c->col]);
			t->cells[(c->row - 1) * t->ncols + c->col] = text;
		}
	}
	return t;
}

void
table_free(struct table *t)
{
	guint i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ncols; i++)
		g_free(t->header[i]);
	for (i = 0; i < t->nrows * t->ncols; i++)
		g_free(t->cells[i]);
	g_free(t->header);
	g_free(t->cells);
	g_free(t->where);
	g_free(t);
}

int
table_col(const struct table *t, const char *name)
{
	guint i;

	for (i = 0; i < t->ncols; i++)
		if (t->header[i] != NULL && strcmp(t->header[i], name) == 0)
			return (int)i;
	return -1;
}

const char *
table_get(const struct table *t, guint row, int col)
{
	if (col < 0 || (guint)col >= t->ncols || row >= t->nrows)
		return NULL;
	return t->cells[row * t->ncols + (guint)col];
}

char *
table_place(const struct table *t, guint row, int col)
{
	char ref[GRID_CELLREF_LEN], *letters;

	/* Row numbers as the file shows them: the header is row 1. */
	if (col < 0)
		return g_strdup_printf("%s: row %u", t->where, row + 2);
	if (t->csv)
		return g_strdup_printf("%s: row %u, column '%s'", t->where,
		    row + 2, t->header[col] ? t->header[col] : "?");
	grid_cellref_format(ref, 0, (uint32_t)col);
	letters = g_strndup(ref, strcspn(ref, "0123456789"));
	ref[0] = '\0';
	snprintf(ref, sizeof(ref), "%s", letters);
	g_free(letters);
	return g_strdup_printf("%s: row %u, column %s ('%s')", t->where,
	    row + 2, ref, t->header[col] ? t->header[col] : "?");
}
