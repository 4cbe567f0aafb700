/*
 * check_zipfile.c — the ZIP layer: listing and reading members, and every
 * limit a hostile archive pushes (members, bombs by ratio, by declared
 * size, by lying sizes and by overlapping entries), with the words each
 * refusal uses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "testlib.h"

#include "grid.h"
#include "zipfile.h"

#define FIXTURES	"tests/fixtures/"

/* Opens a fixture; *buf must outlive the zipfile. */
static struct zipfile *
open_fixture(const char *name, const struct limits *l, unsigned char **buf,
    char *err)
{
	size_t len;

	*buf = test_file_read(&len, FIXTURES "%s", name);
	return zipfile_open(*buf, len, l, err, GRID_ERRLEN);
}

/* Counts what a stream hands over. */
struct counter {
	size_t	bytes;
	size_t	chunks;
	size_t	stop_after;	/* stop after these bytes; 0 never */
};

static int
count_cb(void *arg, const char *buf, size_t len, char *err, size_t errlen)
{
	struct counter *c = arg;

	(void)buf;
	c->bytes += len;
	c->chunks++;
	if (c->stop_after != 0 && c->bytes >= c->stop_after) {
		snprintf(err, errlen, "callback says stop");
		return -1;
	}
	return 0;
}

START_TEST(lists_and_reads)
{
	struct limits l;
	struct zipfile *z;
	struct counter c = { 0, 0, 0 };
	unsigned char *buf, *out;
	char err[GRID_ERRLEN];
	size_t len, i;
	int seen = 0;

	limits_default(&l);
	ck_assert_ptr_nonnull(z = open_fixture("xlsx/handmade.xlsx", &l, &buf,
	    err));
	ck_assert_uint_eq(zipfile_count(z), 9);
	for (i = 0; i < zipfile_count(z); i++)
		if (strcmp(zipfile_name(z, i), "xl/worksheets/sheet1.xml") == 0)
			seen++;
	ck_assert_int_eq(seen, 1);
	ck_assert_ptr_null(zipfile_name(z, 9));
	ck_assert_int_eq(zipfile_has(z, "xl/workbook.xml"), 1);
	ck_assert_int_eq(zipfile_has(z, "xl/Workbook.xml"), 0);
	ck_assert_int_eq(zipfile_member_read(z, "xl/workbook.xml", &out, &len,
	    err, sizeof(err)), 0);
	ck_assert_uint_eq(strlen((char *)out), len);
	ck_assert(strncmp((char *)out, "<?xml", 5) == 0);
	ck_assert_ptr_nonnull(strstr((char *)out, "Dữ liệu"));
	ck_assert_int_eq(zipfile_member_stream(z, "xl/workbook.xml", count_cb,
	    &c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.bytes, len);
	free(out);
	ck_assert_int_eq(zipfile_member_read(z, "nope.xml", &out, &len, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "ZIP archive has no member 'nope.xml'");
	zipfile_close(z);
	free(buf);
}
END_TEST

START_TEST(callback_stops_stream)
{
	struct limits l;
	struct zipfile *z;
	struct counter c = { 0, 0, 1 };
	unsigned char *buf;
	char err[GRID_ERRLEN];

	limits_default(&l);
	ck_assert_ptr_nonnull(z = open_fixture("xlsx/handmade.xlsx", &l, &buf,
	    err));
	ck_assert_int_eq(zipfile_member_stream(z, "xl/styles.xml", count_cb,
	    &c, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "callback says stop");
	ck_assert_uint_eq(c.chunks, 1);
	zipfile_close(z);
	free(buf);
}
END_TEST

/* Names that climb out or start at the root are only strings here. */
START_TEST(hostile_names)
{
	struct limits l;
	struct zipfile *z;
	unsigned char *buf, *out;
	char err[GRID_ERRLEN];
	size_t len;

	limits_default(&l);
	ck_assert_ptr_nonnull(z = open_fixture("hostile/traversal.zip", &l,
	    &buf, err));
	ck_assert_uint_eq(zipfile_count(z), 2);
	ck_assert_str_eq(zipfile_name(z, 0), "../../evil.txt");
	ck_assert_str_eq(zipfile_name(z, 1), "/etc/abs.txt");
	ck_assert_int_eq(zipfile_member_read(z, "/etc/abs.txt", &out, &len,
	    err, sizeof(err)), 0);
	ck_assert_str_eq((char *)out, "root");
	free(out);
	zipfile_close(z);
	free(buf);
}
END_TEST

START_TEST(not_zip)
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
	};
	struct limits l;
	unsigned char *buf;
	char err[GRID_ERRLEN];
	size_t i;

	limits_default(&l);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ck_assert_ptr_null(open_fixture(cases[i].file, &l, &buf, err));
		ck_assert_str_eq(err, cases[i].err);
		free(buf);
	}
	/* Shorter than the smallest ZIP. */
	ck_assert_ptr_null(zipfile_open((const unsigned char *)"PK\3\4", 4, &l,
	    err, sizeof(err)));
	ck_assert_str_eq(err, "not a ZIP archive (truncated or corrupt)");
}
END_TEST

START_TEST(too_many_members)
{
	struct limits l;
	struct zipfile *z;
	unsigned char *buf;
	char err[GRID_ERRLEN];

	limits_default(&l);
	l.zip_entries = 8;
	ck_assert_ptr_null(open_fixture("xlsx/handmade.xlsx", &l, &buf, err));
	ck_assert_str_eq(err, "ZIP archive has 9 members, over the limit of 8");
	free(buf);
	l.zip_entries = 9;
	ck_assert_ptr_nonnull(z = open_fixture("xlsx/handmade.xlsx", &l, &buf,
	    err));
	zipfile_close(z);
	free(buf);
}
END_TEST

/* Inflating stops soon after the ratio floor, not at the member's end. */
START_TEST(bomb_by_ratio)
{
	struct limits l;
	struct zipfile *z;
	struct counter c = { 0, 0, 0 };
	unsigned char *buf;
	char err[GRID_ERRLEN];

	limits_default(&l);
	ck_assert_ptr_nonnull(z = open_fixture("hostile/bomb.xlsx", &l, &buf,
	    err));
	ck_assert_int_eq(zipfile_member_stream(z, "xl/worksheets/sheet1.xml",
	    count_cb, &c, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "ZIP member 'xl/worksheets/sheet1.xml' inflates "
	    "past 200:1 (a ZIP bomb?)");
	ck_assert_uint_le(c.bytes, LIMIT_ZIP_RATIO_FLOOR);
	ck_assert_uint_ge(c.bytes, LIMIT_ZIP_RATIO_FLOOR - 64 * 1024);
	zipfile_close(z);
	free(buf);
	/* The same member passes a looser ratio. */
	l.zip_ratio = 5000;
	ck_assert_ptr_nonnull(z = open_fixture("hostile/bomb.xlsx", &l, &buf,
	    err));
	c.bytes = 0;
	ck_assert_int_eq(zipfile_member_stream(z, "xl/worksheets/sheet1.xml",
	    count_cb, &c, err, sizeof(err)), 0);
	ck_assert_uint_gt(c.bytes, 4u << 20);
	zipfile_close(z);
	free(buf);
}
END_TEST

START_TEST(bomb_by_declared_size)
{
	struct limits l;
	struct zipfile *z;
	struct counter c = { 0, 0, 0 };
	unsigned char *buf;
	char err[GRID_ERRLEN];

	limits_default(&l);
	ck_assert_ptr_nonnull(z = open_fixture("hostile/declares_1gb.xlsx", &l,
	    &buf, err));
	ck_assert_int_eq(zipfile_member_stream(z, "xl/worksheets/sheet1.xml",
	    count_cb, &c, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "ZIP member 'xl/worksheets/sheet1.xml' declares "
	    "1073741824 bytes, over the limit of 104857600 inflated bytes "
	    "(a ZIP bomb?)");
	/* Refused before inflating anything. */
	ck_assert_uint_eq(c.chunks, 0);
	zipfile_close(z);
	free(buf);
}
END_TEST

START_TEST(member_lies_about_size)
{
	struct limits l;
	struct zipfile *z;
	struct counter c = { 0, 0, 0 };
	unsigned char *buf;
	char err[GRID_ERRLEN];

	limits_default(&l);
	ck_assert_ptr_nonnull(z = open_fixture("hostile/liar.xlsx", &l, &buf,
	    err));
	ck_assert_int_eq(zipfile_member_stream(z, "xl/worksheets/sheet1.xml",
	    count_cb, &c, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "ZIP member 'xl/worksheets/sheet1.xml' inflates "
	    "past its declared size (corrupt, or a ZIP bomb?)");
	ck_assert_uint_eq(c.chunks, 0);
	zipfile_close(z);
	free(buf);
}
END_TEST

/* 110 entries share one 1 MB member: the archive's budget runs out. */
START_TEST(overlapping_entries)
{
	struct limits l;
	struct zipfile *z;
	unsigned char *buf, *out;
	char err[GRID_ERRLEN], name[64];
	size_t len;
	int i, rc = 0;

	limits_default(&l);
	ck_assert_ptr_nonnull(z = open_fixture("hostile/overlap.xlsx", &l, &buf,
	    err));
	for (i = 1; i <= 110 && rc == 0; i++) {
		snprintf(name, sizeof(name), "xl/worksheets/sheet%d.xml", i);
		if ((rc = zipfile_member_read(z, name, &out, &len, err,
		    sizeof(err))) == 0) {
			ck_assert_uint_eq(len, 1000000);
			free(out);
		}
	}
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(i - 1, 105);
	ck_assert_str_eq(err, "ZIP member 'xl/worksheets/sheet105.xml' would "
	    "take the archive past 104857600 inflated bytes (a ZIP bomb?)");
	zipfile_close(z);
	free(buf);
}
END_TEST

/* The budget is what was inflated, re-reading a member counts again. */
START_TEST(budget_counts_rereads)
{
	struct limits l;
	struct zipfile *z;
	unsigned char *buf, *out;
	char err[GRID_ERRLEN], want[GRID_ERRLEN];
	size_t len;

	limits_default(&l);
	ck_assert_ptr_nonnull(z = open_fixture("xlsx/handmade.xlsx", &l, &buf,
	    err));
	ck_assert_int_eq(zipfile_member_read(z, "xl/styles.xml", &out, &len,
	    err, sizeof(err)), 0);
	free(out);
	zipfile_close(z);
	free(buf);
	l.zip_inflated = 2 * len - 1;
	ck_assert_ptr_nonnull(z = open_fixture("xlsx/handmade.xlsx", &l, &buf,
	    err));
	ck_assert_int_eq(zipfile_member_read(z, "xl/styles.xml", &out, &len,
	    err, sizeof(err)), 0);
	free(out);
	ck_assert_int_eq(zipfile_member_read(z, "xl/styles.xml", &out, &len,
	    err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "ZIP member 'xl/styles.xml' would take "
	    "the archive past %zu inflated bytes (a ZIP bomb?)", 2 * len - 1);
	ck_assert_str_eq(err, want);
	zipfile_close(z);
	free(buf);
}
END_TEST

static Suite *
zipfile_suite(void)
{
	Suite *s = suite_create("zipfile");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, lists_and_reads);
	tcase_add_test(tc, callback_stops_stream);
	tcase_add_test(tc, hostile_names);
	tcase_add_test(tc, not_zip);
	tcase_add_test(tc, too_many_members);
	tcase_add_test(tc, bomb_by_ratio);
	tcase_add_test(tc, bomb_by_declared_size);
	tcase_add_test(tc, member_lies_about_size);
	tcase_add_test(tc, overlapping_entries);
	tcase_add_test(tc, budget_counts_rereads);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_suite_run(zipfile_suite());
}
