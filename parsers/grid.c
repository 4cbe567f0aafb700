/*
 * grid.c — the grid every reader fills: building it, finding things in it,
 * cell references, date serials, and picking the reader by content.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "reader.h"
#include "zipfile.h"

void
limits_default(struct limits *l)
{
	l->zip_entries = LIMIT_ZIP_ENTRIES;
	l->zip_inflated = LIMIT_ZIP_INFLATED;
	l->zip_ratio = LIMIT_ZIP_RATIO;
	l->xml_depth = LIMIT_XML_DEPTH;
	l->sheet_cells = LIMIT_SHEET_CELLS;
	l->cell_text = LIMIT_CELL_TEXT;
	l->sheets = LIMIT_SHEETS;
	l->parser_memory = LIMIT_PARSER_MEMORY;
	l->parser_cpu = LIMIT_PARSER_CPU;
}

struct grid *
grid_new(enum grid_format format)
{
	struct grid *g;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		return NULL;
	g->format = format;
	return g;
}

static void
sheet_clear(struct sheet *s)
{
	size_t i;

	for (i = 0; i < s->ncells; i++)
		free(s->cells[i].text);
	free(s->cells);
	free(s->name);
}

void
grid_free(struct grid *g)
{
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < g->nsheets; i++)
		sheet_clear(&g->sheets[i]);
	free(g->sheets);
	for (i = 0; i < g->nnames; i++) {
		free(g->names[i].name);
		free(g->names[i].sheet);
	}
	free(g->names);
	free(g);
}

int
reader_array_grow(void **arr, size_t *cap, size_t n, size_t sz)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if ((p = reallocarray(*arr, ncap, sz)) == NULL)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

struct sheet *
grid_sheet_add(struct grid *g, const char *name, int hidden)
{
	struct sheet *s, *p;

	/* Sheets are few; growing one at a time keeps the array exact. */
	if ((p = reallocarray(g->sheets, g->nsheets + 1, sizeof(*p))) == NULL)
		return NULL;
	g->sheets = p;
	s = &g->sheets[g->nsheets];
	memset(s, 0, sizeof(*s));
	if ((s->name = strdup(name)) == NULL)
		return NULL;
	s->hidden = hidden;
	g->nsheets++;
	return s;
}

int
sheet_cell_add(struct sheet *s, uint32_t row, uint32_t col,
    enum cell_type type, double number, char *text, unsigned flags)
{
	struct cell *c;

	if (reader_array_grow((void **)&s->cells, &s->cap, s->ncells, sizeof(*c)) == -1) {
		free(text);
		return -1;
	}
	if (s->ncells > 0) {
		c = &s->cells[s->ncells - 1];
		if (row < c->row || (row == c->row && col <= c->col))
			s->unordered = 1;
	}
	c = &s->cells[s->ncells++];
	c->row = row;
	c->col = col;
	c->type = type;
	c->flags = flags;
	c->number = number;
	c->text = text;
	return 0;
}

int
grid_name_add(struct grid *g, const char *name, const char *sheet,
    uint32_t row1, uint32_t col1, uint32_t row2, uint32_t col2)
{
	struct grid_name *n, *p;

	if ((p = reallocarray(g->names, g->nnames + 1, sizeof(*p))) == NULL)
		return -1;
	g->names = p;
	n = &g->names[g->nnames];
	n->name = strdup(name);
	n->sheet = strdup(sheet);
	if (n->name == NULL || n->sheet == NULL) {
		free(n->name);
		free(n->sheet);
		return -1;
	}
	n->row1 = row1;
	n->col1 = col1;
	n->row2 = row2;
	n->col2 = col2;
	g->nnames++;
	return 0;
}

struct sheet *
grid_sheet_find(const struct grid *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nsheets; i++)
		if (strcmp(g->sheets[i].name, name) == 0)
			return &g->sheets[i];
	return NULL;
}

/*
 * Every format stores cells row by row, so a sheet is nearly always in
 * row-major order and a binary search finds a cell; a sheet that is not
 * (a writer that jumps back) is scanned.
 */
const struct cell *
sheet_cell_find(const struct sheet *s, uint32_t row, uint32_t col)
{
	size_t lo = 0, hi = s->ncells, mid, i;
	const struct cell *c;

	if (s->unordered) {
		for (i = 0; i < s->ncells; i++)
			if (s->cells[i].row == row && s->cells[i].col == col)
				return &s->cells[i];
		return NULL;
	}
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = &s->cells[mid];
		if (c->row == row && c->col == col)
			return c;
		if (c->row < row || (c->row == row && c->col < col))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct grid_name *
grid_name_find(const struct grid *g, const char *name)
{
	size_t i;

	/* Excel treats defined names case-insensitively. */
	for (i = 0; i < g->nnames; i++)
		if (strcasecmp(g->names[i].name, name) == 0)
			return &g->names[i];
	return NULL;
}

char *
grid_cellref_format(char *buf, uint32_t row, uint32_t col)
{
	char letters[8];
	int n = 0, i, j = 0;
	uint32_t c = col + 1;

	while (c > 0 && n < (int)sizeof(letters)) {
		letters[n++] = 'A' + (c - 1) % 26;
		c = (c - 1) / 26;
	}
	for (i = n - 1; i >= 0; i--)
		buf[j++] = letters[i];
	snprintf(buf + j, GRID_CELLREF_LEN - j, "%lu", (unsigned long)row + 1);
	return buf;
}

int
grid_cellref_parse(const char *s, uint32_t *row, uint32_t *col)
{
	uint64_t c = 0, r = 0;
	int nl = 0, nd = 0;

	if (*s == '$')
		s++;
	for (; *s >= 'A' && *s <= 'Z'; s++, nl++) {
		c = c * 26 + (uint64_t)(*s - 'A' + 1);
		if (nl >= 3)
			return -1;
	}
	if (*s == '$')
		s++;
	for (; *s >= '0' && *s <= '9'; s++, nd++) {
		r = r * 10 + (uint64_t)(*s - '0');
		if (nd >= 7)
			return -1;
	}
	if (*s != '\0' || nl == 0 || nd == 0 || r == 0)
		return -1;
	*row = (uint32_t)(r - 1);
	*col = (uint32_t)(c - 1);
	return 0;
}

/* Days from 1970-01-01 to a civil date (Howard Hinnant's algorithm). */
static long
days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

/*
 * Serial 25569 is 1970-01-01 in the 1900 system.  Serials from 61 on are
 * right; below that Excel counts a 29 February 1900 that never was, which
 * no survey date needs.
 */
#define SERIAL_UNIX_EPOCH	25569

double
grid_date_serial(int year, int month, int day)
{
	return (double)(days_from_civil(year, (unsigned)month, (unsigned)day) +
	    SERIAL_UNIX_EPOCH);
}

int
grid_date_ymd(double serial, int *year, int *month, int *day)
{
	long z, era, y;
	unsigned doe, yoe, doy, mp;

	if (!isfinite(serial) || serial < 61 || serial > 2958465)
		return -1;
	z = (long)floor(serial) - SERIAL_UNIX_EPOCH + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int)(doy - (153 * mp + 2) / 5 + 1);
	*month = (int)(mp < 10 ? mp + 3 : mp - 9);
	*year = (int)(y + (*month <= 2));
	return 0;
}

const char *
grid_format_name(enum grid_format f)
{
	switch (f) {
	case GRID_FORMAT_XLSX:
		return "xlsx";
	case GRID_FORMAT_XLS:
		return "xls";
	case GRID_FORMAT_ODS:
		return "ods";
	case GRID_FORMAT_CSV:
		return "csv";
	case GRID_FORMAT_ZIP:
		return "zip";
	default:
		return "unknown";
	}
}

const char *
reader_ref_sheet(const char *s, char sep, char *sheet, size_t size)
{
	size_t n = 0;

	if (*s == '\'') {
		for (s++; *s != '\0'; s++) {
			if (*s == '\'' && *++s != '\'')
				break;
			if (n + 1 >= size)
				return NULL;
			sheet[n++] = *s;
		}
	} else
		for (; *s != sep && *s != '\0'; s++) {
			if (n + 1 >= size)
				return NULL;
			sheet[n++] = *s;
		}
	sheet[n] = '\0';
	return *s == sep ? s : NULL;
}

int
reader_cell_check(const struct sheet *s, const struct limits *l,
    uint32_t row, uint32_t col, size_t textlen, char *err, size_t errlen)
{
	char ref[GRID_CELLREF_LEN];

	if (s->ncells >= l->sheet_cells) {
		snprintf(err, errlen, "sheet '%s' has more than %zu cells",
		    s->name, l->sheet_cells);
		return -1;
	}
	if (textlen > l->cell_text) {
		snprintf(err, errlen, "sheet '%s', cell %s: text longer than "
		    "%zu bytes", s->name, grid_cellref_format(ref, row, col),
		    l->cell_text);
		return -1;
	}
	return 0;
}
