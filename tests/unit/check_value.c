/*
 * check_value.c — numbers and dates as people type them.
 */
#include <stdlib.h>

#include <check.h>

#include "testutil.h"
#include "value.h"

static double
num(const char *s, int integer, enum value_result want)
{
	double n = -1;
	int pct;

	ck_assert_int_eq(value_number_parse(s, integer, &n, &pct), want);
	return n;
}

START_TEST(vietnamese_and_english_grouping)
{
	ck_assert_double_eq(num("1.250,75", 0, VALUE_OK), 1250.75);
	ck_assert_double_eq(num("1,250.75", 0, VALUE_OK), 1250.75);
	ck_assert_double_eq(num("1.250.000", 1, VALUE_OK), 1250000);
	ck_assert_double_eq(num("1,250,000", 1, VALUE_OK), 1250000);
	ck_assert_double_eq(num("1 250 000", 1, VALUE_OK), 1250000);
	ck_assert_double_eq(num("1\xc2\xa0" "250", 1, VALUE_OK), 1250);
	ck_assert_double_eq(num("-12", 1, VALUE_OK), -12);
	ck_assert_double_eq(num(" 52 ", 1, VALUE_OK), 52);
}
END_TEST

START_TEST(a_lone_mark_before_three_digits)
{
	/* 3.150 in an integer field is 3150; in a decimal field, ambiguous. */
	ck_assert_double_eq(num("3.150", 1, VALUE_OK), 3150);
	ck_assert_double_eq(num("1,250", 1, VALUE_OK), 1250);
	num("1,250", 0, VALUE_AMBIGUOUS);
	num("3.150", 0, VALUE_AMBIGUOUS);
	/* Not three digits after it: a decimal mark, either way. */
	ck_assert_double_eq(num("1,5", 0, VALUE_OK), 1.5);
	ck_assert_double_eq(num("47.25", 0, VALUE_OK), 47.25);
	ck_assert_double_eq(num("0,250", 0, VALUE_OK), 0.25);
	num("1,5", 1, VALUE_NOT_WHOLE);
}
END_TEST

START_TEST(not_numbers)
{
	num("nhiều", 1, VALUE_BAD);
	num("12abc", 1, VALUE_BAD);
	num("1.2.3,4,5", 0, VALUE_BAD);
	num("1,25,0", 1, VALUE_BAD);
	num("", 1, VALUE_BAD);
	num("-", 1, VALUE_BAD);
	num("1e5", 0, VALUE_BAD);
}
END_TEST

START_TEST(percent_sign)
{
	double n;
	int pct;

	ck_assert_int_eq(value_number_parse("47,5 %", 0, &n, &pct), VALUE_OK);
	ck_assert_double_eq(n, 47.5);
	ck_assert_int_eq(pct, 1);
	ck_assert_int_eq(value_number_parse("47,5", 0, &n, &pct), VALUE_OK);
	ck_assert_int_eq(pct, 0);
}
END_TEST

START_TEST(dates_day_first)
{
	int y, m, d;

	ck_assert_int_eq(value_date_parse("15/3/2023", &y, &m, &d), VALUE_OK);
	ck_assert(y == 2023 && m == 3 && d == 15);
	ck_assert_int_eq(value_date_parse("05-06-2023", &y, &m, &d), VALUE_OK);
	ck_assert(m == 6 && d == 5);
	ck_assert_int_eq(value_date_parse("2023-06-05", &y, &m, &d), VALUE_OK);
	ck_assert(y == 2023 && m == 6 && d == 5);
	ck_assert_int_eq(value_date_parse("ngày 5 tháng 6 năm 2023", &y, &m, &d),
	    VALUE_OK);
	ck_assert(m == 6 && d == 5);
	ck_assert_int_eq(value_date_parse("15/3/23", &y, &m, &d), VALUE_OK);
	ck_assert_int_eq(y, 2023);
	/* Never month first: 3/15/2023 has no fifteenth month. */
	ck_assert_int_eq(value_date_parse("3/15/2023", &y, &m, &d), VALUE_BAD);
	ck_assert_int_eq(value_date_parse("30/2/2023", &y, &m, &d), VALUE_BAD);
	ck_assert_int_eq(value_date_parse("29/2/2024", &y, &m, &d), VALUE_OK);
	ck_assert_int_eq(value_date_parse("hôm qua", &y, &m, &d), VALUE_BAD);
}
END_TEST

START_TEST(number_format_canonical)
{
	char buf[VALUE_NUMBER_LEN];

	ck_assert_str_eq(value_number_format(buf, 52.0), "52");
	ck_assert_str_eq(value_number_format(buf, 1250.75), "1250.75");
	ck_assert_str_eq(value_number_format(buf, 0.1 + 0.2), "0.3");
	ck_assert_str_eq(value_number_format(buf, -0.0), "0");
	ck_assert_str_eq(value_number_format(buf, 1e15), "1000000000000000");
	ck_assert_str_eq(value_number_format(buf, 1.5e-7), "0.00000015");
	ck_assert_str_eq(value_number_format(buf, 123456789012345678.0),
	    "123456789012346000");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("value");
	TCase *tc = tcase_create("value");

	tcase_add_test(tc, vietnamese_and_english_grouping);
	tcase_add_test(tc, a_lone_mark_before_three_digits);
	tcase_add_test(tc, not_numbers);
	tcase_add_test(tc, percent_sign);
	tcase_add_test(tc, dates_day_first);
	tcase_add_test(tc, number_format_canonical);
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
