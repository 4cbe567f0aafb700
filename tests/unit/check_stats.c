/*
 * check_stats.c — the figures of the workbook's `Thống kê` sheet, against
 * values worked out by hand.
 */
#include <math.h>

#include <check.h>

#include "stats.h"
#include "testutil.h"

#define EPS	1e-12

START_TEST(odd_count)
{
	double v[] = { 12, 3, 4, 7, 1 };
	struct stats_numbers s;

	stats_numbers_summarise(v, G_N_ELEMENTS(v), &s);
	ck_assert_uint_eq(s.n, 5);
	ck_assert_double_eq(s.sum, 27);
	ck_assert_double_eq_tol(s.mean, 5.4, EPS);
	ck_assert_double_eq(s.median, 4);
	ck_assert_double_eq(s.min, 1);
	ck_assert_double_eq(s.max, 12);
	/* Deviations 6.6 -2.4 -1.4 1.6 -4.4, squared: 73.2, over n - 1. */
	ck_assert_double_eq_tol(s.sd, sqrt(73.2 / 4), EPS);
}
END_TEST

START_TEST(even_count)
{
	double v[] = { 2179.9, 2495, 1250.5, 81 };
	struct stats_numbers s;

	stats_numbers_summarise(v, G_N_ELEMENTS(v), &s);
	ck_assert_uint_eq(s.n, 4);
	ck_assert_double_eq_tol(s.sum, 6006.4, 1e-9);
	ck_assert_double_eq_tol(s.mean, 1501.6, 1e-9);
	/* The two middle values, 1250.5 and 2179.9, averaged. */
	ck_assert_double_eq_tol(s.median, 1715.2, 1e-9);
	ck_assert_double_eq(s.min, 81);
	ck_assert_double_eq(s.max, 2495);
	/* Squared deviations 3528090.02, over n - 1 = 3. */
	ck_assert_double_eq_tol(s.sd, sqrt(3528090.02 / 3), 1e-9);
}
END_TEST

START_TEST(all_equal)
{
	double v[] = { 52, 52, 52 };
	struct stats_numbers s;

	stats_numbers_summarise(v, G_N_ELEMENTS(v), &s);
	ck_assert_double_eq(s.median, 52);
	ck_assert_double_eq(s.sd, 0);
}
END_TEST

START_TEST(one_value)
{
	double v[] = { -3.5 };
	struct stats_numbers s;

	stats_numbers_summarise(v, 1, &s);
	ck_assert_uint_eq(s.n, 1);
	ck_assert_double_eq(s.sum, -3.5);
	ck_assert_double_eq(s.mean, -3.5);
	ck_assert_double_eq(s.median, -3.5);
	ck_assert_double_eq(s.min, -3.5);
	ck_assert_double_eq(s.max, -3.5);
	/* A sample standard deviation needs two values. */
	ck_assert(isnan(s.sd));
}
END_TEST

START_TEST(no_values)
{
	struct stats_numbers s;

	stats_numbers_summarise(NULL, 0, &s);
	ck_assert_uint_eq(s.n, 0);
	ck_assert_double_eq(s.sum, 0);
	ck_assert(isnan(s.mean));
	ck_assert(isnan(s.median));
	ck_assert(isnan(s.min));
	ck_assert(isnan(s.max));
	ck_assert(isnan(s.sd));
}
END_TEST

START_TEST(choices_counted)
{
	struct choice c[] = {
		{ .name = "co_che" }, { .name = "kinh_phi" }, { .name = "khac" },
	};
	struct choice_list l = { .name = "kho_khan", .choices = c,
	    .nchoices = G_N_ELEMENTS(c) };
	guint counts[3] = { 0 };

	ck_assert_uint_eq(stats_choices_count(&l, "kinh_phi", 0, counts), 1);
	ck_assert_uint_eq(stats_choices_count(&l, "co_che khac", 1, counts), 2);
	ck_assert_uint_eq(stats_choices_count(&l, "co_che  kinh_phi", 1,
	    counts), 2);
	/* A name the list no longer has (the definition changed) is left out. */
	ck_assert_uint_eq(stats_choices_count(&l, "cu", 0, counts), 0);
	ck_assert_uint_eq(stats_choices_count(&l, "cu khac", 1, counts), 1);
	/* select_one takes the whole value as one name. */
	ck_assert_uint_eq(stats_choices_count(&l, "co_che khac", 0, counts), 0);
	ck_assert_uint_eq(counts[0], 2);
	ck_assert_uint_eq(counts[1], 2);
	ck_assert_uint_eq(counts[2], 2);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("stats");

	tcase_add_test(tc, odd_count);
	tcase_add_test(tc, even_count);
	tcase_add_test(tc, all_equal);
	tcase_add_test(tc, one_value);
	tcase_add_test(tc, no_values);
	tcase_add_test(tc, choices_counted);
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
