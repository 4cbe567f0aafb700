/*
 * xlsx.c — the XLSX (Office Open XML) reader.  Streams the workbook, its
 * relationships, styles, shared strings and each worksheet out of the ZIP
 * through xmlstream, never holding a whole part, and keeps only what intake
 * needs: sheet names and visibility, defined names that point at cells, and
 * typed cell values with the formats that change their meaning.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "charset.h"
#include "reader.h"
#include "xmlstream.h"
#include "zipfile.h"

enum { NS_MAIN, NS_REL, NS_PKG };

/* Transitional and strict OOXML name the same things differently. */
static const struct xmlns xlsx_ns[] = {
	{ "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
	    NS_MAIN },
	{ "http://purl.oclc.org/ooxml/spreadsheetml/main", NS_MAIN },
	{ "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
	    NS_REL },
	{ "http://purl.oclc.org/ooxml/officeDocument/relationships", NS_REL },
	{ "http://schemas.openxmlformats.org/package/2006/relationships",
	    NS_PKG },
};

#define XLSX_WORKBOOK	"xl/workbook.xml"
#define XLSX_ROOT_RELS	"_rels/.rels"

/* "_xHHHH_" is 7 bytes for as little as 1: raw text may be this much longer. */
#define XLSX_ESCAPE_LEN	7

/*
 * Excel keeps far fewer.  More defined names are refused; cell formats
 * past these count as General, so a hostile styles part costs no memory.
 */
#define XLSX_MAX_NAMES	65536
#define XLSX_MAX_XF	65536
#define XLSX_MAX_NUMFMT	65536
#define XLSX_SHEETNAME	256	/* bytes, in a name's reference */

/* What a cell's number format does to the meaning of its number. */
enum numkind { NUM_GENERAL, NUM_DATE, NUM_PERCENT, NUM_TEXT };

/* A 1904-system serial is this many days short of the 1900 system's. */
#define XLSX_1904_OFFSET	1462

struct wbsheet {
	char		*name;
	char		*rid;
	char		*part;		/* its member */
	int		 hidden;
};

struct numfmt {
	uint32_t	 id;
	enum numkind	 kind;
};

/* The shared strings: one arena of NUL-terminated strings, and offsets. */
struct strtab {
	char		*data;
	size_t		 len, cap;
	size_t		*off;
	size_t		 n, ncap;
};

struct xlsx {
	const struct limits	*limits;
	struct zipfile		*zip;
	struct xmlstream	*xs;
	struct grid		*grid;
	char			*wbpart;
	char			*wbdir;		/* ends in '/' */
	int			 date1904;
	struct wbsheet		*sheets;
	size_t			 nsheets;
	char			*sstpart;
	char			*stylepart;
	struct strtab		 sst;
	struct numfmt		*fmts;
	size_t			 nfmts, fmtcap;
	uint32_t		*xfs;		/* numFmtIds */
	unsigned char		*xfkind;	/* the same as numkind */
	size_t			 nxf, xfcap;
	struct xmltext		 text;
	char			 cellerr[GRID_ERRLEN];
};

/* Character data into the one text buffer every part shares. */
static void
collect(struct xlsx *x, const char *s, size_t len)
{
	if (xmltext_add(&x->text, s, len) == -1)
		xmlstream_fail(x->xs, "out of memory reading the workbook");
}

/* The code unit of an "_xHHHH_" escape at s, or -1. */
static int32_t
escape_at(const char *s, size_t left)
{
	int32_t v = 0;
	int i;

	if (left < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
		return -1;
	for (i = 2; i < 6; i++) {
		v <<= 4;
		if (s[i] >= '0' && s[i] <= '9')
			v |= s[i] - '0';
		else if (s[i] >= 'a' && s[i] <= 'f')
			v |= s[i] - 'a' + 10;
		else if (s[i] >= 'A' && s[i] <= 'F')
			v |= s[i] - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * Excel writes characters XML cannot carry as "_xHHHH_" (and a literal
 * "_x" as "_x005F_x").  Decodes them in place as Excel does, dropping
 * control characters other than tab and newline and unpaired surrogates;
 * never longer than the input.  Returns the new length.
 */
static size_t
unescape(char *s, size_t len)
{
	size_t i = 0, o = 0;
	int32_t u, lo;

	if (memchr(s, '_', len) == NULL)
		return len;
	while (i < len) {
		if ((u = escape_at(s + i, len - i)) == -1) {
			s[o++] = s[i++];
			continue;
		}
		i += 7;
		if (u >= 0xd800 && u <= 0xdbff &&
		    (lo = escape_at(s + i, len - i)) >= 0xdc00 &&
		    lo <= 0xdfff) {
			i += 7;
			o += charset_utf8_put(s + o, 0x10000 +
			    ((uint32_t)(u - 0xd800) << 10) +
			    (uint32_t)(lo - 0xdc00));
		} else if ((u >= 0x20 || u == '\t' || u == '\n') &&
		    (u < 0xd800 || u > 0xdfff))
			o += charset_utf8_put(s + o, (uint32_t)u);
	}
	s[o] = '\0';
	return o;
}

/* Decodes the collected text's escapes. */
static void
text_unescape(struct xmltext *t)
{
	if (t->buf != NULL)
		t->len = unescape(t->buf, t->len);
}

/*
 * Part names.
 */

/*
 * Resolves a relationship target against the folder of the part owning
 * the rels (dir is empty or ends in '/'): "/xl/a.xml" counts from the root,
 * "worksheets/../a.xml" from dir.  NULL when it climbs out of the archive
 * or memory runs out.
 */
static char *
part_resolve(const char *dir, const char *target)
{
	char *path, *seg, *next;
	size_t o = 0, len;

	if (*target == '/')
		dir = "";
	if (asprintf(&path, "%s%s", dir, target) == -1)
		return NULL;
	/* Normalised in place: the output never overtakes the input. */
	for (seg = path; seg != NULL; seg = next) {
		len = strcspn(seg, "/");
		next = seg[len] == '/' ? seg + len + 1 : NULL;
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			if (o == 0) {
				free(path);
				return NULL;
			}
			while (o > 0 && path[--o] != '/')
				;
			continue;
		}
		if (o > 0)
			path[o++] = '/';
		memmove(path + o, seg, len);
		o += len;
	}
	path[o] = '\0';
	return path;
}

/* 1 when a relationship type URI ends in "/kind". */
static int
rel_type_is(const char *type, const char *kind)
{
	size_t tl = strlen(type), kl = strlen(kind);

	return tl > kl && type[tl - kl - 1] == '/' &&
	    strcmp(type + tl - kl, kind) == 0;
}

/* The Target of an internal relationship, with its Id and Type. */
static const char *
rel_target(const struct xmlstream *xs, int ns, const char *name,
    const char **attrs, const char **id, const char **type)
{
	const char *mode;

	if (ns != NS_PKG || strcmp(name, "Relationship") != 0)
		return NULL;
	mode = xmlstream_attr(xs, attrs, XMLNS_NONE, "TargetMode");
	if (mode != NULL && strcmp(mode, "External") == 0)
		return NULL;
	*id = xmlstream_attr(xs, attrs, XMLNS_NONE, "Id");
	*type = xmlstream_attr(xs, attrs, XMLNS_NONE, "Type");
	if (*id == NULL || *type == NULL)
		return NULL;
	return xmlstream_attr(xs, attrs, XMLNS_NONE, "Target");
}

/* Sets *part to target resolved against dir, once. */
static void
rel_set(struct xlsx *x, char **part, const char *dir, const char *target)
{
	if (*part != NULL)
		return;
	if ((*part = part_resolve(dir, target)) == NULL)
		xmlstream_fail(x->xs, "relationship target '%s' is outside "
		    "the archive", target);
}

/* _rels/.rels: where the workbook is, when not at xl/workbook.xml. */
static void
root_rels_start(void *arg, int ns, const char *name, const char **attrs)
{
	struct xlsx *x = arg;
	const char *target, *id, *type;

	if ((target = rel_target(x->xs, ns, name, attrs, &id, &type)) != NULL &&
	    rel_type_is(type, "officeDocument"))
		rel_set(x, &x->wbpart, "", target);
}

/* The workbook's rels: the sheets' parts, the styles, the shared strings. */
static void
wb_rels_start(void *arg, int ns, const char *name, const char **attrs)
{
	struct xlsx *x = arg;
	const char *target, *id, *type;
	size_t i;

	if ((target = rel_target(x->xs, ns, name, attrs, &id, &type)) == NULL)
		return;
	if (rel_type_is(type, "styles"))
		rel_set(x, &x->stylepart, x->wbdir, target);
	else if (rel_type_is(type, "sharedStrings"))
		rel_set(x, &x->sstpart, x->wbdir, target);
	else
		for (i = 0; i < x->nsheets; i++)
			if (strcmp(x->sheets[i].rid, id) == 0)
				rel_set(x, &x->sheets[i].part, x->wbdir,
				    target);
}

/*
 * The workbook: sheets, date system, defined names.
 */

/*
 * Copies a reference's sheet name, quoted ('It''s') or not, and returns
 * what follows its '!'; NULL when there is none or it does not fit.
 */
static const char *
ref_sheet(const char *s, char *sheet, size_t size)
{
	if ((s = reader_ref_sheet(s, '!', sheet, size)) == NULL)
		return NULL;
	/* "[1]Sheet1" is another workbook; no sheet name holds brackets. */
	if (sheet[0] == '\0' || strpbrk(sheet, "[]") != NULL)
		return NULL;
	return s + 1;
}

/* Parses "$A$1" or "$A$1:$B$9" (nothing after) into a rectangle. */
static int
ref_area(const char *s, struct grid_name *a)
{
	char one[GRID_CELLREF_LEN];
	const char *colon;
	size_t len;
	uint32_t t;

	colon = strchr(s, ':');
	len = colon != NULL ? (size_t)(colon - s) : strlen(s);
	if (len >= sizeof(one))
		return -1;
	memcpy(one, s, len);
	one[len] = '\0';
	if (grid_cellref_parse(one, &a->row1, &a->col1) == -1)
		return -1;
	a->row2 = a->row1;
	a->col2 = a->col1;
	if (colon != NULL && grid_cellref_parse(colon + 1, &a->row2,
	    &a->col2) == -1)
		return -1;
	if (a->row2 < a->row1) {
		t = a->row1;
		a->row1 = a->row2;
		a->row2 = t;
	}
	if (a->col2 < a->col1) {
		t = a->col1;
		a->col1 = a->col2;
		a->col2 = t;
	}
	return 0;
}

/*
 * Keeps a defined name that points at one cell or one rectangle on one
 * sheet ("'Phiếu khảo sát'!$E$7", "_lists!$A$1:$A$12"); formulas, unions,
 * whole columns, other workbooks and #REF! are not answers' places.
 */
static void
defined_name(struct xlsx *x, const char *name, const char *ref)
{
	char sheet[XLSX_SHEETNAME];
	struct grid_name a;

	if (strncmp(name, "_xlnm.", 6) == 0 ||
	    (ref = ref_sheet(ref, sheet, sizeof(sheet))) == NULL ||
	    ref_area(ref, &a) == -1)
		return;
	if (x->grid->nnames >= XLSX_MAX_NAMES)
		xmlstream_fail(x->xs, "workbook has more than %d defined names",
		    XLSX_MAX_NAMES);
	else if (grid_name_add(x->grid, name, sheet, a.row1, a.col1, a.row2,
	    a.col2) == -1)
		xmlstream_fail(x->xs, "out of memory reading defined names");
}

static void
wb_sheet(struct xlsx *x, const char **attrs)
{
	const char *name, *rid, *state;
	struct wbsheet *ws, *p;

	name = xmlstream_attr(x->xs, attrs, XMLNS_NONE, "name");
	rid = xmlstream_attr(x->xs, attrs, NS_REL, "id");
	state = xmlstream_attr(x->xs, attrs, XMLNS_NONE, "state");
	if (name == NULL || rid == NULL) {
		xmlstream_fail(x->xs, "'%s' lists a sheet without a name or "
		    "part", x->wbpart);
		return;
	}
	if (x->nsheets >= x->limits->sheets) {
		xmlstream_fail(x->xs, "workbook has more than %zu sheets",
		    x->limits->sheets);
		return;
	}
	/* Sheets are few and bounded; growing one at a time is fine. */
	if ((p = reallocarray(x->sheets, x->nsheets + 1, sizeof(*p))) == NULL) {
		xmlstream_fail(x->xs, "out of memory reading the workbook");
		return;
	}
	x->sheets = p;
	ws = &x->sheets[x->nsheets];
	memset(ws, 0, sizeof(*ws));
	ws->name = strdup(name);
	ws->rid = strdup(rid);
	x->nsheets++;
	if (ws->name == NULL || ws->rid == NULL)
		xmlstream_fail(x->xs, "out of memory reading the workbook");
	ws->hidden = state != NULL && (strcmp(state, "hidden") == 0 ||
	    strcmp(state, "veryHidden") == 0);
}

/* The name of the defined name being read, while its text is collected. */
struct wbparse {
	struct xlsx	*x;
	char		*dname;
};

static void
wb_start(void *arg, int ns, const char *name, const char **attrs)
{
	struct wbparse *wp = arg;
	struct xlsx *x = wp->x;
	const char *v;

	if (ns != NS_MAIN)
		return;
	if (strcmp(name, "sheet") == 0)
		wb_sheet(x, attrs);
	else if (strcmp(name, "workbookPr") == 0) {
		v = xmlstream_attr(x->xs, attrs, XMLNS_NONE, "date1904");
		x->date1904 = v != NULL && (strcmp(v, "1") == 0 ||
		    strcmp(v, "true") == 0);
	} else if (strcmp(name, "definedName") == 0 &&
	    (v = xmlstream_attr(x->xs, attrs, XMLNS_NONE, "name")) != NULL) {
		free(wp->dname);
		if ((wp->dname = strdup(v)) == NULL)
			xmlstream_fail(x->xs, "out of memory reading the "
			    "workbook");
		xmltext_reset(&x->text);
	}
}

static void
wb_end(void *arg, int ns, const char *name)
{
	struct wbparse *wp = arg;

	if (ns != NS_MAIN)
		return;
	/* Nothing after the defined names is wanted. */
	if (strcmp(name, "definedNames") == 0) {
		xmlstream_stop(wp->x->xs);
		return;
	}
	if (wp->dname == NULL || strcmp(name, "definedName") != 0)
		return;
	defined_name(wp->x, wp->dname, wp->x->text.buf != NULL ?
	    wp->x->text.buf : "");
	free(wp->dname);
	wp->dname = NULL;
}

static void
wb_text(void *arg, const char *s, size_t len)
{
	struct wbparse *wp = arg;

	if (wp->dname != NULL)
		collect(wp->x, s, len);
}

/*
 * Styles: which cell formats make a number a date, a percentage, text.
 */

static enum numkind
numfmt_builtin(uint32_t id)
{
	if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47))
		return NUM_DATE;
	if (id == 9 || id == 10)
		return NUM_PERCENT;
	if (id == 49)
		return NUM_TEXT;
	return NUM_GENERAL;
}

/*
 * A custom format code is a date when it shows a day, month, year, hour or
 * second outside quotes, escapes and brackets ("[h]" alone is a duration,
 * "[Red]" a colour, "[$-42A]" a locale), a percentage when it has '%'
 * outside quotes.
 */
static enum numkind
numfmt_classify(const char *code)
{
	int date = 0, percent = 0;
	const char *s, *close;

	if (strcmp(code, "@") == 0)
		return NUM_TEXT;
	for (s = code; *s != '\0'; s++) {
		switch (*s) {
		case '"':
			if ((close = strchr(s + 1, '"')) == NULL)
				return NUM_GENERAL;
			s = close;
			break;
		case '[':
			if ((close = strchr(s + 1, ']')) == NULL)
				return NUM_GENERAL;
			s = close;
			break;
		case '\\':	/* a literal character */
		case '_':	/* space as wide as the next character */
		case '*':	/* repeat the next character */
			if (s[1] == '\0')
				return NUM_GENERAL;
			s++;
			break;
		case '%':
			percent = 1;
			break;
		case 'd': case 'D': case 'm': case 'M': case 'y': case 'Y':
		case 'h': case 'H': case 's': case 'S':
			date = 1;
			break;
		}
	}
	return date ? NUM_DATE : percent ? NUM_PERCENT : NUM_GENERAL;
}

/* An unsigned decimal attribute; def when absent or not a number. */
static uint32_t
attr_u32(const char *v, uint32_t def)
{
	uint64_t n = 0;

	if (v == NULL || *v == '\0')
		return def;
	for (; *v >= '0' && *v <= '9'; v++)
		if ((n = n * 10 + (uint64_t)(*v - '0')) > UINT32_MAX)
			return def;
	return *v == '\0' ? (uint32_t)n : def;
}

struct styleparse {
	struct xlsx	*x;
	int		 in_cellxfs;
};

static void
style_start(void *arg, int ns, const char *name, const char **attrs)
{
	struct styleparse *sp = arg;
	struct xlsx *x = sp->x;
	const char *code;
	struct numfmt *f;

	if (ns != NS_MAIN)
		return;
	if (strcmp(name, "cellXfs") == 0)
		sp->in_cellxfs = 1;
	else if (strcmp(name, "xf") == 0 && sp->in_cellxfs &&
	    x->nxf < XLSX_MAX_XF) {
		if (reader_array_grow((void **)&x->xfs, &x->xfcap, x->nxf,
		    sizeof(*x->xfs)) == -1) {
			xmlstream_fail(x->xs, "out of memory reading styles");
			return;
		}
		x->xfs[x->nxf++] = attr_u32(xmlstream_attr(x->xs, attrs,
		    XMLNS_NONE, "numFmtId"), 0);
	} else if (strcmp(name, "numFmt") == 0 && x->nfmts < XLSX_MAX_NUMFMT &&
	    (code = xmlstream_attr(x->xs, attrs, XMLNS_NONE,
	    "formatCode")) != NULL) {
		if (reader_array_grow((void **)&x->fmts, &x->fmtcap, x->nfmts,
		    sizeof(*x->fmts)) == -1) {
			xmlstream_fail(x->xs, "out of memory reading styles");
			return;
		}
		f = &x->fmts[x->nfmts++];
		f->id = attr_u32(xmlstream_attr(x->xs, attrs, XMLNS_NONE,
		    "numFmtId"), UINT32_MAX);
		f->kind = numfmt_classify(code);
	}
}

static void
style_end(void *arg, int ns, const char *name)
{
	struct styleparse *sp = arg;

	/* Fonts, fills, borders and the rest come after: not wanted. */
	if (ns == NS_MAIN && strcmp(name, "cellXfs") == 0)
		xmlstream_stop(sp->x->xs);
}

static int
numfmt_cmp(const void *a, const void *b)
{
	const struct numfmt *fa = a, *fb = b;

	return fa->id < fb->id ? -1 : fa->id > fb->id;
}

/* Turns each cell format's numFmtId into what it means for its cells. */
static int
styles_resolve(struct xlsx *x)
{
	struct numfmt key, *f;
	size_t i;

	if (x->nxf == 0)
		return 0;
	if ((x->xfkind = malloc(x->nxf)) == NULL)
		return -1;
	if (x->nfmts > 0)
		qsort(x->fmts, x->nfmts, sizeof(*x->fmts), numfmt_cmp);
	for (i = 0; i < x->nxf; i++) {
		key.id = x->xfs[i];
		/* A file may redefine a built-in id; its own code wins. */
		f = x->nfmts == 0 ? NULL : bsearch(&key, x->fmts, x->nfmts,
		    sizeof(*x->fmts), numfmt_cmp);
		x->xfkind[i] = (unsigned char)(f != NULL ? f->kind :
		    numfmt_builtin(key.id));
	}
	return 0;
}

/*
 * Shared strings.  Phonetic guides (<rPh>) are not the text.
 */

struct sstparse {
	struct xlsx	*x;
	int		 in_si;
	int		 in_t;
	int		 rph;
};

static int
strtab_add(struct strtab *st, const char *s, size_t len)
{
	size_t ncap;
	char *p;

	if (reader_array_grow((void **)&st->off, &st->ncap, st->n,
	    sizeof(*st->off)) == -1)
		return -1;
	if (st->len + len + 1 > st->cap) {
		for (ncap = st->cap ? st->cap : 4096; st->len + len + 1 > ncap;
		    ncap *= 2)
			;
		if ((p = realloc(st->data, ncap)) == NULL)
			return -1;
		st->data = p;
		st->cap = ncap;
	}
	memcpy(st->data + st->len, s, len);
	st->data[st->len + len] = '\0';
	st->off[st->n++] = st->len;
	st->len += len + 1;
	return 0;
}

static void
sst_start(void *arg, int ns, const char *name, const char **attrs)
{
	struct sstparse *sp = arg;

	(void)attrs;
	if (ns != NS_MAIN)
		return;
	if (strcmp(name, "si") == 0) {
		sp->in_si = 1;
		xmltext_reset(&sp->x->text);
	} else if (strcmp(name, "rPh") == 0)
		sp->rph++;
	else if (strcmp(name, "t") == 0 && sp->in_si && sp->rph == 0)
		sp->in_t = 1;
}

static void
sst_end(void *arg, int ns, const char *name)
{
	struct sstparse *sp = arg;
	struct xlsx *x = sp->x;
	size_t len;

	if (ns != NS_MAIN)
		return;
	if (strcmp(name, "t") == 0)
		sp->in_t = 0;
	else if (strcmp(name, "rPh") == 0 && sp->rph > 0)
		sp->rph--;
	else if (strcmp(name, "si") == 0 && sp->in_si) {
		sp->in_si = 0;
		if (x->sst.n >= x->limits->sheet_cells) {
			xmlstream_fail(x->xs, "'%s' holds more than %zu "
			    "strings", x->sstpart, x->limits->sheet_cells);
			return;
		}
		text_unescape(&x->text);
		/* Kept one byte over the limit: a cell using it is refused. */
		len = x->text.len > x->limits->cell_text ?
		    x->limits->cell_text + 1 : x->text.len;
		if (strtab_add(&x->sst, x->text.buf != NULL ? x->text.buf : "",
		    len) == -1)
			xmlstream_fail(x->xs, "out of memory reading shared "
			    "strings");
	}
}

static void
sst_text(void *arg, const char *s, size_t len)
{
	struct sstparse *sp = arg;

	if (sp->in_t)
		collect(sp->x, s, len);
}

/*
 * Worksheets.
 */

enum celltype { CT_NUMBER, CT_SHARED, CT_STR, CT_INLINE, CT_BOOL, CT_ERROR,
    CT_DATE };

struct sheetparse {
	struct xlsx	*x;
	struct sheet	*sheet;
	int		 in_data;	/* inside <sheetData> */
	uint32_t	 row;		/* of the current <row> */
	uint32_t	 nextrow;	/* for a <row> without r */
	uint32_t	 nextcol;	/* for a <c> without r */
	/* The cell being read. */
	int		 in_cell;
	uint32_t	 crow, ccol;
	enum celltype	 ctype;
	enum numkind	 kind;
	int		 formula;
	int		 has_value;
	int		 in_v, in_is, in_t, rph;
};

static int
cell_type(const char *t, enum celltype *ct)
{
	static const struct {
		const char	*name;
		enum celltype	 type;
	} types[] = {
		{ "n", CT_NUMBER }, { "s", CT_SHARED }, { "str", CT_STR },
		{ "inlineStr", CT_INLINE }, { "b", CT_BOOL }, { "e", CT_ERROR },
		{ "d", CT_DATE },
	};
	size_t i;

	if (t == NULL) {
		*ct = CT_NUMBER;
		return 0;
	}
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(t, types[i].name) == 0) {
			*ct = types[i].type;
			return 0;
		}
	return -1;
}

/* Fails the parse naming the cell: "sheet 'X', cell C5: what 'value'". */
static void
cell_fail(struct sheetparse *sp, const char *what, const char *value)
{
	char ref[GRID_CELLREF_LEN];

	xmlstream_fail(sp->x->xs, "sheet '%s', cell %s: %s '%.40s'",
	    sp->sheet->name, grid_cellref_format(ref, sp->crow, sp->ccol),
	    what, value);
}

static void
cell_begin(struct sheetparse *sp, const char **attrs)
{
	struct xlsx *x = sp->x;
	const char *r = NULL, *t = NULL, *s = NULL;
	uint32_t xf;
	size_t i;

	/* The three attributes every cell may have, in one pass. */
	for (i = 0; attrs[i] != NULL; i += 2) {
		if (strcmp(attrs[i], "r") == 0)
			r = attrs[i + 1];
		else if (strcmp(attrs[i], "t") == 0)
			t = attrs[i + 1];
		else if (strcmp(attrs[i], "s") == 0)
			s = attrs[i + 1];
	}
	sp->crow = sp->row;
	sp->ccol = sp->nextcol;
	/* Some writers leave r out: then cells count their positions. */
	if (r != NULL && grid_cellref_parse(r, &sp->crow, &sp->ccol) == -1) {
		xmlstream_fail(x->xs, "sheet '%s': bad cell reference '%.20s'",
		    sp->sheet->name, r);
		return;
	}
	sp->nextcol = sp->ccol + 1;
	if (cell_type(t, &sp->ctype) == -1) {
		cell_fail(sp, "unknown cell type", t);
		return;
	}
	xf = attr_u32(s, 0);
	sp->kind = xf < x->nxf ? (enum numkind)x->xfkind[xf] : NUM_GENERAL;
	sp->in_cell = 1;
	sp->formula = 0;
	sp->has_value = 0;
	xmltext_reset(&x->text);
}

static void
cell_add(struct sheetparse *sp, enum cell_type type, double number,
    const char *text, size_t len, unsigned flags)
{
	struct xlsx *x = sp->x;
	char *copy = NULL;

	if (reader_cell_check(sp->sheet, x->limits, sp->crow, sp->ccol, len,
	    x->cellerr, sizeof(x->cellerr)) == -1) {
		xmlstream_fail(x->xs, "%s", x->cellerr);
		return;
	}
	if (text != NULL) {
		if ((copy = malloc(len + 1)) == NULL) {
			xmlstream_fail(x->xs, "out of memory reading cells");
			return;
		}
		memcpy(copy, text, len);
		copy[len] = '\0';
	}
	if (sheet_cell_add(sp->sheet, sp->crow, sp->ccol, type, number, copy,
	    flags) == -1)
		xmlstream_fail(x->xs, "out of memory reading cells");
}

/* Text values; an empty one is only a value when a formula gave it. */
static void
cell_text(struct sheetparse *sp, enum cell_type type, const char *s,
    size_t len, unsigned flags)
{
	if (len > 0 || (flags & CELL_FORMULA))
		cell_add(sp, type, 0, s, len, flags);
}

static void
cell_shared(struct sheetparse *sp, const char *v, unsigned flags)
{
	const struct strtab *st = &sp->x->sst;
	uint32_t i;

	if ((i = attr_u32(v, UINT32_MAX)) >= st->n) {
		cell_fail(sp, "no such shared string", v);
		return;
	}
	cell_text(sp, CELL_STRING, st->data + st->off[i],
	    (i + 1 < st->n ? st->off[i + 1] : st->len) - st->off[i] - 1, flags);
}

static void
cell_number(struct sheetparse *sp, const char *v, unsigned flags)
{
	double d;

	if (xml_number(v, &d) == -1) {
		cell_fail(sp, "not a number:", v);
		return;
	}
	if (sp->kind == NUM_DATE)
		cell_add(sp, CELL_DATE, sp->x->date1904 ?
		    d + XLSX_1904_OFFSET : d, NULL, 0, flags);
	else
		cell_add(sp, CELL_NUMBER, d, NULL, 0, flags |
		    (sp->kind == NUM_PERCENT ? CELL_PERCENT : 0));
}

static void
cell_finish(struct sheetparse *sp)
{
	struct xmltext *t = &sp->x->text;
	const char *v = t->buf != NULL ? t->buf : "";
	unsigned flags;
	double d;

	sp->in_cell = 0;
	flags = (sp->formula ? CELL_FORMULA : 0) |
	    (sp->kind == NUM_TEXT ? CELL_TEXTFMT : 0);
	/* A number cell with an empty <v/> has no value either. */
	if (!sp->has_value || (t->len == 0 && sp->ctype != CT_STR &&
	    sp->ctype != CT_INLINE)) {
		if (sp->formula)
			cell_add(sp, CELL_NOVALUE, 0, NULL, 0, flags);
		return;
	}
	switch (sp->ctype) {
	case CT_SHARED:
		cell_shared(sp, v, flags);
		break;
	case CT_STR:
	case CT_INLINE:
		text_unescape(t);
		cell_text(sp, CELL_STRING, t->buf, t->len, flags);
		break;
	case CT_ERROR:
		cell_add(sp, CELL_ERROR, 0, v, t->len, flags);
		break;
	case CT_BOOL:
		cell_add(sp, CELL_BOOL, strcmp(v, "1") == 0 ||
		    strcmp(v, "true") == 0, NULL, 0, flags);
		break;
	case CT_DATE:
		if (xml_datetime(v, &d) == -1)
			cell_fail(sp, "not a date:", v);
		else
			cell_add(sp, CELL_DATE, d, NULL, 0, flags);
		break;
	case CT_NUMBER:
		cell_number(sp, v, flags);
		break;
	}
}

static void
row_begin(struct sheetparse *sp, const char **attrs)
{
	uint32_t r;

	r = attr_u32(xmlstream_attr(sp->x->xs, attrs, XMLNS_NONE, "r"), 0);
	sp->row = r > 0 ? r - 1 : sp->nextrow;
	sp->nextrow = sp->row + 1;
	sp->nextcol = 0;
}

static void
sheet_start(void *arg, int ns, const char *name, const char **attrs)
{
	struct sheetparse *sp = arg;

	if (ns != NS_MAIN)
		return;
	if (sp->in_cell) {
		if (strcmp(name, "v") == 0)
			sp->in_v = sp->has_value = 1;
		else if (strcmp(name, "f") == 0)
			sp->formula = 1;
		else if (strcmp(name, "is") == 0)
			sp->in_is = sp->has_value = 1;
		else if (strcmp(name, "rPh") == 0)
			sp->rph++;
		else if (strcmp(name, "t") == 0 && sp->in_is && sp->rph == 0)
			sp->in_t = 1;
	} else if (sp->in_data) {
		if (strcmp(name, "c") == 0)
			cell_begin(sp, attrs);
		else if (strcmp(name, "row") == 0)
			row_begin(sp, attrs);
	} else if (strcmp(name, "sheetData") == 0)
		sp->in_data = 1;
}

static void
sheet_end(void *arg, int ns, const char *name)
{
	struct sheetparse *sp = arg;

	if (ns != NS_MAIN)
		return;
	if (!sp->in_cell) {
		/* Validations, formatting, drawings: nothing intake reads. */
		if (strcmp(name, "sheetData") == 0)
			xmlstream_stop(sp->x->xs);
		return;
	}
	if (strcmp(name, "c") == 0)
		cell_finish(sp);
	else if (strcmp(name, "v") == 0)
		sp->in_v = 0;
	else if (strcmp(name, "is") == 0)
		sp->in_is = 0;
	else if (strcmp(name, "t") == 0)
		sp->in_t = 0;
	else if (strcmp(name, "rPh") == 0 && sp->rph > 0)
		sp->rph--;
}

static void
sheet_text(void *arg, const char *s, size_t len)
{
	struct sheetparse *sp = arg;

	if (sp->in_v || sp->in_t)
		collect(sp->x, s, len);
}

/*
 * The workbook as a whole.
 */

static int
parse_part(struct xlsx *x, const char *part,
    void (*start)(void *, int, const char *, const char **),
    void (*end)(void *, int, const char *),
    void (*text)(void *, const char *, size_t), void *arg,
    char *err, size_t errlen)
{
	const struct xmlstream_handlers h = { start, end, text };

	return xmlstream_parse_member(x->xs, x->zip, part, &h, arg, err,
	    errlen);
}

/* Finds the workbook part and the folder its rels are relative to. */
static int
find_workbook(struct xlsx *x, char *err, size_t errlen)
{
	const char *slash;

	if (zipfile_has(x->zip, XLSX_WORKBOOK))
		x->wbpart = strdup(XLSX_WORKBOOK);
	else if (zipfile_has(x->zip, XLSX_ROOT_RELS) &&
	    parse_part(x, XLSX_ROOT_RELS, root_rels_start, NULL, NULL, x,
	    err, errlen) == -1)
		return -1;
	if (x->wbpart == NULL || !zipfile_has(x->zip, x->wbpart)) {
		snprintf(err, errlen, "not an XLSX workbook (no %s)",
		    XLSX_WORKBOOK);
		return -1;
	}
	slash = strrchr(x->wbpart, '/');
	if ((x->wbdir = strndup(x->wbpart, slash != NULL ?
	    (size_t)(slash - x->wbpart + 1) : 0)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* xl/workbook.xml, then its rels: "xl/_rels/workbook.xml.rels". */
static int
read_workbook(struct xlsx *x, char *err, size_t errlen)
{
	struct wbparse wp = { x, NULL };
	char *rels;
	int rc;

	rc = parse_part(x, x->wbpart, wb_start, wb_end, wb_text, &wp, err,
	    errlen);
	free(wp.dname);
	if (rc == -1)
		return -1;
	if (asprintf(&rels, "%s_rels/%s.rels", x->wbdir,
	    x->wbpart + strlen(x->wbdir)) == -1) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (!zipfile_has(x->zip, rels)) {
		snprintf(err, errlen, "not an XLSX workbook (no %s)", rels);
		free(rels);
		return -1;
	}
	rc = parse_part(x, rels, wb_rels_start, NULL, NULL, x, err, errlen);
	free(rels);
	return rc;
}

static int
read_styles(struct xlsx *x, char *err, size_t errlen)
{
	struct styleparse sp = { x, 0 };

	if (x->stylepart == NULL)
		return 0;
	if (parse_part(x, x->stylepart, style_start, style_end, NULL, &sp, err,
	    errlen) == -1)
		return -1;
	if (styles_resolve(x) == -1) {
		snprintf(err, errlen, "out of memory reading styles");
		return -1;
	}
	return 0;
}

static int
read_sst(struct xlsx *x, char *err, size_t errlen)
{
	struct sstparse sp = { x, 0, 0, 0 };

	if (x->sstpart == NULL)
		return 0;
	return parse_part(x, x->sstpart, sst_start, sst_end, sst_text, &sp,
	    err, errlen);
}

static int
read_sheet(struct xlsx *x, const struct wbsheet *ws, char *err, size_t errlen)
{
	struct sheetparse sp;

	if (ws->part == NULL || !zipfile_has(x->zip, ws->part)) {
		snprintf(err, errlen, "sheet '%s' has no worksheet part in the "
		    "archive", ws->name);
		return -1;
	}
	memset(&sp, 0, sizeof(sp));
	sp.x = x;
	if ((sp.sheet = grid_sheet_add(x->grid, ws->name,
	    ws->hidden)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return parse_part(x, ws->part, sheet_start, sheet_end, sheet_text, &sp,
	    err, errlen);
}

static void
xlsx_clear(struct xlsx *x)
{
	size_t i;

	for (i = 0; i < x->nsheets; i++) {
		free(x->sheets[i].name);
		free(x->sheets[i].rid);
		free(x->sheets[i].part);
	}
	free(x->sheets);
	free(x->wbpart);
	free(x->wbdir);
	free(x->sstpart);
	free(x->stylepart);
	free(x->sst.data);
	free(x->sst.off);
	free(x->fmts);
	free(x->xfs);
	free(x->xfkind);
	xmltext_free(&x->text);
	xmlstream_free(x->xs);
	zipfile_close(x->zip);
}

static int
xlsx_parse(struct xlsx *x, char *err, size_t errlen)
{
	size_t i;

	if (find_workbook(x, err, errlen) == -1 ||
	    read_workbook(x, err, errlen) == -1 ||
	    read_styles(x, err, errlen) == -1 ||
	    read_sst(x, err, errlen) == -1)
		return -1;
	for (i = 0; i < x->nsheets; i++)
		if (read_sheet(x, &x->sheets[i], err, errlen) == -1)
			return -1;
	return 0;
}

static struct grid *
xlsx_read(const unsigned char *buf, size_t len, const struct limits *l,
    char *err, size_t errlen)
{
	struct xlsx x;
	struct grid *g;
	size_t textmax;

	memset(&x, 0, sizeof(x));
	x.limits = l;
	/* Room for every character of a cell to come as an escape. */
	textmax = l->cell_text < SIZE_MAX / (XLSX_ESCAPE_LEN + 1) ?
	    l->cell_text * XLSX_ESCAPE_LEN : SIZE_MAX / (XLSX_ESCAPE_LEN + 1);
	xmltext_init(&x.text, textmax);
	if ((x.zip = zipfile_open(buf, len, l, err, errlen)) == NULL)
		return NULL;
	if ((x.xs = xmlstream_new(l, xlsx_ns, sizeof(xlsx_ns) /
	    sizeof(xlsx_ns[0]))) == NULL ||
	    (x.grid = grid_new(GRID_FORMAT_XLSX)) == NULL) {
		snprintf(err, errlen, "out of memory");
		xlsx_clear(&x);
		grid_free(x.grid);
		return NULL;
	}
	g = x.grid;
	if (xlsx_parse(&x, err, errlen) == -1) {
		grid_free(g);
		g = NULL;
	}
	xlsx_clear(&x);
	return g;
}

const struct reader reader_xlsx = { GRID_FORMAT_XLSX, "xlsx", xlsx_read };
