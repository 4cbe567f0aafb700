/*
 * check_roster.c — rosters: the shipped ones, Excel's Vietnamese CSV
 * (';' and cp1258), duplicate codes, codes that lost their leading zero.
 */
#include <string.h>

#include <check.h>

#include "roster.h"
#include "testutil.h"

START_TEST(shipped_rosters)
{
	struct problems p;
	struct roster *r;

	problems_init(&p);
	r = roster_load("rosters/provinces-63.csv", &p);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(r->n, 63);
	ck_assert_str_eq(roster_find(r, "01")->name, "Hà Nội");
	ck_assert_ptr_null(roster_find(r, "1"));
	ck_assert_uint_eq(p.errors->len, 0);
	roster_free(r);
	r = roster_load("rosters/sample-63.csv", &p);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(roster_find_address(r,
	    "LienHiepHoi.HaNoi@example.test")->code, "01");
	roster_free(r);
	problems_clear(&p);
}
END_TEST

START_TEST(excel_vietnamese_csv)
{
	/* "code;name;region;emails" in cp1258 with combining tone marks. */
	static const char cp1258[] =
	    "code;name;region;emails;aliases\r\n"
	    "01;Ha\xcc N\xf4\xf2i;B\xe3\xec" "c;a@x.test;\r\n"
	    "14;S\xf5n La;B\xe3\xec" "c;b@x.test;SL\r\n";
	struct problems p;
	struct roster *r;
	char *dir = tu_tmpdir(), *path = g_build_filename(dir, "r.csv", NULL);

	ck_assert(g_file_set_contents(path, cp1258, sizeof(cp1258) - 1, NULL));
	problems_init(&p);
	r = roster_load(path, &p);
	ck_assert_msg(r != NULL, "%s", p.errors->len ? (char *)p.errors->pdata[0] : "");
	ck_assert_uint_eq(r->n, 2);
	ck_assert_str_eq(r->v[1].name, "Sơn La");
	ck_assert_str_eq(r->v[1].aliases[0], "SL");
	roster_free(r);
	problems_clear(&p);
	g_free(path);
	tu_cleanup(dir);
}
END_TEST

START_TEST(duplicate_codes)
{
	struct problems p;
	char *dir = tu_tmpdir(), *path;

	path = tu_write(dir, "r.csv", "code,name,region,emails\n"
	    "01,A,R,a@x.test\n02,B,R,b@x.test\n01,C,R,c@x.test\n");
	problems_init(&p);
	ck_assert_ptr_null(roster_load(path, &p));
	ck_assert_uint_eq(p.errors->len, 1);
	ck_assert_msg(strstr(p.errors->pdata[0], "r.csv: row 4: code '01' "
	    "appears twice"), "%s", (char *)p.errors->pdata[0]);
	problems_clear(&p);
	g_free(path);
	tu_cleanup(dir);
}
END_TEST

START_TEST(lost_leading_zero)
{
	struct problems p;
	struct roster *r;
	char *dir = tu_tmpdir(), *path;

	path = tu_write(dir, "r.csv", "code,name,region,emails\n"
	    "1,Hà Nội,R,\n02,Hà Giang,R,\n04,Cao Bằng,R,\n");
	problems_init(&p);
	r = roster_load(path, &p);
	ck_assert_ptr_nonnull(r);
	ck_assert_uint_eq(p.warnings->len, 1);
	ck_assert_msg(strstr(p.warnings->pdata[0], "code '1' (Hà Nội) looks "
	    "like it lost a leading zero"), "%s", (char *)p.warnings->pdata[0]);
	roster_free(r);
	problems_clear(&p);
	g_free(path);
	tu_cleanup(dir);
}
END_TEST

START_TEST(header_and_addresses)
{
	struct problems p;
	char *dir = tu_tmpdir(), *path;

	path = tu_write(dir, "r.csv", "code,name\n01,A\n");
	problems_init(&p);
	ck_assert_ptr_null(roster_load(path, &p));
	ck_assert(strstr(p.errors->pdata[0], "no 'region' column"));
	problems_clear(&p);
	g_free(path);
	path = tu_write(dir, "r2.csv", "code,name,region,emails\n01,A,R,not an address\n");
	problems_init(&p);
	ck_assert_ptr_null(roster_load(path, &p));
	ck_assert(strstr(p.errors->pdata[0], "'not an address' is not an e-mail address"));
	problems_clear(&p);
	g_free(path);
	tu_cleanup(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("roster");
	TCase *tc = tcase_create("roster");

	tcase_add_test(tc, shipped_rosters);
	tcase_add_test(tc, excel_vietnamese_csv);
	tcase_add_test(tc, duplicate_codes);
	tcase_add_test(tc, lost_leading_zero);
	tcase_add_test(tc, header_and_addresses);
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
