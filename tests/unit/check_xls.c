/*
 * check_xls.c — unit tests for the .xls reader: values and dates as
 * LibreOffice saves them, limits, and damaged, encrypted and hostile files.
 * Run from the top folder: the fixtures are tests/fixtures/xls/.
 */
#include <check.h>

#include "testlib.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "reader.h"

#define FIXTURES	"tests/fixtures/xls/"

/* The DIMENSION record of reply.xls's first sheet: A1:D9. */
#define DIMENSION_A1_D9	"\x00\x02\x0e\x00" "\x00\x00\x00\x00" \
			"\x09\x00\x00\x00" "\x00\x00" "\x04\x00"
#define DIMENSION_LEN	16

static struct grid *
read_limited(const unsigned char *buf, size_t len, const struct limits *l)
{
	char err[GRID_ERRLEN] = "";
	struct grid *g;

	g = reader_xls.read(buf, len, l, err, sizeof(err));
	ck_assert_msg(g != NULL, "read failed: %s", err);
	ck_assert_int_eq(g->format, GRID_FORMAT_XLS);
	return g;
}

static void
fails_limited(const unsigned char *buf, size_t len, const struct limits *l,
    const char *words)
{
	char err[GRID_ERRLEN] = "";

	ck_assert_ptr_null(reader_xls.read(buf, len, l, err, sizeof(err)));
	ck_assert_msg(strstr(err, words) != NULL, "error '%s' lacks '%s'",
	    err, words);
}

static void
fails(const unsigned char *buf, size_t len, const char *words)
{
	struct limits l;

	limits_default(&l);
	fails_limited(buf, len, &l, words);
}

static void
fixture_fails(const char *file, const char *words)
{
	unsigned char *buf;
	size_t len;

	buf = test_file_read(&len, "%s", file);
	fails(buf, len, words);
	free(buf);
}

static const struct cell *
cell_at(const struct sheet *s, const char *ref, enum cell_type type)
{
	const struct cell *c;
	uint32_t row, col;

	ck_assert_int_eq(grid_cellref_parse(ref, &row, &col), 0);
	c = sheet_cell_find(s, row, col);
	ck_assert_msg(c != NULL, "no cell %s on '%s'", ref, s->name);
	ck_assert_msg(c->type == type, "cell %s is type %d, not %d", ref,
	    c->type, type);
	return c;
}

START_TEST(reply_values)
{
	struct limits l;
	struct grid *g;
	struct sheet *s;
	unsigned char *buf;
	size_t len;

	buf = test_file_read(&len, "%s", FIXTURES "reply.xls");
	limits_default(&l);
	g = read_limited(buf, len, &l);
	ck_assert_uint_eq(g->nsheets, 2);
	ck_assert_uint_eq(g->nnames, 0);
	s = &g->sheets[0];
	ck_assert_str_eq(s->name, "Phi\xe1\xba\xbfu");
	ck_assert_int_eq(s->hidden, 0);
	ck_assert_uint_eq(s->ncells, 15);
	ck_assert_str_eq(cell_at(s, "A1", CELL_STRING)->text, "T\xe1\xbb\x89nh");
	ck_assert_str_eq(cell_at(s, "B1", CELL_STRING)->text,
	    "Th\xe1\xbb\xab" "a Thi\xc3\xaan Hu\xe1\xba\xbf");
	ck_assert_ptr_null(cell_at(s, "B2", CELL_NUMBER)->text);
	ck_assert_double_eq(cell_at(s, "B2", CELL_NUMBER)->number, 42);
	ck_assert_double_eq(cell_at(s, "B3", CELL_NUMBER)->number, 1250.75);
	ck_assert_double_eq(cell_at(s, "B4", CELL_DATE)->number,
	    grid_date_serial(2024, 3, 15));
	ck_assert_double_eq(cell_at(s, "B4", CELL_DATE)->number, 45366);
	ck_assert_double_eq_tol(cell_at(s, "B5", CELL_DATE)->number,
	    45366 + 14.5 / 24, 1e-9);
	/* Text-formatted "01" keeps its zero. */
	ck_assert_str_eq(cell_at(s, "B6", CELL_STRING)->text, "01");
	ck_assert_double_eq(cell_at(s, "B7", CELL_NUMBER)->number, -7);
	ck_assert_str_eq(cell_at(s, "D9", CELL_STRING)->text, "\xc3\xb4 xa");
	ck_assert_ptr_null(sheet_cell_find(s, 7, 0));
	s = grid_sheet_find(g, "_surveyd");
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->hidden, 0);
	ck_assert_str_eq(cell_at(s, "B2", CELL_STRING)->text, "tok-01-abc");
	grid_free(g);
	free(buf);
}
END_TEST

START_TEST(limits_cells_text_sheets)
{
	struct limits l;
	struct grid *g;
	unsigned char *buf;
	size_t len;

	buf = test_file_read(&len, "%s", FIXTURES "reply.xls");
	limits_default(&l);
	l.sheet_cells = 15;
	g = read_limited(buf, len, &l);
	grid_free(g);
	l.sheet_cells = 14;
	fails_limited(buf, len, &l, "sheet 'Phi\xe1\xba\xbfu' has more than 14 "
	    "cells");
	limits_default(&l);
	l.cell_text = 10;
	fails_limited(buf, len, &l, "cell B1: text longer than 10 bytes");
	limits_default(&l);
	l.sheets = 1;
	fails_limited(buf, len, &l, "2 sheets, more than 1");
	free(buf);
}
END_TEST

START_TEST(absurd_dimensions)
{
	struct limits l;
	unsigned char *buf, *dim;
	size_t len;

	/* Declare A1:IV4096 (1M slots) for a sheet of 15 cells. */
	buf = test_file_read(&len, "%s", FIXTURES "reply.xls");
	dim = memmem(buf, len, DIMENSION_A1_D9, DIMENSION_LEN);
	ck_assert_ptr_nonnull(dim);
	memcpy(dim + 8, "\x00\x10\x00\x00", 4);
	memcpy(dim + 14, "\x00\x01", 2);
	limits_default(&l);
	l.sheet_cells = 1000;
	fails_limited(buf, len, &l, "declares 4096 rows x 256 columns, more "
	    "than 1000 cells can fill");
	free(buf);
}
END_TEST

START_TEST(truncated)
{
	unsigned char *buf;
	size_t len, cut;
	static const size_t cuts[] = { 0, 8, 100, 512, 1024, 2100, 4096 };
	char err[GRID_ERRLEN];
	struct limits l;
	size_t i;

	buf = test_file_read(&len, "%s", FIXTURES "reply.xls");
	fails(buf, len / 2, "corrupt or truncated .xls file");
	limits_default(&l);
	for (i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		cut = cuts[i];
		ck_assert_msg(reader_xls.read(buf, cut, &l, err,
		    sizeof(err)) == NULL, "read %zu bytes", cut);
		ck_assert_msg(err[0] != '\0', "no error for %zu bytes", cut);
	}
	free(buf);
}
END_TEST

START_TEST(password_xls)
{
	fixture_fails(FIXTURES "password.xls", "password-protected");
}
END_TEST

START_TEST(password_xlsx)
{
	/* An encrypted .xlsx is an OLE file, so it comes here. */
	fixture_fails(FIXTURES "password.xlsx", "password-protected");
}
END_TEST

START_TEST(ole_magic_then_noise)
{
	unsigned char buf[4096];
	uint32_t x = 2463534242u;
	size_t i;

	memcpy(buf, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
	for (i = 8; i < sizeof(buf); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
	fails(buf, sizeof(buf), "corrupt or truncated .xls file");
	fails(buf, 8, "corrupt or truncated .xls file");
}
END_TEST

static Suite *
xls_suite(void)
{
	Suite *s = suite_create("xls");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, reply_values);
	tcase_add_test(tc, limits_cells_text_sheets);
	tcase_add_test(tc, absurd_dimensions);
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, password_xls);
	tcase_add_test(tc, password_xlsx);
	tcase_add_test(tc, ole_magic_then_noise);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_suite_run(xls_suite());
}
