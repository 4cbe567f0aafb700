/*
 * check_ods.c — the ODS reader on LibreOffice's own files, on a hand-made
 * file holding the format's corners (repeats, paragraphs and spaces,
 * errors, styles kept in styles.xml, named ranges and expressions), and on
 * hostile files; small content.xml cases are zipped here with libzip.
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

#define ODF	"urn:oasis:names:tc:opendocument:xmlns:"
#define ODS_NS	"xmlns:office='" ODF "office:1.0' " \
	"xmlns:table='" ODF "table:1.0' xmlns:text='" ODF "text:1.0'"

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
	g = reader_ods.read(buf, len, l, err, GRID_ERRLEN);
	free(buf);
	return g;
}

/* An ODS in memory whose one table "T" holds rows. */
static struct grid *
read_built(const char *rows, const struct limits *l, char *err)
{
	zip_source_t *src, *m;
	zip_error_t ze;
	zip_t *za;
	struct limits def;
	unsigned char *buf;
	struct grid *g;
	char *content;
	size_t len;

	if (l == NULL) {
		limits_default(&def);
		l = &def;
	}
	ck_assert(asprintf(&content, "<office:document-content " ODS_NS ">"
	    "<office:body><office:spreadsheet><table:table table:name='T'>%s"
	    "</table:table></office:spreadsheet></office:body>"
	    "</office:document-content>", rows) != -1);
	zip_error_init(&ze);
	ck_assert_ptr_nonnull(src = zip_source_buffer_create(NULL, 0, 0, &ze));
	ck_assert_ptr_nonnull(za = zip_open_from_source(src, ZIP_TRUNCATE,
	    &ze));
	zip_source_keep(src);
	ck_assert_ptr_nonnull(m = zip_source_buffer(za, content,
	    strlen(content), 0));
	ck_assert(zip_file_add(za, "content.xml", m, 0) == 0);
	ck_assert_int_eq(zip_close(za), 0);
	ck_assert_int_eq(zip_source_open(src), 0);
	ck_assert_int_eq(zip_source_seek(src, 0, SEEK_END), 0);
	len = (size_t)zip_source_tell(src);
	ck_assert_int_eq(zip_source_seek(src, 0, SEEK_SET), 0);
	ck_assert_ptr_nonnull(buf = malloc(len));
	ck_assert(zip_source_read(src, buf, len) == (zip_int64_t)len);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	g = reader_ods.read(buf, len, l, err, GRID_ERRLEN);
	free(buf);
	free(content);
	return g;
}

START_TEST(handmade_values)
{
	const char *s = "Phiếu khảo sát";
	char err[GRID_ERRLEN];
	struct grid *g;
	int y, m, d;

	ck_assert_ptr_nonnull(g = read_fixture("ods/handmade.ods", NULL, err));
	ck_assert_int_eq(g->format, GRID_FORMAT_ODS);
	ck_assert_uint_eq(g->sheets[0].ncells, 27);
	/* Spans are part of the paragraph; empty repeats only move on. */
	test_assert_text(g, s, "A1", CELL_STRING, "Tên đơn vị", 0);
	test_assert_number(g, s, "D1", CELL_NUMBER, 52, 0);
	test_assert_number(g, s, "A4", CELL_NUMBER, 0.475, CELL_PERCENT);
	test_assert_number(g, s, "B4", CELL_NUMBER, 1250000, 0);
	test_assert_number(g, s, "C4", CELL_DATE, 45366, 0);
	test_assert_number(g, s, "D4", CELL_DATE, 45366.75, 0);
	ck_assert_int_eq(grid_date_ymd(test_cell_at(g, s, "D4")->number, &y, &m,
	    &d), 0);
	ck_assert(y == 2024 && m == 3 && d == 15);
	test_assert_number(g, s, "E4", CELL_DATE, 0.4375, 0);
	test_assert_number(g, s, "F4", CELL_BOOL, 1, 0);
	test_assert_number(g, s, "G4", CELL_BOOL, 0, 0);
	/* text:s, text:tab, text:line-break; paragraphs joined by newlines. */
	test_assert_text(g, s, "A5", CELL_STRING, "a   b\tc\nd\nsecond", 0);
	/* An annotation's text is not the cell's. */
	test_assert_text(g, s, "B5", CELL_STRING, "visible x", 0);
	test_assert_number(g, s, "C5", CELL_NUMBER, 104, CELL_FORMULA);
	test_assert_number(g, s, "D5", CELL_NOVALUE, 0, CELL_FORMULA);
	test_assert_text(g, s, "E5", CELL_ERROR, "#REF!", CELL_FORMULA);
	test_assert_text(g, s, "F5", CELL_ERROR, "Err:502", CELL_FORMULA);
	test_assert_text(g, s, "G5", CELL_ERROR, "#DIV/0!", CELL_FORMULA);
	test_assert_text(g, s, "H5", CELL_STRING, "from attr", 0);
	/* A row repeated twice, a cell repeated three times, a covered cell. */
	test_assert_number(g, s, "A6", CELL_NUMBER, 1, 0);
	test_assert_number(g, s, "C7", CELL_NUMBER, 1, 0);
	ck_assert_ptr_null(test_cell_at(g, s, "D6"));
	test_assert_text(g, s, "E6", CELL_STRING, "Đồng ý", 0);
	test_assert_text(g, s, "E7", CELL_STRING, "Đồng ý", 0);
	/* Typed text, and a typed "#REF!" that no formula made. */
	test_assert_text(g, s, "A8", CELL_STRING, "typed, no type", 0);
	test_assert_text(g, s, "B8", CELL_STRING, "#REF!", 0);
	ck_assert_ptr_null(test_cell_at(g, s, "C8"));
	ck_assert_ptr_null(test_cell_at(g, s, "D8"));
	grid_free(g);
}
END_TEST

START_TEST(handmade_sheets_and_names)
{
	char err[GRID_ERRLEN];
	struct grid *g;

	ck_assert_ptr_nonnull(g = read_fixture("ods/handmade.ods", NULL, err));
	ck_assert_uint_eq(g->nsheets, 3);
	ck_assert_int_eq(g->sheets[0].hidden, 0);
	/* Hidden by an automatic style in content.xml ... */
	ck_assert_str_eq(g->sheets[1].name, "_surveyd");
	ck_assert_int_eq(g->sheets[1].hidden, 1);
	/* ... and by a style kept in styles.xml. */
	ck_assert_str_eq(g->sheets[2].name, "_lists");
	ck_assert_int_eq(g->sheets[2].hidden, 1);
	/* Rows inside header-rows and row-group count like any other. */
	test_assert_text(g, "_lists", "A1", CELL_STRING, "Có", 0);
	test_assert_text(g, "_lists", "A3", CELL_STRING, "Không biết", 0);
	ck_assert_uint_eq(g->nnames, 6);
	test_assert_name(g, "local_one", "_surveyd", "B1", "B1");
	test_assert_name(g, "q_one", "Phiếu khảo sát", "D1", "D1");
	test_assert_name(g, "q_list", "_lists", "A1", "A3");
	test_assert_name(g, "q_full", "_lists", "A1", "A3");
	test_assert_name(g, "q_quote", "It's", "B2", "B2");
	test_assert_name(g, "q_expr", "Phiếu khảo sát", "A4", "A4");
	ck_assert_ptr_null(grid_name_find(g, "q_multi"));
	ck_assert_ptr_null(grid_name_find(g, "q_cross"));
	ck_assert_ptr_null(grid_name_find(g, "q_ref"));
	ck_assert_ptr_null(grid_name_find(g, "q_calc"));
	grid_free(g);
}
END_TEST

START_TEST(libreoffice_file)
{
	const char *s = "Phiếu khảo sát";
	char err[GRID_ERRLEN];
	struct grid *g;

	ck_assert_ptr_nonnull(g = read_fixture("ods/libreoffice.ods", NULL,
	    err));
	ck_assert_uint_eq(g->nsheets, 3);
	ck_assert_int_eq(g->sheets[0].hidden, 0);
	ck_assert_int_eq(g->sheets[1].hidden, 1);
	ck_assert_int_eq(g->sheets[2].hidden, 1);
	ck_assert_uint_eq(g->sheets[0].ncells, 14);
	test_assert_text(g, s, "A1", CELL_STRING,
	    "Phiếu khảo sát hoạt động Liên hiệp hội", 0);
	test_assert_number(g, s, "E4", CELL_NUMBER, 52, 0);
	test_assert_number(g, s, "E5", CELL_NUMBER, 1250.75, 0);
	test_assert_number(g, s, "E7", CELL_DATE, 45366, 0);
	test_assert_number(g, s, "E8", CELL_NUMBER, 0.475, CELL_PERCENT);
	test_assert_number(g, s, "E9", CELL_NUMBER, 104, CELL_FORMULA);
	test_assert_text(g, s, "E10", CELL_ERROR, "#REF!", CELL_FORMULA);
	test_assert_text(g, s, "E11", CELL_STRING, "0912345678", 0);
	test_assert_number(g, s, "E12", CELL_DATE, 45657, 0);
	test_assert_text(g, s, "E13", CELL_ERROR, "#DIV/0!", CELL_FORMULA);
	/* A date typed as text stays text: intake reads it. */
	test_assert_text(g, s, "E14", CELL_STRING, "15/03/2024", 0);
	test_assert_text(g, "_surveyd", "B1", CELL_STRING, "abc123", 0);
	test_assert_name(g, "q_ten", s, "E3", "E3");
	test_assert_name(g, "ds_co_khong", "_lists", "A1", "A3");
	grid_free(g);
}
END_TEST

START_TEST(reply30_file)
{
	char err[GRID_ERRLEN], name[16];
	const struct grid_name *n;
	struct grid *g;
	int i;

	ck_assert_ptr_nonnull(g = read_fixture("ods/reply30.ods", NULL, err));
	ck_assert_uint_eq(g->nnames, 30);
	for (i = 1; i <= 30; i++) {
		snprintf(name, sizeof(name), "q_f%02d", i);
		ck_assert_ptr_nonnull(n = grid_name_find(g, name));
		ck_assert_uint_eq(n->row1, (uint32_t)i + 2);
		ck_assert_uint_eq(n->col1, 4);
	}
	test_assert_text(g, "Phiếu khảo sát", "E4", CELL_STRING, "Đồng ý", 0);
	test_assert_number(g, "Phiếu khảo sát", "E5", CELL_NUMBER, 7, 0);
	ck_assert_int_eq(grid_sheet_find(g, "_surveyd")->hidden, 1);
	grid_free(g);
}
END_TEST

START_TEST(hostile_files)
{
	static const struct {
		const char	*file;
		const char	*err;
	} cases[] = {
		{ "hostile/repeat.ods", "sheet 'Sheet1' has more than 1000000 "
		    "cells" },
		{ "hostile/repeat_rows.ods", "sheet 'Sheet1' has more than "
		    "1000000 cells" },
		{ "hostile/doctype.ods", "'content.xml': XML with a DOCTYPE is "
		    "refused (entity expansion)" },
		{ "hostile/bigcell.ods", "sheet 'Sheet1', cell A1: text longer "
		    "than 32768 bytes" },
		{ "hostile/empty.xlsx", "empty file, not a ZIP archive" },
		{ "hostile/pdf.xlsx",
		    "not a ZIP archive (truncated or corrupt)" },
		{ "xlsx/handmade.xlsx",
		    "not an ODS spreadsheet (no content.xml)" },
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

/* Repeats count toward the limit exactly: rows times columns. */
START_TEST(repeat_limits_exact)
{
	static const char rows[] = "<table:table-row "
	    "table:number-rows-repeated='2'><table:table-cell "
	    "table:number-columns-repeated='3' office:value-type='float' "
	    "office:value='2'/></table:table-row>";
	struct limits l;
	char err[GRID_ERRLEN];
	struct grid *g;

	limits_default(&l);
	l.sheet_cells = 6;
	ck_assert_ptr_nonnull(g = read_built(rows, &l, err));
	ck_assert_uint_eq(g->sheets[0].ncells, 6);
	test_assert_number(g, "T", "C2", CELL_NUMBER, 2, 0);
	grid_free(g);
	l.sheet_cells = 5;
	ck_assert_ptr_null(read_built(rows, &l, err));
	ck_assert_str_eq(err, "sheet 'T' has more than 5 cells");
	/* An empty cell repeated a billion times costs nothing. */
	limits_default(&l);
	ck_assert_ptr_nonnull(g = read_built("<table:table-row "
	    "table:number-rows-repeated='1000000000'><table:table-cell "
	    "table:number-columns-repeated='1000000000'/></table:table-row>"
	    "<table:table-row><table:table-cell table:number-columns-repeated="
	    "'16383'/><table:table-cell office:value-type='string'><text:p>z"
	    "</text:p></table:table-cell></table:table-row>", &l, err));
	ck_assert_uint_eq(g->sheets[0].ncells, 1);
	ck_assert_uint_eq(g->sheets[0].cells[0].row, 1000000000);
	ck_assert_uint_eq(g->sheets[0].cells[0].col, 16383);
	grid_free(g);
}
END_TEST

START_TEST(text_limits)
{
	struct limits l;
	char err[GRID_ERRLEN];
	struct grid *g;

	limits_default(&l);
	l.cell_text = 5;
	g = read_built("<table:table-row><table:table-cell "
	    "office:value-type='string'><text:p>ab<text:s text:c='3'/>"
	    "</text:p></table:table-cell></table:table-row>", &l, err);
	ck_assert_ptr_nonnull(g);
	test_assert_text(g, "T", "A1", CELL_STRING, "ab   ", 0);
	grid_free(g);
	/* A space run asking for a billion spaces stops at the limit. */
	ck_assert_ptr_null(read_built("<table:table-row><table:table-cell "
	    "office:value-type='string'><text:p>ab<text:s "
	    "text:c='1000000000'/></text:p></table:table-cell>"
	    "</table:table-row>", &l, err));
	ck_assert_str_eq(err, "sheet 'T', cell A1: text longer than 5 bytes");
}
END_TEST

/* ODF white space: runs are one space, none at a paragraph's ends. */
START_TEST(paragraph_spaces)
{
	char err[GRID_ERRLEN];
	struct grid *g;

	g = read_built("<table:table-row><table:table-cell "
	    "office:value-type='string'><text:p>\n  lead \t and\n  <text:span>"
	    "  collapse</text:span>  <text:s/>end  </text:p></table:table-cell>"
	    "</table:table-row>", NULL, err);
	ck_assert_ptr_nonnull(g);
	test_assert_text(g, "T", "A1", CELL_STRING, "lead and collapse  end", 0);
	grid_free(g);
}
END_TEST

/* A table drawn in a cell is neither a sheet nor the end of this one. */
START_TEST(table_in_cell)
{
	char err[GRID_ERRLEN];
	struct grid *g;

	g = read_built("<table:table-row><table:table-cell "
	    "office:value-type='string'><text:p>outer</text:p><table:table "
	    "table:name='inner'><table:table-row><table:table-cell "
	    "office:value-type='float' office:value='9'/></table:table-row>"
	    "</table:table></table:table-cell></table:table-row>"
	    "<table:table-row><table:table-cell office:value-type='float' "
	    "office:value='2'/></table:table-row>", NULL, err);
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->nsheets, 1);
	ck_assert_uint_eq(g->sheets[0].ncells, 2);
	test_assert_text(g, "T", "A1", CELL_STRING, "outer", 0);
	test_assert_number(g, "T", "A2", CELL_NUMBER, 2, 0);
	grid_free(g);
}
END_TEST

START_TEST(corrupt_cells)
{
	static const struct {
		const char	*rows;
		const char	*err;
	} cases[] = {
		{ "<table:table-row><table:table-cell/><table:table-cell "
		    "office:value-type='float' office:value='1,5'/>"
		    "</table:table-row>",
		    "sheet 'T', cell B1: not a number: '1,5'" },
		{ "<table:table-row><table:table-cell office:value-type='date' "
		    "office:date-value='15/03/2024'/></table:table-row>",
		    "sheet 'T', cell A1: not a date: '15/03/2024'" },
		{ "<table:table-row><table:table-cell office:value-type='time' "
		    "office:time-value='10:30'/></table:table-row>",
		    "sheet 'T', cell A1: not a time: '10:30'" },
		{ "<table:table-row><table:table-cell></table:table-row>",
		    "XML error in 'content.xml' at line 1: mismatched tag" },
	};
	char err[GRID_ERRLEN];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_ptr_null(read_built(cases[i].rows, NULL, err));
		ck_assert_str_eq(err, cases[i].err);
	}
}
END_TEST

static Suite *
ods_suite(void)
{
	Suite *s = suite_create("ods");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, handmade_values);
	tcase_add_test(tc, handmade_sheets_and_names);
	tcase_add_test(tc, libreoffice_file);
	tcase_add_test(tc, reply30_file);
	tcase_add_test(tc, hostile_files);
	tcase_add_test(tc, repeat_limits_exact);
	tcase_add_test(tc, text_limits);
	tcase_add_test(tc, paragraph_spaces);
	tcase_add_test(tc, table_in_cell);
	tcase_add_test(tc, corrupt_cells);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_suite_run(ods_suite());
}
