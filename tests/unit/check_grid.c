/*
 * check_grid.c — cell references, date serials, content sniffing, and the
 * wire encoding between the parser child and its parent.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "testlib.h"

#include "grid.h"

START_TEST(cellrefs)
{
	char buf[GRID_CELLREF_LEN];
	uint32_t r, c;

	ck_assert_str_eq(grid_cellref_format(buf, 0, 0), "A1");
	ck_assert_str_eq(grid_cellref_format(buf, 6, 4), "E7");
	ck_assert_str_eq(grid_cellref_format(buf, 9, 26), "AA10");
	ck_assert_str_eq(grid_cellref_format(buf, 0, 16383), "XFD1");
	ck_assert_int_eq(grid_cellref_parse("$E$7", &r, &c), 0);
	ck_assert(r == 6 && c == 4);
	ck_assert_int_eq(grid_cellref_parse("AA10", &r, &c), 0);
	ck_assert(r == 9 && c == 26);
	ck_assert_int_eq(grid_cellref_parse("E0", &r, &c), -1);
	ck_assert_int_eq(grid_cellref_parse("7E", &r, &c), -1);
	ck_assert_int_eq(grid_cellref_parse("ABCD1", &r, &c), -1);
	ck_assert_int_eq(grid_cellref_parse("A99999999", &r, &c), -1);
}
END_TEST

START_TEST(date_serials)
{
	int y, m, d;

	ck_assert_double_eq(grid_date_serial(2023, 6, 12), 45089);
	ck_assert_double_eq(grid_date_serial(1900, 3, 1), 61);
	ck_assert_int_eq(grid_date_ymd(45089.75, &y, &m, &d), 0);
	ck_assert(y == 2023 && m == 6 && d == 12);
	ck_assert_int_eq(grid_date_ymd(1e9, &y, &m, &d), -1);
}
END_TEST

START_TEST(sniffing)
{
	ck_assert_int_eq(grid_format_detect((const unsigned char *)
	    "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1xxxx", 12), GRID_FORMAT_XLS);
	ck_assert_int_eq(grid_format_detect((const unsigned char *)"a;b\n1;2\n",
	    8), GRID_FORMAT_CSV);
	ck_assert_int_eq(grid_format_detect((const unsigned char *)"%PDF-1.7",
	    8), GRID_FORMAT_UNKNOWN);
	ck_assert_int_eq(grid_format_detect((const unsigned char *)"a\0b", 3),
	    GRID_FORMAT_UNKNOWN);
}
END_TEST

START_TEST(wire_round_trip)
{
	struct grid *g = grid_new(GRID_FORMAT_ZIP), *h;
	struct sheet *s;
	unsigned char *buf;
	size_t len, cut;

	g->inner = GRID_FORMAT_ODS;
	s = grid_sheet_add(g, "Phiếu", 0);
	sheet_cell_add(s, 4, 4, CELL_NUMBER, 47.5, NULL, CELL_PERCENT);
	sheet_cell_add(s, 5, 4, CELL_STRING, 0, strdup("Sơn La"), 0);
	sheet_cell_add(s, 6, 4, CELL_ERROR, 0, strdup("#REF!"), CELL_FORMULA);
	grid_sheet_add(g, "_surveyd", 1);
	grid_name_add(g, "q_count", "Phiếu", 4, 4, 4, 4);
	ck_assert_int_eq(grid_encode(g, &buf, &len), 0);
	h = grid_decode(buf, len);
	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(h->format, GRID_FORMAT_ZIP);
	ck_assert_int_eq(h->inner, GRID_FORMAT_ODS);
	ck_assert_uint_eq(h->nsheets, 2);
	ck_assert(h->sheets[1].hidden);
	ck_assert_double_eq(sheet_cell_find(&h->sheets[0], 4, 4)->number, 47.5);
	ck_assert_uint_eq(sheet_cell_find(&h->sheets[0], 4, 4)->flags, CELL_PERCENT);
	ck_assert_str_eq(sheet_cell_find(&h->sheets[0], 5, 4)->text, "Sơn La");
	ck_assert_int_eq(sheet_cell_find(&h->sheets[0], 6, 4)->type, CELL_ERROR);
	ck_assert_str_eq(grid_name_find(h, "Q_COUNT")->sheet, "Phiếu");
	grid_free(h);
	/* Every truncation, and trailing garbage, is refused. */
	for (cut = 0; cut < len; cut++)
		ck_assert_ptr_null(grid_decode(buf, cut));
	buf[len - 1] ^= 0xff;
	h = grid_decode(buf, len);
	if (h != NULL)
		ck_assert_uint_ne(h->names[0].col2, 4);
	grid_free(h);
	free(buf);
	grid_free(g);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("grid");
	TCase *tc = tcase_create("grid");

	tcase_add_test(tc, cellrefs);
	tcase_add_test(tc, date_serials);
	tcase_add_test(tc, sniffing);
	tcase_add_test(tc, wire_round_trip);
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
