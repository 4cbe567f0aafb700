/*
 * check_xlsx.c — the XLSX reader on files real writers made (openpyxl,
 * LibreOffice), on hand-made files that hold every odd corner of the
 * format, and on hostile files, each refused with its own words.  Files
 * too large to keep (a sheet of 1,000,001 cells) are built here with libzip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "testlib.h"
#include <zip.h>

#include "grid.h"
#include "reader.h"

#define FIXTURES	"tests/fixtures/"

#define OOXML	"http://schemas.openxmlformats.org/"
#define NS_MAIN	OOXML "spreadsheetml/2006/main"
#define NS_REL	OOXML "package/2006/relationships"
#define REL	OOXML "officeDocument/2006/relationships"

/* Reads a fixture under limits l (the defaults when NULL). */
static struct grid *
read_fixture(const char *name, const struct limits *l, char *err)
{
	struct limits def;
	unsigned char *buf;
	struct grid *g;
	size_t len;

	if (l == NULL) {
		limits_default(&def);
		l = &def;
	}
	buf = test_file_read(&len, FIXTURES "%s", name);
	g = reader_xlsx.read(buf, len, l, err, GRID_ERRLEN);
	free(buf);
	return g;
}

/* Builds a ZIP in memory from name, data pairs (NULL-ended), stored. */
static unsigned char *
build_zip(const char *const *members, size_t *len)
{
	zip_source_t *src, *m;
	zip_error_t ze;
	zip_int64_t idx;
	zip_t *za;
	unsigned char *buf;

	zip_error_init(&ze);
	ck_assert_ptr_nonnull(src = zip_source_buffer_create(NULL, 0, 0, &ze));
	ck_assert_ptr_nonnull(za = zip_open_from_source(src, ZIP_TRUNCATE,
	    &ze));
	zip_source_keep(src);
	for (; members[0] != NULL; members += 2) {
		ck_assert_ptr_nonnull(m = zip_source_buffer(za, members[1],
		    strlen(members[1]), 0));
		ck_assert((idx = zip_file_add(za, members[0], m, 0)) >= 0);
		/* Stored: big test sheets must not trip the ratio limit. */
		ck_assert_int_eq(zip_set_file_compression(za, (zip_uint64_t)idx,
		    ZIP_CM_STORE, 0), 0);
	}
	ck_assert_int_eq(zip_close(za), 0);
	ck_assert_int_eq(zip_source_open(src), 0);
	ck_assert_int_eq(zip_source_seek(src, 0, SEEK_END), 0);
	*len = (size_t)zip_source_tell(src);
	ck_assert_int_eq(zip_source_seek(src, 0, SEEK_SET), 0);
	ck_assert_ptr_nonnull(buf = malloc(*len));
	ck_assert(zip_source_read(src, buf, *len) == (zip_int64_t)*len);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	return buf;
}

/* A one-sheet workbook ("S") around sheetData, with shared strings or not. */
static struct grid *
read_built(const char *sheetdata, const char *sst, const struct limits *l,
    char *err)
{
	static const char wb[] = "<workbook xmlns='" NS_MAIN "' xmlns:r='" REL
	    "'><sheets><sheet name='S' sheetId='1' r:id='rId1'/></sheets>"
	    "</workbook>";
	const char *members[] = { "xl/workbook.xml", wb,
	    "xl/_rels/workbook.xml.rels", NULL, "xl/worksheets/sheet1.xml",
	    NULL, "xl/sharedStrings.xml", sst, NULL };
	struct limits def;
	unsigned char *buf;
	struct grid *g;
	char *sheet, *rels;
	size_t len;

	if (l == NULL) {
		limits_default(&def);
		l = &def;
	}
	ck_assert(asprintf(&rels, "<Relationships xmlns='" NS_REL "'>"
	    "<Relationship Id='rId1' Type='" REL "/worksheet' "
	    "Target='worksheets/sheet1.xml'/>%s</Relationships>", sst == NULL ?
	    "" : "<Relationship Id='rId2' Type='" REL "/sharedStrings' "
	    "Target='sharedStrings.xml'/>") != -1);
	ck_assert(asprintf(&sheet, "<worksheet xmlns='" NS_MAIN "'><sheetData>"
	    "%s</sheetData></worksheet>", sheetdata) != -1);
	members[3] = rels;
	members[5] = sheet;
	if (sst == NULL)
		members[6] = NULL;
	buf = build_zip(members, &len);
	g = reader_xlsx.read(buf, len, l, err, GRID_ERRLEN);
	free(buf);
	free(sheet);
	free(rels);
	return g;
}

static void
assert_date(const struct grid *g, const char *sheet, const char *ref,
    int y, int m, int d)
{
	const struct cell *c = test_cell_at(g, sheet, ref);
	int yy, mm, dd;

	ck_assert_msg(c != NULL && c->type == CELL_DATE, "%s: not a date", ref);
	ck_assert_int_eq(grid_date_ymd(c->number, &yy, &mm, &dd), 0);
	ck_assert_msg(yy == y && mm == m && dd == d, "%s: %d-%d-%d", ref, yy,
	    mm, dd);
}

/* Every corner of the format, as hand-written in make_xlsx_ods.py. */
START_TEST(handmade_values)
{
	const char *s = "Dữ liệu";
	char err[GRID_ERRLEN];
	struct grid *g;

	ck_assert_ptr_nonnull(g = read_fixture("xlsx/handmade.xlsx", NULL,
	    err));
	ck_assert_int_eq(g->format, GRID_FORMAT_XLSX);
	ck_assert_uint_eq(g->nsheets, 3);
	ck_assert_uint_eq(g->sheets[0].ncells, 38);
	/* Shared strings: plain, rich runs without the phonetic guide. */
	test_assert_text(g, s, "A1", CELL_STRING, "Tên đơn vị", 0);
	test_assert_text(g, s, "B1", CELL_STRING, "Liên hiệp các hội", 0);
	/* _xHHHH_: CR and U+0001 dropped, _x005F_ a literal underscore. */
	test_assert_text(g, s, "A2", CELL_STRING, "a\nbc_x0041_d\te", 0);
	test_assert_text(g, s, "E2", CELL_STRING, "\xf0\x9f\x98\x80", 0);
	test_assert_number(g, s, "B2", CELL_NUMBER, 52, 0);
	test_assert_number(g, s, "C2", CELL_BOOL, 1, 0);
	test_assert_number(g, s, "D2", CELL_BOOL, 0, 0);
	/* Inline strings, rich inline runs. */
	test_assert_text(g, s, "A3", CELL_STRING, "Xin chào", 0);
	test_assert_text(g, s, "B3", CELL_STRING, "Đà Nẵng", 0);
	/* An empty string, a styled cell with no value, an empty <v/>. */
	ck_assert_ptr_null(test_cell_at(g, s, "C3"));
	ck_assert_ptr_null(test_cell_at(g, s, "D3"));
	ck_assert_ptr_null(test_cell_at(g, s, "E3"));
	/* Formats: built-in date, percent, text; ISO date cell. */
	test_assert_number(g, s, "A4", CELL_DATE, 45366, 0);
	test_assert_number(g, s, "B4", CELL_NUMBER, 0.475, CELL_PERCENT);
	test_assert_text(g, s, "C4", CELL_STRING, "0912345678", CELL_TEXTFMT);
	test_assert_number(g, s, "D4", CELL_DATE, 45366.5, 0);
	assert_date(g, s, "D4", 2024, 3, 15);
	/* Formulas: cached value, none, error, string result, "" result. */
	test_assert_number(g, s, "A5", CELL_NUMBER, 104, CELL_FORMULA);
	test_assert_number(g, s, "B5", CELL_NOVALUE, 0, CELL_FORMULA);
	test_assert_text(g, s, "C5", CELL_ERROR, "#REF!", CELL_FORMULA);
	test_assert_text(g, s, "D5", CELL_STRING, "ab", CELL_FORMULA);
	test_assert_text(g, s, "E5", CELL_ERROR, "#N/A", 0);
	test_assert_text(g, s, "F5", CELL_STRING, "", CELL_FORMULA);
	/*
	 * Custom formats: date;@, [h], 0.0%, quoted, [Red], @, \%, locale,
	 * [h]:mm.
	 */
	test_assert_number(g, s, "A6", CELL_DATE, 45366.5, 0);
	test_assert_number(g, s, "B6", CELL_NUMBER, 1.5, 0);
	test_assert_number(g, s, "C6", CELL_NUMBER, 0.1, CELL_PERCENT);
	test_assert_number(g, s, "D6", CELL_NUMBER, 7, 0);
	test_assert_number(g, s, "E6", CELL_NUMBER, -3.25, 0);
	test_assert_number(g, s, "F6", CELL_NUMBER, 12, CELL_TEXTFMT);
	test_assert_number(g, s, "G6", CELL_NUMBER, 5, 0);
	test_assert_number(g, s, "H6", CELL_DATE, 45366, 0);
	test_assert_number(g, s, "I6", CELL_DATE, 1.25, 0);
	test_assert_number(g, s, "J6", CELL_DATE, 45366.75, 0);
	test_assert_number(g, s, "K6", CELL_NUMBER, 1, 0);
	/* Rows and cells without r count their positions. */
	test_assert_number(g, s, "A7", CELL_NUMBER, 1, 0);
	test_assert_number(g, s, "B7", CELL_NUMBER, 2, 0);
	test_assert_number(g, s, "E7", CELL_NUMBER, 5, 0);
	test_assert_number(g, s, "F7", CELL_NUMBER, 6, 0);
	test_assert_text(g, s, "A8", CELL_STRING, "no r", 0);
	test_assert_text(g, s, "A10", CELL_STRING, "_xok", 0);
	test_assert_number(g, s, "B10", CELL_NUMBER, 1500, 0);
	test_assert_number(g, s, "C10", CELL_NUMBER, -0.000123, 0);
	grid_free(g);
}
END_TEST

START_TEST(handmade_sheets_and_names)
{
	char err[GRID_ERRLEN];
	struct grid *g;

	ck_assert_ptr_nonnull(g = read_fixture("xlsx/handmade.xlsx", NULL,
	    err));
	/* Absolute, detoured and relative part targets all found. */
	ck_assert_str_eq(g->sheets[0].name, "Dữ liệu");
	ck_assert_int_eq(g->sheets[0].hidden, 0);
	ck_assert_str_eq(g->sheets[1].name, "Ẩn");
	ck_assert_int_eq(g->sheets[1].hidden, 1);
	ck_assert_str_eq(g->sheets[2].name, "Rất ẩn");
	ck_assert_int_eq(g->sheets[2].hidden, 1);
	test_assert_text(g, "Ẩn", "B1", CELL_STRING, "abc123", 0);
	test_assert_text(g, "Rất ẩn", "A3", CELL_STRING, "Không biết", 0);
	ck_assert_uint_eq(g->nnames, 5);
	test_assert_name(g, "q_one", "Dữ liệu", "B2", "B2");
	test_assert_name(g, "Q_ONE", "Dữ liệu", "B2", "B2");
	test_assert_name(g, "q_range", "Rất ẩn", "A1", "A3");
	test_assert_name(g, "q_local", "Dữ liệu", "C3", "C3");
	test_assert_name(g, "q_plain", "Ẩn", "B1", "B1");
	test_assert_name(g, "q_quote", "It's", "A1", "A1");
	ck_assert_ptr_null(grid_name_find(g, "_xlnm.Print_Area"));
	ck_assert_ptr_null(grid_name_find(g, "q_ref"));
	ck_assert_ptr_null(grid_name_find(g, "q_refsheet"));
	ck_assert_ptr_null(grid_name_find(g, "q_formula"));
	ck_assert_ptr_null(grid_name_find(g, "q_union"));
	ck_assert_ptr_null(grid_name_find(g, "q_col"));
	ck_assert_ptr_null(grid_name_find(g, "q_ext"));
	grid_free(g);
}
END_TEST

/* Strict OOXML, the workbook found through _rels/.rels, 1904 dates. */
START_TEST(strict_elsewhere)
{
	char err[GRID_ERRLEN];
	struct grid *g;

	ck_assert_ptr_nonnull(g = read_fixture("xlsx/strict.xlsx", NULL, err));
	ck_assert_uint_eq(g->nsheets, 1);
	test_assert_number(g, "Strict", "B2", CELL_NUMBER, 42, 0);
	/* An ISO date is a date whatever the workbook's date system. */
	assert_date(g, "Strict", "C2", 2024, 2, 29);
	grid_free(g);
}
END_TEST

START_TEST(openpyxl_file)
{
	const char *s = "Phiếu khảo sát";
	char err[GRID_ERRLEN];
	struct grid *g;

	ck_assert_ptr_nonnull(g = read_fixture("xlsx/openpyxl.xlsx", NULL,
	    err));
	ck_assert_uint_eq(g->nsheets, 3);
	ck_assert_int_eq(g->sheets[0].hidden, 0);
	ck_assert_int_eq(g->sheets[1].hidden, 1);	/* hidden */
	ck_assert_int_eq(g->sheets[2].hidden, 1);	/* veryHidden */
	test_assert_text(g, s, "E3", CELL_STRING,
	    "Liên hiệp các hội KH&KT tỉnh Bắc Giang", 0);
	test_assert_number(g, s, "E4", CELL_NUMBER, 52, 0);
	test_assert_number(g, s, "E5", CELL_NUMBER, 1250.75, 0);
	test_assert_number(g, s, "E6", CELL_BOOL, 1, 0);
	assert_date(g, s, "E7", 2024, 3, 15);
	test_assert_number(g, s, "E8", CELL_NUMBER, 0.475, CELL_PERCENT);
	/* openpyxl saves formulas without computing them. */
	test_assert_number(g, s, "E9", CELL_NOVALUE, 0, CELL_FORMULA);
	test_assert_text(g, s, "E10", CELL_ERROR, "#REF!", 0);
	test_assert_text(g, s, "E11", CELL_STRING, "0912345678", CELL_TEXTFMT);
	assert_date(g, s, "E12", 2024, 12, 31);
	/* A date typed as text stays text: intake reads it. */
	test_assert_text(g, s, "E14", CELL_STRING, "15/03/2024", 0);
	test_assert_name(g, "q_ten", s, "E3", "E3");
	test_assert_name(g, "q_so", s, "E4", "E4");
	test_assert_name(g, "ds_co_khong", "_lists", "A1", "A3");
	grid_free(g);
}
END_TEST

START_TEST(libreoffice_file)
{
	const char *s = "Phiếu khảo sát";
	char err[GRID_ERRLEN];
	struct grid *g;

	ck_assert_ptr_nonnull(g = read_fixture("xlsx/libreoffice.xlsx", NULL,
	    err));
	ck_assert_uint_eq(g->nsheets, 3);
	ck_assert_int_eq(g->sheets[1].hidden, 1);
	ck_assert_int_eq(g->sheets[2].hidden, 1);
	test_assert_text(g, s, "B3", CELL_STRING, "Tên đơn vị", 0);
	test_assert_number(g, s, "E4", CELL_NUMBER, 52, 0);
	assert_date(g, s, "E7", 2024, 3, 15);
	test_assert_number(g, s, "E8", CELL_NUMBER, 0.475, CELL_PERCENT);
	/* LibreOffice computed and saved the formulas' results. */
	test_assert_number(g, s, "E9", CELL_NUMBER, 104, CELL_FORMULA);
	test_assert_text(g, s, "E10", CELL_ERROR, "#REF!", CELL_FORMULA);
	test_assert_text(g, s, "E13", CELL_ERROR, "#DIV/0!", CELL_FORMULA);
	test_assert_text(g, s, "E14", CELL_STRING, "15/03/2024", 0);
	test_assert_text(g, s, "E11", CELL_STRING, "0912345678", CELL_TEXTFMT);
	test_assert_text(g, "_lists", "A2", CELL_STRING, "Không", 0);
	test_assert_name(g, "q_so", s, "E4", "E4");
	test_assert_name(g, "ds_co_khong", "_lists", "A1", "A3");
	grid_free(g);
}
END_TEST

START_TEST(date1904_file)
{
	char err[GRID_ERRLEN];
	struct grid *g;

	ck_assert_ptr_nonnull(g = read_fixture("xlsx/date1904.xlsx", NULL,
	    err));
	/* Stored as 43904 in the 1904 system; the grid counts from 1900. */
	test_assert_number(g, "Mac", "A1", CELL_DATE, 45366, 0);
	assert_date(g, "Mac", "A1", 2024, 3, 15);
	/* Plain numbers are not shifted. */
	test_assert_number(g, "Mac", "A2", CELL_NUMBER, 7, 0);
	grid_free(g);
}
END_TEST

START_TEST(reply30_file)
{
	char err[GRID_ERRLEN], name[16], ref[16];
	const struct grid_name *n;
	struct grid *g;
	int i;

	ck_assert_ptr_nonnull(g = read_fixture("xlsx/reply30.xlsx", NULL, err));
	ck_assert_uint_eq(g->nnames, 30);
	for (i = 1; i <= 30; i++) {
		snprintf(name, sizeof(name), "q_f%02d", i);
		ck_assert_ptr_nonnull(n = grid_name_find(g, name));
		ck_assert_str_eq(n->sheet, "Phiếu khảo sát");
		ck_assert_uint_eq(n->row1, (uint32_t)i + 2);
		ck_assert_uint_eq(n->col1, 4);
		snprintf(ref, sizeof(ref), "A%d", i + 3);
		snprintf(name, sizeof(name), "f%02d", i);
		test_assert_text(g, "Phiếu khảo sát", ref, CELL_STRING, name, 0);
	}
	test_assert_text(g, "Phiếu khảo sát", "E4", CELL_STRING, "Đồng ý", 0);
	test_assert_number(g, "Phiếu khảo sát", "E5", CELL_NUMBER, 7, 0);
	test_assert_text(g, "_surveyd", "B4", CELL_STRING, "k3J9x", 0);
	ck_assert_int_eq(grid_sheet_find(g, "_surveyd")->hidden, 1);
	grid_free(g);
}
END_TEST

/* Each hostile file: refused, nothing returned, its own words. */
START_TEST(hostile_files)
{
	static const struct {
		const char	*file;
		const char	*err;
	} cases[] = {
		{ "hostile/empty.xlsx", "empty file, not a ZIP archive" },
		{ "hostile/pdf.xlsx",
		    "not a ZIP archive (truncated or corrupt)" },
		{ "hostile/png.xlsx",
		    "not a ZIP archive (truncated or corrupt)" },
		{ "hostile/truncated.xlsx",
		    "not a ZIP archive (truncated or corrupt)" },
		{ "hostile/bomb.xlsx", "ZIP member 'xl/worksheets/sheet1.xml' "
		    "inflates past 200:1 (a ZIP bomb?)" },
		{ "hostile/declares_1gb.xlsx", "ZIP member "
		    "'xl/worksheets/sheet1.xml' declares 1073741824 bytes, "
		    "over the limit of 104857600 inflated bytes "
		    "(a ZIP bomb?)" },
		{ "hostile/liar.xlsx", "ZIP member 'xl/worksheets/sheet1.xml' "
		    "inflates past its declared size "
		    "(corrupt, or a ZIP bomb?)" },
		{ "hostile/overlap.xlsx", "ZIP member "
		    "'xl/worksheets/sheet105.xml' would take the archive past "
		    "104857600 inflated bytes (a ZIP bomb?)" },
		{ "hostile/doctype.xlsx", "'xl/worksheets/sheet1.xml': "
		    "XML with a DOCTYPE is refused (entity expansion)" },
		{ "hostile/deep.xlsx", "XML in 'xl/worksheets/sheet1.xml' "
		    "nests deeper than 256 elements (line 2)" },
		{ "hostile/bigcell.xlsx", "sheet 'Sheet1', cell A1: "
		    "text longer than 32768 bytes" },
		{ "ods/handmade.ods",
		    "not an XLSX workbook (no xl/workbook.xml)" },
	};
	char err[GRID_ERRLEN];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(read_fixture(cases[i].file, NULL, err) == NULL,
		    "%s was read", cases[i].file);
		ck_assert_str_eq(err, cases[i].err);
	}
}
END_TEST

/* One row of n cells "<c><v>1</v></c>", no references. */
static char *
row_of(size_t n)
{
	static const char one[] = "<c><v>1</v></c>";
	char *s, *p;
	size_t i;

	ck_assert_ptr_nonnull(s = malloc(n * (sizeof(one) - 1) + 12));
	p = stpcpy(s, "<row>");
	for (i = 0; i < n; i++)
		p = stpcpy(p, one);
	strcpy(p, "</row>");
	return s;
}

START_TEST(million_and_one_cells)
{
	char err[GRID_ERRLEN];
	char *row;

	row = row_of(1000001);
	ck_assert_ptr_null(read_built(row, NULL, NULL, err));
	ck_assert_str_eq(err, "sheet 'S' has more than 1000000 cells");
	free(row);
}
END_TEST

START_TEST(limits_exact)
{
	struct limits l;
	char err[GRID_ERRLEN];
	struct grid *g;
	char *row;

	limits_default(&l);
	l.sheet_cells = 10;
	row = row_of(10);
	ck_assert_ptr_nonnull(g = read_built(row, NULL, &l, err));
	ck_assert_uint_eq(g->sheets[0].ncells, 10);
	test_assert_number(g, "S", "J1", CELL_NUMBER, 1, 0);
	grid_free(g);
	free(row);
	row = row_of(11);
	ck_assert_ptr_null(read_built(row, NULL, &l, err));
	ck_assert_str_eq(err, "sheet 'S' has more than 10 cells");
	free(row);

	/* Text: the limit is on the decoded text, escapes and all. */
	limits_default(&l);
	l.cell_text = 10;
	ck_assert_ptr_nonnull(g = read_built("<row><c t='inlineStr'><is><t>"
	    "_x0041__x0042__x0043__x0044__x0045_FGHIJ</t></is></c></row>",
	    NULL, &l, err));
	test_assert_text(g, "S", "A1", CELL_STRING, "ABCDEFGHIJ", 0);
	grid_free(g);
	ck_assert_ptr_null(read_built("<row><c t='s'><v>0</v></c></row>",
	    "<sst xmlns='" NS_MAIN "'><si><t>ABCDEFGHIJK</t></si></sst>", &l,
	    err));
	ck_assert_str_eq(err, "sheet 'S', cell A1: text longer than 10 bytes");
}
END_TEST

START_TEST(workbook_limits)
{
	struct limits l;
	char err[GRID_ERRLEN];

	limits_default(&l);
	l.sheets = 2;
	ck_assert_ptr_null(read_fixture("xlsx/handmade.xlsx", &l, err));
	ck_assert_str_eq(err, "workbook has more than 2 sheets");
	limits_default(&l);
	l.xml_depth = 3;
	ck_assert_ptr_null(read_fixture("xlsx/handmade.xlsx", &l, err));
	ck_assert_str_eq(err, "XML in 'xl/sharedStrings.xml' nests deeper than "
	    "3 elements (line 4)");
}
END_TEST

START_TEST(corrupt_cells)
{
	static const struct {
		const char	*row;
		const char	*err;
	} cases[] = {
		{ "<row><c r='B2'><v>12abc</v></c></row>",
		    "sheet 'S', cell B2: not a number: '12abc'" },
		{ "<row><c r='C1'><v>inf</v></c></row>",
		    "sheet 'S', cell C1: not a number: 'inf'" },
		{ "<row><c r='A1' t='s'><v>7</v></c></row>",
		    "sheet 'S', cell A1: no such shared string '7'" },
		{ "<row><c r='A1' t='d'><v>2024-02-30</v></c></row>",
		    "sheet 'S', cell A1: not a date: '2024-02-30'" },
		{ "<row><c r='A1' t='x'><v>1</v></c></row>",
		    "sheet 'S', cell A1: unknown cell type 'x'" },
		{ "<row><c r='A0'><v>1</v></c></row>",
		    "sheet 'S': bad cell reference 'A0'" },
		{ "<row><c><v>1</v></row>", "XML error in "
		    "'xl/worksheets/sheet1.xml' at line 1: mismatched tag" },
		{ "<row><c><v>\xff</v></c></row>", "XML error in "
		    "'xl/worksheets/sheet1.xml' at line 1: not well-formed "
		    "(invalid token)" },
	};
	char err[GRID_ERRLEN];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_ptr_null(read_built(cases[i].row, NULL, NULL, err));
		ck_assert_str_eq(err, cases[i].err);
	}
}
END_TEST

static Suite *
xlsx_suite(void)
{
	Suite *s = suite_create("xlsx");
	TCase *tc = tcase_create("core");

	/* A million cells under valgrind takes its time. */
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, handmade_values);
	tcase_add_test(tc, handmade_sheets_and_names);
	tcase_add_test(tc, strict_elsewhere);
	tcase_add_test(tc, openpyxl_file);
	tcase_add_test(tc, libreoffice_file);
	tcase_add_test(tc, date1904_file);
	tcase_add_test(tc, reply30_file);
	tcase_add_test(tc, hostile_files);
	tcase_add_test(tc, million_and_one_cells);
	tcase_add_test(tc, limits_exact);
	tcase_add_test(tc, workbook_limits);
	tcase_add_test(tc, corrupt_cells);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_suite_run(xlsx_suite());
}
