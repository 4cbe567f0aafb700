/*
 * ods.c — the ODS (OpenDocument spreadsheet) reader.  Streams content.xml
 * out of the ZIP through xmlstream: tables, rows and cells with their
 * repetitions, typed values, cell text, and named ranges; table styles say
 * which sheets are hidden (from content.xml, or styles.xml when a table
 * uses a style kept there).  Repetition never costs memory by itself: an
 * empty cell repeated a billion times only moves the column, and repeated
 * values count toward the cell limit before any is made.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "reader.h"
#include "xmlstream.h"
#include "zipfile.h"

enum { NS_OFFICE, NS_STYLE, NS_TABLE, NS_TEXT, NS_CALCEXT };

static const struct xmlns ods_ns[] = {
	{ "urn:oasis:names:tc:opendocument:xmlns:office:1.0", NS_OFFICE },
	{ "urn:oasis:names:tc:opendocument:xmlns:style:1.0", NS_STYLE },
	{ "urn:oasis:names:tc:opendocument:xmlns:table:1.0", NS_TABLE },
	{ "urn:oasis:names:tc:opendocument:xmlns:text:1.0", NS_TEXT },
	{ "urn:org:documentfoundation:names:experimental:calc:xmlns:"
	    "calcext:1.0", NS_CALCEXT },
};

#define ODS_CONTENT	"content.xml"
#define ODS_STYLES	"styles.xml"
#define ODS_SHEETNAME	256	/* bytes, in a named range's address */
#define ODS_MAX_NAMES	65536	/* more is hostile, not a reply */

/* Positions past this cannot be held in a grid cell. */
#define ODS_MAXPOS	((uint64_t)UINT32_MAX)

enum valtype { VT_NONE, VT_FLOAT, VT_PERCENT, VT_DATE, VT_TIME, VT_BOOL,
    VT_STRING };

/* A table style: its name, and whether it hides the table. */
struct tstyle {
	char		*name;
	int		 hidden;
};

/* A cell with a value in the current row, waiting for the row's repeat. */
struct pending {
	uint32_t	 col;
	uint32_t	 repeat;
	enum cell_type	 type;
	unsigned	 flags;
	double		 number;
	char		*text;
};

struct ods {
	const struct limits	*limits;
	struct zipfile		*zip;
	struct xmlstream	*xs;
	struct grid		*grid;
	struct tstyle		*styles;
	size_t			 nstyles, stylecap;
	int			 in_style;	/* in a table's style */
	char			**sheetstyle;	/* per sheet */
	/* Where the parse is. */
	unsigned		 depth;
	unsigned		 table_depth;	/* of the table, or 0 */
	unsigned		 inner_depth;	/* inner table */
	struct sheet		*sheet;
	unsigned		 row_depth;	/* of the row, or 0 */
	uint64_t		 row;		/* of the current row */
	uint64_t		 rowrep;
	uint64_t		 col;		/* of the next cell */
	uint64_t		 rowcells;	/* cells in it, once */
	struct pending		*cells;
	size_t			 ncells, cellcap;
	/* The cell being read. */
	unsigned		 cell_depth;	/* 0 when not in a cell */
	uint64_t		 cellrep;
	enum valtype		 vtype;
	double			 number;
	int			 formula;
	int			 error;		/* calcext's */
	int			 fixedtext;	/* string-value given */
	unsigned		 p_depth;	/* of the paragraph, or 0 */
	/* Of an element whose text is not the cell's (a note), or 0. */
	unsigned		 skip_depth;
	int			 nparas;
	int			 p_content;	/* it has text so far */
	int			 p_space;	/* a ' ' is owed */
	struct xmltext		 text;
	char			 cellerr[GRID_ERRLEN];
};

static void
nomem(struct ods *o)
{
	xmlstream_fail(o->xs, "out of memory reading the spreadsheet");
}

/* A repetition count: 1 when absent or nonsense, at most ODS_MAXPOS. */
static uint64_t
attr_repeat(const char *v)
{
	uint64_t n = 0;

	if (v == NULL)
		return 1;
	for (; *v >= '0' && *v <= '9'; v++)
		if ((n = n * 10 + (uint64_t)(*v - '0')) > ODS_MAXPOS)
			return ODS_MAXPOS;
	return *v != '\0' || n == 0 ? 1 : n;
}

/*
 * Table styles, from content.xml's automatic styles or styles.xml.
 */

static void
style_start(struct ods *o, const char *name, const char **attrs)
{
	const char *v, *family;
	struct tstyle *ts;

	if (strcmp(name, "style") == 0) {
		o->in_style = 0;
		family = xmlstream_attr(o->xs, attrs, NS_STYLE, "family");
		v = xmlstream_attr(o->xs, attrs, NS_STYLE, "name");
		if (family == NULL || strcmp(family, "table") != 0 || v == NULL)
			return;
		if (reader_array_grow((void **)&o->styles, &o->stylecap, o->nstyles,
		    sizeof(*o->styles)) == -1) {
			nomem(o);
			return;
		}
		ts = &o->styles[o->nstyles];
		if ((ts->name = strdup(v)) == NULL) {
			nomem(o);
			return;
		}
		ts->hidden = 0;
		o->nstyles++;
		o->in_style = 1;
	} else if (strcmp(name, "table-properties") == 0 && o->in_style) {
		v = xmlstream_attr(o->xs, attrs, NS_TABLE, "display");
		o->styles[o->nstyles - 1].hidden = v != NULL &&
		    strcmp(v, "false") == 0;
	}
}

/* -1 when no table style has that name. */
static int
style_hidden(const struct ods *o, const char *name)
{
	size_t i;

	for (i = 0; i < o->nstyles; i++)
		if (strcmp(o->styles[i].name, name) == 0)
			return o->styles[i].hidden;
	return -1;
}

static void
styles_only_start(void *arg, int ns, const char *name, const char **attrs)
{
	if (ns == NS_STYLE)
		style_start(arg, name, attrs);
}

/*
 * Named ranges: "$'Phiếu khảo sát'.$E$7", "$Sheet1.$E$7:.$E$9".
 */

/*
 * Reads "[$]sheet.[$]C[$]5" into sheet (empty when the name is left out,
 * as in ".$E$9") and the cell; returns what follows, or NULL.
 */
static const char *
address_cell(const char *s, char *sheet, size_t size, uint32_t *row,
    uint32_t *col)
{
	char ref[GRID_CELLREF_LEN];
	size_t n;

	if (*s == '$')
		s++;
	if ((s = reader_ref_sheet(s, '.', sheet, size)) == NULL)
		return NULL;
	s++;
	for (n = 0; (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
	    *s == '$'; s++) {
		if (n + 1 >= sizeof(ref))
			return NULL;
		ref[n++] = *s;
	}
	ref[n] = '\0';
	if (grid_cellref_parse(ref, row, col) == -1)
		return NULL;
	return s;
}

/* Keeps a name for one cell or one rectangle on one sheet. */
static void
named_range(struct ods *o, const char *name, const char *addr)
{
	char sheet[ODS_SHEETNAME], sheet2[ODS_SHEETNAME];
	uint32_t r1, c1, r2, c2;

	if ((addr = address_cell(addr, sheet, sizeof(sheet), &r1, &c1)) ==
	    NULL || sheet[0] == '\0')
		return;
	r2 = r1;
	c2 = c1;
	if (*addr == ':' && ((addr = address_cell(addr + 1, sheet2,
	    sizeof(sheet2), &r2, &c2)) == NULL ||
	    (sheet2[0] != '\0' && strcmp(sheet, sheet2) != 0)))
		return;
	/* Anything after it (a second range, a formula) is not one place. */
	if (*addr != '\0')
		return;
	if (o->grid->nnames >= ODS_MAX_NAMES)
		xmlstream_fail(o->xs, "spreadsheet has more than %d named "
		    "ranges", ODS_MAX_NAMES);
	else if (grid_name_add(o->grid, name, sheet, r1 < r2 ? r1 : r2,
	    c1 < c2 ? c1 : c2, r1 < r2 ? r2 : r1, c1 < c2 ? c2 : c1) == -1)
		nomem(o);
}

/* A named expression that is only "of:=[$Sheet.$A$1]" names a cell. */
static void
named_expression(struct ods *o, const char *name, const char *expr)
{
	char buf[2 * ODS_SHEETNAME];
	size_t len;

	if (strncmp(expr, "of:", 3) == 0)
		expr += 3;
	if (*expr == '=')
		expr++;
	len = strlen(expr);
	if (len < 2 || expr[0] != '[' || expr[len - 1] != ']' ||
	    len - 2 >= sizeof(buf))
		return;
	memcpy(buf, expr + 1, len - 2);
	buf[len - 2] = '\0';
	named_range(o, name, buf);
}

static void
name_start(struct ods *o, const char *name, const char **attrs)
{
	const char *n, *v;

	if ((n = xmlstream_attr(o->xs, attrs, NS_TABLE, "name")) == NULL)
		return;
	if (strcmp(name, "named-range") == 0 &&
	    (v = xmlstream_attr(o->xs, attrs, NS_TABLE,
	    "cell-range-address")) != NULL)
		named_range(o, n, v);
	else if (strcmp(name, "named-expression") == 0 &&
	    (v = xmlstream_attr(o->xs, attrs, NS_TABLE, "expression")) != NULL)
		named_expression(o, n, v);
}

/*
 * Tables and rows.
 */

static void
table_begin(struct ods *o, const char **attrs)
{
	const char *name, *style;
	char **p;

	if ((name = xmlstream_attr(o->xs, attrs, NS_TABLE, "name")) == NULL)
		name = "";
	if (o->grid->nsheets >= o->limits->sheets) {
		xmlstream_fail(o->xs, "spreadsheet has more than %zu sheets",
		    o->limits->sheets);
		return;
	}
	style = xmlstream_attr(o->xs, attrs, NS_TABLE, "style-name");
	if ((p = reallocarray(o->sheetstyle, o->grid->nsheets + 1,
	    sizeof(*p))) == NULL) {
		nomem(o);
		return;
	}
	o->sheetstyle = p;
	p[o->grid->nsheets] = NULL;
	if ((o->sheet = grid_sheet_add(o->grid, name, 0)) == NULL ||
	    (style != NULL &&
	    (p[o->grid->nsheets - 1] = strdup(style)) == NULL)) {
		nomem(o);
		return;
	}
	o->table_depth = o->depth;
	o->row = 0;
}

static void
pending_clear(struct ods *o)
{
	size_t i;

	for (i = 0; i < o->ncells; i++)
		free(o->cells[i].text);
	o->ncells = 0;
}

static void
row_begin(struct ods *o, const char **attrs)
{
	pending_clear(o);
	o->row_depth = o->depth;
	o->rowrep = attr_repeat(xmlstream_attr(o->xs, attrs, NS_TABLE,
	    "number-rows-repeated"));
	o->col = 0;
	o->rowcells = 0;
}

/*
 * Refuses, in the shared words, a row whose cells times its repeat would
 * take the sheet past the limit.
 */
static int
row_check(struct ods *o)
{
	uint64_t limit = o->limits->sheet_cells, room;
	struct sheet full;

	room = o->sheet->ncells < limit ? limit - o->sheet->ncells : 0;
	if (o->rowcells <= room && o->rowrep <= room / o->rowcells)
		return 0;
	/* reader_cell_check words it; show it a sheet already full. */
	full = *o->sheet;
	full.ncells = o->limits->sheet_cells;
	reader_cell_check(&full, o->limits, 0, 0, 0, o->cellerr,
	    sizeof(o->cellerr));
	xmlstream_fail(o->xs, "%s", o->cellerr);
	return -1;
}

/* The row is complete: its cells, as many times as it repeats. */
static void
row_end(struct ods *o)
{
	const struct pending *pc;
	uint64_t r, k;
	size_t i;
	char *text;

	o->row_depth = 0;
	if (o->ncells > 0 && o->row + o->rowrep - 1 >= ODS_MAXPOS) {
		xmlstream_fail(o->xs, "sheet '%s': rows repeat past the end "
		    "of the sheet", o->sheet->name);
		return;
	}
	for (r = 0; r < o->rowrep && o->ncells > 0; r++)
		for (i = 0; i < o->ncells; i++) {
			pc = &o->cells[i];
			for (k = 0; k < pc->repeat; k++) {
				text = NULL;
				if (pc->text != NULL &&
				    (text = strdup(pc->text)) == NULL) {
					nomem(o);
					return;
				}
				if (sheet_cell_add(o->sheet,
				    (uint32_t)(o->row + r),
				    (uint32_t)(pc->col + k), pc->type,
				    pc->number, text, pc->flags) == -1) {
					nomem(o);
					return;
				}
			}
		}
	o->row += o->rowrep;
	pending_clear(o);
}

/*
 * Cells.
 */

static enum valtype
value_type(const char *v)
{
	static const struct {
		const char	*name;
		enum valtype	 type;
	} types[] = {
		{ "float", VT_FLOAT }, { "currency", VT_FLOAT },
		{ "percentage", VT_PERCENT }, { "date", VT_DATE },
		{ "time", VT_TIME }, { "boolean", VT_BOOL },
		{ "string", VT_STRING },
	};
	size_t i;

	if (v != NULL)
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcmp(v, types[i].name) == 0)
				return types[i].type;
	return VT_NONE;
}

/* Reads "12" or "12.5" at s; NULL when there is no number. */
static const char *
decimal(const char *s, double *n)
{
	const char *start = s;
	double scale = 0.1;

	for (*n = 0; *s >= '0' && *s <= '9'; s++)
		*n = *n * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
			*n += (*s - '0') * scale;
	return s == start ? NULL : s;
}

/* An xsd:duration of days, hours, minutes, seconds ("PT10H30M00S") in days. */
static int
duration_days(const char *s, double *days)
{
	double total = 0, n;
	const char *end;

	if (*s++ != 'P')
		return -1;
	while (*s != '\0') {
		if (*s == 'T') {
			s++;
			continue;
		}
		if ((end = decimal(s, &n)) == NULL)
			return -1;
		switch (*end) {
		case 'D':
			total += n;
			break;
		case 'H':
			total += n / 24;
			break;
		case 'M':
			total += n / 1440;
			break;
		case 'S':
			total += n / 86400;
			break;
		default:
			return -1;
		}
		s = end + 1;
	}
	*days = total;
	return 0;
}

/* Fails the parse naming the cell; value is what was wrong. */
static void
cell_fail(struct ods *o, const char *what, const char *value)
{
	char ref[GRID_CELLREF_LEN];

	xmlstream_fail(o->xs, "sheet '%s', cell %s: %s '%.40s'",
	    o->sheet->name, grid_cellref_format(ref, (uint32_t)o->row,
	    (uint32_t)o->col), what, value != NULL ? value : "");
}

/* Reads the value the attributes give; text waits for the paragraphs. */
static void
cell_value(struct ods *o, const char **attrs)
{
	const char *v;

	o->number = 0;
	switch (o->vtype) {
	case VT_FLOAT:
	case VT_PERCENT:
		v = xmlstream_attr(o->xs, attrs, NS_OFFICE, "value");
		if (v == NULL || xml_number(v, &o->number) == -1)
			cell_fail(o, "not a number:", v);
		break;
	case VT_DATE:
		v = xmlstream_attr(o->xs, attrs, NS_OFFICE, "date-value");
		if (v == NULL || xml_datetime(v, &o->number) == -1)
			cell_fail(o, "not a date:", v);
		break;
	case VT_TIME:
		v = xmlstream_attr(o->xs, attrs, NS_OFFICE, "time-value");
		if (v == NULL || duration_days(v, &o->number) == -1)
			cell_fail(o, "not a time:", v);
		break;
	case VT_BOOL:
		v = xmlstream_attr(o->xs, attrs, NS_OFFICE, "boolean-value");
		o->number = v != NULL && (strcmp(v, "true") == 0 ||
		    strcmp(v, "1") == 0);
		break;
	case VT_STRING:
		/* Given when the value is not what the paragraphs show. */
		v = xmlstream_attr(o->xs, attrs, NS_OFFICE, "string-value");
		if (v != NULL && *v != '\0') {
			o->fixedtext = 1;
			if (xmltext_add(&o->text, v, strlen(v)) == -1)
				nomem(o);
		}
		break;
	case VT_NONE:
		break;
	}
}

static void
cell_begin(struct ods *o, const char **attrs)
{
	const char *v;

	o->cell_depth = o->depth;
	o->cellrep = attr_repeat(xmlstream_attr(o->xs, attrs, NS_TABLE,
	    "number-columns-repeated"));
	o->vtype = value_type(xmlstream_attr(o->xs, attrs, NS_OFFICE,
	    "value-type"));
	o->formula = xmlstream_attr(o->xs, attrs, NS_TABLE, "formula") != NULL;
	v = xmlstream_attr(o->xs, attrs, NS_CALCEXT, "value-type");
	o->error = v != NULL && strcmp(v, "error") == 0;
	o->fixedtext = 0;
	o->nparas = 0;
	o->p_depth = 0;
	o->skip_depth = 0;
	xmltext_reset(&o->text);
	cell_value(o, attrs);
}

/* What a spreadsheet shows for a formula that failed. */
static int
is_error_text(const char *s)
{
	static const char *const errors[] = { "#NULL!", "#DIV/0!", "#VALUE!",
	    "#REF!", "#NAME?", "#NUM!", "#N/A", "#N/A!" };
	size_t i;

	if (strncmp(s, "Err:", 4) == 0)
		return 1;
	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (strcmp(s, errors[i]) == 0)
			return 1;
	return 0;
}

/* The type and flags the cell ends up with; 0 when it holds nothing. */
static int
cell_kind(struct ods *o, enum cell_type *type, unsigned *flags)
{
	const char *text = o->text.buf != NULL ? o->text.buf : "";

	*flags = o->formula ? CELL_FORMULA : 0;
	if (o->error || (o->formula && is_error_text(text))) {
		*type = CELL_ERROR;
		return 1;
	}
	switch (o->vtype) {
	case VT_FLOAT:
		*type = CELL_NUMBER;
		return 1;
	case VT_PERCENT:
		*type = CELL_NUMBER;
		*flags |= CELL_PERCENT;
		return 1;
	case VT_DATE:
	case VT_TIME:
		*type = CELL_DATE;
		return 1;
	case VT_BOOL:
		*type = CELL_BOOL;
		return 1;
	case VT_STRING:
	case VT_NONE:
		break;
	}
	*type = CELL_STRING;
	if (o->text.len > 0 || (o->formula && o->vtype == VT_STRING))
		return 1;
	/* A formula that never ran; otherwise an empty cell. */
	*type = CELL_NOVALUE;
	return o->formula;
}

static void
cell_end(struct ods *o)
{
	enum cell_type type;
	unsigned flags;
	struct pending *pc;
	int text;

	o->cell_depth = 0;
	if (!cell_kind(o, &type, &flags)) {
		o->col += o->cellrep;
		return;
	}
	text = type == CELL_STRING || type == CELL_ERROR;
	if (o->col + o->cellrep - 1 >= ODS_MAXPOS) {
		xmlstream_fail(o->xs, "sheet '%s': cells repeat past the end "
		    "of the sheet", o->sheet->name);
		return;
	}
	if (reader_cell_check(o->sheet, o->limits, (uint32_t)o->row,
	    (uint32_t)o->col, text ? o->text.len : 0, o->cellerr,
	    sizeof(o->cellerr)) == -1) {
		xmlstream_fail(o->xs, "%s", o->cellerr);
		return;
	}
	/* Counted before anything is made: repeats multiply. */
	o->rowcells += o->cellrep;
	if (row_check(o) == -1)
		return;
	if (reader_array_grow((void **)&o->cells, &o->cellcap, o->ncells,
	    sizeof(*o->cells)) == -1) {
		nomem(o);
		return;
	}
	pc = &o->cells[o->ncells];
	pc->col = (uint32_t)o->col;
	pc->repeat = (uint32_t)o->cellrep;
	pc->type = type;
	pc->flags = flags;
	pc->number = type == CELL_STRING || type == CELL_ERROR ? 0 : o->number;
	pc->text = NULL;
	if (text && (pc->text = xmltext_dup(&o->text)) == NULL) {
		nomem(o);
		return;
	}
	o->ncells++;
	o->col += o->cellrep;
}

/*
 * Cell text: the cell's own paragraphs, joined by newlines.  As ODF says,
 * runs of white space in a paragraph are one space, and text:s, text:tab
 * and text:line-break write the spaces that are really there.
 */

/* Adds explicit characters, after the one space white space stood for. */
static void
para_put(struct ods *o, char c, size_t count)
{
	if ((o->p_space && xmltext_addc(&o->text, ' ', 1) == -1) ||
	    xmltext_addc(&o->text, c, count) == -1)
		nomem(o);
	o->p_space = 0;
	o->p_content = 1;
}

static void
para_text(struct ods *o, const char *s, size_t len)
{
	const char *end = s + len, *run;

	while (s < end) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			/* Leading white space stands for nothing. */
			o->p_space = o->p_content;
			s++;
			continue;
		}
		for (run = s; s < end && *s != ' ' && *s != '\t' &&
		    *s != '\n' && *s != '\r'; s++)
			;
		if ((o->p_space && xmltext_addc(&o->text, ' ', 1) == -1) ||
		    xmltext_add(&o->text, run, (size_t)(s - run)) == -1) {
			nomem(o);
			return;
		}
		o->p_space = 0;
		o->p_content = 1;
	}
}

/* An element inside a paragraph of the cell. */
static void
para_start(struct ods *o, int ns, const char *name, const char **attrs)
{
	const char *c;

	if (o->skip_depth != 0)
		return;
	/* Notes, frames and annotations hold text that is not the cell's. */
	if (ns != NS_TEXT || strcmp(name, "note") == 0 ||
	    strcmp(name, "ruby-text") == 0) {
		o->skip_depth = o->depth;
		return;
	}
	if (strcmp(name, "s") == 0) {
		c = xmlstream_attr(o->xs, attrs, NS_TEXT, "c");
		para_put(o, ' ', c != NULL ? attr_repeat(c) : 1);
	} else if (strcmp(name, "tab") == 0)
		para_put(o, '\t', 1);
	else if (strcmp(name, "line-break") == 0)
		para_put(o, '\n', 1);
}

/*
 * Paragraphs are the value of text cells; of other cells only what they
 * show, which matters when a formula shows an error.
 */
static int
cell_wants_text(const struct ods *o)
{
	if (o->fixedtext)
		return 0;
	return o->vtype == VT_STRING || o->vtype == VT_NONE || o->formula ||
	    o->error;
}

static void
para_begin(struct ods *o)
{
	if (o->nparas++ > 0 && xmltext_addc(&o->text, '\n', 1) == -1)
		nomem(o);
	o->p_depth = o->depth;
	o->p_content = 0;
	o->p_space = 0;
}

/*
 * The handlers: content.xml as a whole.
 */

static void
table_start(struct ods *o, const char *name, const char **attrs)
{
	if (strcmp(name, "table") == 0) {
		/* A table drawn in a table is no sheet: skipped whole. */
		if (o->table_depth != 0)
			o->inner_depth = o->depth;
		else
			table_begin(o, attrs);
	} else if (strcmp(name, "named-range") == 0 ||
	    strcmp(name, "named-expression") == 0)
		name_start(o, name, attrs);
	else if (o->table_depth == 0)
		return;
	else if (strcmp(name, "table-row") == 0 && o->row_depth == 0)
		row_begin(o, attrs);
	else if ((strcmp(name, "table-cell") == 0 ||
	    strcmp(name, "covered-table-cell") == 0) && o->row_depth != 0)
		cell_begin(o, attrs);
}

static void
content_start(void *arg, int ns, const char *name, const char **attrs)
{
	struct ods *o = arg;

	o->depth++;
	if (o->p_depth != 0)
		para_start(o, ns, name, attrs);
	else if (o->cell_depth != 0) {
		if (o->depth == o->cell_depth + 1 && ns == NS_TEXT &&
		    cell_wants_text(o) && (strcmp(name, "p") == 0 ||
		    strcmp(name, "h") == 0))
			para_begin(o);
	} else if (o->inner_depth != 0)
		return;
	else if (ns == NS_TABLE)
		table_start(o, name, attrs);
	else if (ns == NS_STYLE)
		style_start(o, name, attrs);
}

/* Elements end where they began: depths say which, not names. */
static void
content_end(void *arg, int ns, const char *name)
{
	struct ods *o = arg;
	unsigned depth = o->depth--;

	(void)ns;
	(void)name;
	if (depth == o->skip_depth)
		o->skip_depth = 0;
	if (depth == o->p_depth)
		o->p_depth = 0;
	else if (o->cell_depth != 0) {
		if (depth == o->cell_depth)
			cell_end(o);
	} else if (depth == o->inner_depth)
		o->inner_depth = 0;
	else if (o->inner_depth != 0)
		return;
	else if (depth == o->row_depth)
		row_end(o);
	else if (depth == o->table_depth)
		o->table_depth = 0;
}

static void
content_text(void *arg, const char *s, size_t len)
{
	struct ods *o = arg;

	if (o->p_depth != 0 && o->skip_depth == 0)
		para_text(o, s, len);
}

/* Sheets whose style hides them; styles.xml only when a style is not found. */
static int
resolve_hidden(struct ods *o, char *err, size_t errlen)
{
	static const struct xmlstream_handlers h = { styles_only_start, NULL,
	    NULL };
	int hidden, read_styles = 0;
	size_t i;

	for (i = 0; i < o->grid->nsheets; i++) {
		if (o->sheetstyle[i] == NULL)
			continue;
		while ((hidden = style_hidden(o, o->sheetstyle[i])) == -1 &&
		    !read_styles && zipfile_has(o->zip, ODS_STYLES)) {
			read_styles = 1;
			if (xmlstream_parse_member(o->xs, o->zip, ODS_STYLES,
			    &h, o, err, errlen) == -1)
				return -1;
		}
		o->grid->sheets[i].hidden = hidden == 1;
	}
	return 0;
}

static void
ods_clear(struct ods *o)
{
	size_t i;

	pending_clear(o);
	free(o->cells);
	for (i = 0; i < o->nstyles; i++)
		free(o->styles[i].name);
	free(o->styles);
	if (o->grid != NULL && o->sheetstyle != NULL)
		for (i = 0; i < o->grid->nsheets; i++)
			free(o->sheetstyle[i]);
	free(o->sheetstyle);
	xmltext_free(&o->text);
	xmlstream_free(o->xs);
	zipfile_close(o->zip);
}

static struct grid *
ods_read(const unsigned char *buf, size_t len, const struct limits *l,
    char *err, size_t errlen)
{
	static const struct xmlstream_handlers h = { content_start,
	    content_end, content_text };
	struct ods o;
	struct grid *g;

	memset(&o, 0, sizeof(o));
	o.limits = l;
	xmltext_init(&o.text, l->cell_text);
	if ((o.zip = zipfile_open(buf, len, l, err, errlen)) == NULL)
		return NULL;
	if (!zipfile_has(o.zip, ODS_CONTENT)) {
		snprintf(err, errlen, "not an ODS spreadsheet (no %s)",
		    ODS_CONTENT);
		ods_clear(&o);
		return NULL;
	}
	if ((o.xs = xmlstream_new(l, ods_ns, sizeof(ods_ns) /
	    sizeof(ods_ns[0]))) == NULL ||
	    (o.grid = grid_new(GRID_FORMAT_ODS)) == NULL) {
		snprintf(err, errlen, "out of memory");
		ods_clear(&o);
		return NULL;
	}
	g = o.grid;
	if (xmlstream_parse_member(o.xs, o.zip, ODS_CONTENT, &h, &o, err,
	    errlen) == -1 || resolve_hidden(&o, err, errlen) == -1) {
		ods_clear(&o);
		grid_free(g);
		return NULL;
	}
	ods_clear(&o);
	return g;
}

const struct reader reader_ods = { GRID_FORMAT_ODS, "ods", ods_read };
