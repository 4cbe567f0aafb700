/*
 * check_csv.c — unit tests for the CSV reader: encodings, delimiter
 * guessing, RFC 4180 quoting, limits, and that nothing is typed.
 * Run from the top folder: the fixtures are tests/fixtures/csv/.
 */
#include <check.h>

#include "testlib.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "grid.h"
#include "reader.h"

#define FIXTURES	"tests/fixtures/csv/"

static struct grid *
read_limited(const char *in, size_t len, const struct limits *l)
{
	char err[GRID_ERRLEN] = "";
	struct grid *g;

	g = reader_csv.read((const unsigned char *)in, len, l, err,
	    sizeof(err));
	ck_assert_msg(g != NULL, "read failed: %s", err);
	ck_assert_int_eq(g->format, GRID_FORMAT_CSV);
	ck_assert_uint_eq(g->nsheets, 1);
	ck_assert_str_eq(g->sheets[0].name, "csv");
	return g;
}

static struct grid *
read_ok(const char *in)
{
	struct limits l;

	limits_default(&l);
	return read_limited(in, strlen(in), &l);
}

static void
fails_limited(const char *in, size_t len, const struct limits *l,
    const char *words)
{
	char err[GRID_ERRLEN] = "";

	ck_assert_ptr_null(reader_csv.read((const unsigned char *)in, len, l,
	    err, sizeof(err)));
	ck_assert_msg(strstr(err, words) != NULL, "error '%s' lacks '%s'",
	    err, words);
}

static void
fails(const char *in, size_t len, const char *words)
{
	struct limits l;

	limits_default(&l);
	fails_limited(in, len, &l, words);
}

/* The text of the cell at row, col, which must be a string. */
static const char *
text_at(const struct grid *g, uint32_t row, uint32_t col)
{
	const struct cell *c;

	c = sheet_cell_find(&g->sheets[0], row, col);
	ck_assert_msg(c != NULL, "no cell at %u,%u", row, col);
	ck_assert_int_eq(c->type, CELL_STRING);
	ck_assert_uint_eq(c->flags, 0);
	return c->text;
}

/* Every roster fixture holds the same six rows and four columns. */
static void
check_roster(const char *file)
{
	struct limits l;
	struct grid *g;
	unsigned char *buf;
	size_t len;

	buf = test_file_read(&len, "%s", file);
	limits_default(&l);
	g = read_limited((const char *)buf, len, &l);
	ck_assert_uint_eq(g->sheets[0].ncells, 24);
	ck_assert_str_eq(text_at(g, 0, 0), "code");
	ck_assert_str_eq(text_at(g, 0, 3), "emails");
	ck_assert_str_eq(text_at(g, 1, 0), "01");
	ck_assert_str_eq(text_at(g, 1, 1), "H\xc3\xa0 N\xe1\xbb\x99i");
	ck_assert_str_eq(text_at(g, 1, 2),
	    "\xc4\x90\xe1\xbb\x93ng b\xe1\xba\xb1ng s\xc3\xb4ng H\xe1\xbb\x93ng");
	ck_assert_str_eq(text_at(g, 1, 3),
	    "lhh01@example.test;vp01@example.test");
	ck_assert_str_eq(text_at(g, 2, 1),
	    "Th\xe1\xbb\xab" "a Thi\xc3\xaan Hu\xe1\xba\xbf");
	ck_assert_str_eq(text_at(g, 5, 0), "31");
	ck_assert_str_eq(text_at(g, 5, 1), "H\xe1\xba\xa3i Ph\xc3\xb2ng");
	ck_assert_ptr_null(sheet_cell_find(&g->sheets[0], 6, 0));
	grid_free(g);
	free(buf);
}

START_TEST(roster_utf8_comma)
{
	/* ',' wins although every address list holds a ';'. */
	check_roster(FIXTURES "roster-utf8.csv");
}
END_TEST

START_TEST(roster_utf8_bom_semicolon)
{
	check_roster(FIXTURES "roster-utf8-bom.csv");
}
END_TEST

START_TEST(roster_cp1258_semicolon)
{
	check_roster(FIXTURES "roster-cp1258.csv");
}
END_TEST

START_TEST(roster_utf16le_tab)
{
	check_roster(FIXTURES "reply-utf16le.txt");
}
END_TEST

START_TEST(western_cp1252)
{
	struct limits l;
	struct grid *g;
	unsigned char *buf;
	size_t len;

	buf = test_file_read(&len, "%s", FIXTURES "western-cp1252.csv");
	limits_default(&l);
	g = read_limited((const char *)buf, len, &l);
	ck_assert_str_eq(text_at(g, 1, 1), "Z\xc3\xbcrich");
	ck_assert_str_eq(text_at(g, 3, 0), "\xc3\x92scar \xc3\x8c\xc3\xb1igo");
	grid_free(g);
	free(buf);
}
END_TEST

START_TEST(semicolon_with_decimal_commas)
{
	struct grid *g;

	g = read_ok("code;name;budget\n01;A;1.250,75\n02;B;3,5\n03;C;7\n");
	ck_assert_str_eq(text_at(g, 1, 2), "1.250,75");
	ck_assert_str_eq(text_at(g, 2, 2), "3,5");
	ck_assert_str_eq(text_at(g, 3, 1), "C");
	ck_assert_uint_eq(g->sheets[0].ncells, 12);
	grid_free(g);
}
END_TEST

START_TEST(title_row_with_comma)
{
	struct grid *g;

	/* Excel pads every row to the sheet's width with ';'. */
	g = read_ok("Phi\xe1\xba\xbfu kh\xe1\xba\xa3o s\xc3\xa1t, 2024;;\n"
	    "code;name;note\n01;A;x, y\n02;B;\n");
	ck_assert_str_eq(text_at(g, 0, 0),
	    "Phi\xe1\xba\xbfu kh\xe1\xba\xa3o s\xc3\xa1t, 2024");
	ck_assert_str_eq(text_at(g, 2, 2), "x, y");
	ck_assert_str_eq(text_at(g, 3, 1), "B");
	grid_free(g);
}
END_TEST

START_TEST(tab_delimited)
{
	struct grid *g;

	g = read_ok("a\tb, c\tx;y\n1\t2\t3\n");
	ck_assert_str_eq(text_at(g, 0, 1), "b, c");
	ck_assert_str_eq(text_at(g, 0, 2), "x;y");
	ck_assert_str_eq(text_at(g, 1, 2), "3");
	grid_free(g);
}
END_TEST

START_TEST(excel_sep_line)
{
	struct grid *g;

	g = read_ok("sep=;\r\na,b;c\r\n");
	ck_assert_str_eq(text_at(g, 0, 0), "a,b");
	ck_assert_str_eq(text_at(g, 0, 1), "c");
	ck_assert_uint_eq(g->sheets[0].ncells, 2);
	grid_free(g);
}
END_TEST

START_TEST(quoting)
{
	struct grid *g;

	g = read_ok("a,\"b,c\",\"d\"\"e\",\"two\r\nlines\",\"\"\r\n"
	    "\"x;y\",z\"q\",\"ab\"c\n");
	ck_assert_str_eq(text_at(g, 0, 0), "a");
	ck_assert_str_eq(text_at(g, 0, 1), "b,c");
	ck_assert_str_eq(text_at(g, 0, 2), "d\"e");
	ck_assert_str_eq(text_at(g, 0, 3), "two\r\nlines");
	ck_assert_ptr_null(sheet_cell_find(&g->sheets[0], 0, 4));
	/* The quoted line break did not start a record. */
	ck_assert_str_eq(text_at(g, 1, 0), "x;y");
	/* A quote inside an unquoted field is a character. */
	ck_assert_str_eq(text_at(g, 1, 1), "z\"q\"");
	/* Text after a closing quote is kept, as Excel does. */
	ck_assert_str_eq(text_at(g, 1, 2), "abc");
	ck_assert_uint_eq(g->sheets[0].ncells, 7);
	grid_free(g);
}
END_TEST

START_TEST(line_ends)
{
	struct grid *g;

	g = read_ok("a,b\rc,d\r\ne,f\ng,h");
	ck_assert_str_eq(text_at(g, 1, 0), "c");
	ck_assert_str_eq(text_at(g, 2, 1), "f");
	ck_assert_str_eq(text_at(g, 3, 1), "h");
	grid_free(g);
}
END_TEST

START_TEST(empty_cells_and_rows_keep_places)
{
	struct grid *g;

	g = read_ok("a,,c\n\n,,,d\n");
	ck_assert_uint_eq(g->sheets[0].ncells, 3);
	ck_assert_str_eq(text_at(g, 0, 2), "c");
	ck_assert_str_eq(text_at(g, 2, 3), "d");
	grid_free(g);
}
END_TEST

START_TEST(nothing_is_typed)
{
	struct grid *g;

	/* Formulas stay text: a CSV cell is never evaluated. */
	g = read_ok("=SUM(A1:A9),+84912345678,-5,@cmd,0042,1e3, 7 \n");
	ck_assert_str_eq(text_at(g, 0, 0), "=SUM(A1:A9)");
	ck_assert_str_eq(text_at(g, 0, 1), "+84912345678");
	ck_assert_str_eq(text_at(g, 0, 2), "-5");
	ck_assert_str_eq(text_at(g, 0, 3), "@cmd");
	ck_assert_str_eq(text_at(g, 0, 4), "0042");
	ck_assert_str_eq(text_at(g, 0, 5), "1e3");
	ck_assert_str_eq(text_at(g, 0, 6), " 7 ");
	grid_free(g);
}
END_TEST

START_TEST(unterminated_quote)
{
	static const char in[] = "a,b\nc,\"d\ne,f\n";

	fails(in, sizeof(in) - 1, "line 2: unterminated quoted field");
	fails("\"", 1, "line 1: unterminated");
	/* Line counting goes through quoted line breaks and CRLF. */
	fails("\"x\r\ny\"\r\n\"", 9, "line 3: unterminated");
}
END_TEST

START_TEST(empty_file)
{
	fails("", 0, "empty file");
	fails("\xef\xbb\xbf", 3, "empty file");
	fails("\xff\xfe", 2, "empty file");
	fails(",,,\r\n\r\n", 7, "empty file");
	fails("\"\"", 2, "empty file");
}
END_TEST

START_TEST(bad_encoding)
{
	fails("a,b\x81\n", 5, "unknown encoding");
	fails("a,b\0c\n", 6, "NUL byte");
}
END_TEST

START_TEST(cell_text_limit)
{
	struct limits l;
	struct grid *g;
	char *in;
	size_t n = LIMIT_CELL_TEXT;

	limits_default(&l);
	ck_assert_ptr_nonnull(in = malloc(n + 16));
	/* Exactly 32 KiB fits, quoted or not. */
	memset(in, 'x', n);
	g = read_limited(in, n, &l);
	ck_assert_uint_eq(strlen(text_at(g, 0, 0)), n);
	grid_free(g);
	in[0] = '"';
	memset(in + 1, 'x', n);
	in[n + 1] = '"';
	g = read_limited(in, n + 2, &l);
	ck_assert_uint_eq(strlen(text_at(g, 0, 0)), n);
	grid_free(g);
	/* One byte more is refused, naming the cell. */
	memcpy(in, "a,", 2);
	memset(in + 2, 'y', n + 1);
	fails_limited(in, n + 3, &l, "cell B1: text longer than 32768 bytes");
	in[2] = '"';
	memset(in + 3, 'y', n + 1);
	in[n + 4] = '"';
	fails_limited(in, n + 5, &l, "cell B1: text longer than 32768 bytes");
	free(in);
}
END_TEST

START_TEST(cell_count_limit)
{
	struct limits l;
	struct grid *g;
	static const char ten[] = "1,2,3,4,5\n6,7,,8,9\n,10\n";
	static const char eleven[] = "1,2,3,4,5\n6,7,,8,9\n,10,11\n";

	limits_default(&l);
	l.sheet_cells = 10;
	g = read_limited(ten, sizeof(ten) - 1, &l);
	ck_assert_uint_eq(g->sheets[0].ncells, 10);
	grid_free(g);
	fails_limited(eleven, sizeof(eleven) - 1, &l,
	    "sheet 'csv' has more than 10 cells");
}
END_TEST

/* Not a pass/fail bound (sanitizers and valgrind are slow): a record. */
START_TEST(speed_of_a_small_reply)
{
	struct limits l;
	struct timespec t0, t1;
	char in[2200];
	size_t len = 0;
	struct grid *g;
	int i, rounds = 2000;
	double us;

	while (len < 2000)
		len += (size_t)snprintf(in + len, sizeof(in) - len,
		    "%02zu;H\xc3\xa0 N\xe1\xbb\x99i;\"ghi ch\xc3\xba\";1.250,75\r\n",
		    len / 40);
	limits_default(&l);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < rounds; i++) {
		g = read_limited(in, len, &l);
		grid_free(g);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) /
	    1e3 / rounds;
	fprintf(stderr, "csv: %zu-byte reply read in %.1f us\n", len, us);
}
END_TEST

static Suite *
csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, roster_utf8_comma);
	tcase_add_test(tc, roster_utf8_bom_semicolon);
	tcase_add_test(tc, roster_cp1258_semicolon);
	tcase_add_test(tc, roster_utf16le_tab);
	tcase_add_test(tc, western_cp1252);
	tcase_add_test(tc, semicolon_with_decimal_commas);
	tcase_add_test(tc, title_row_with_comma);
	tcase_add_test(tc, tab_delimited);
	tcase_add_test(tc, excel_sep_line);
	tcase_add_test(tc, quoting);
	tcase_add_test(tc, line_ends);
	tcase_add_test(tc, empty_cells_and_rows_keep_places);
	tcase_add_test(tc, nothing_is_typed);
	tcase_add_test(tc, unterminated_quote);
	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, bad_encoding);
	tcase_add_test(tc, cell_text_limit);
	tcase_add_test(tc, cell_count_limit);
	tcase_add_test(tc, speed_of_a_small_reply);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_suite_run(csv_suite());
}
