/*
 * check_constraint.c — the constraint subset: parsing, errors, evaluation.
 */
#include <check.h>

#include "constraint.h"
#include "testutil.h"

static int
eval(const char *expr, int has, double n, const char *text)
{
	char err[256];
	struct constraint *c = constraint_parse(expr, err, sizeof(err));
	int r;

	ck_assert_msg(c != NULL, "%s: %s", expr, err);
	r = constraint_eval(c, has, n, text);
	constraint_free(c);
	return r;
}

START_TEST(comparisons)
{
	ck_assert(eval(". >= 0 and . <= 1000", 1, 5, NULL));
	ck_assert(!eval(". >= 0 and . <= 1000", 1, 1001, NULL));
	ck_assert(!eval(". >= 0 and . <= 1000", 1, -1, NULL));
	ck_assert(eval(". < 0 or . > 10", 1, 11, NULL));
	ck_assert(!eval(". < 0 or . > 10", 1, 5, NULL));
	ck_assert(eval("10 > .", 1, 5, NULL));
	ck_assert(eval(". != 3", 1, 4, NULL));
	ck_assert(eval(". = 3", 1, 3, NULL));
	ck_assert(eval("(. > 1 and . < 3) or . = 10", 1, 10, NULL));
	ck_assert(eval("not(. > 5)", 1, 4, NULL));
	ck_assert(!eval(". >= 0", 0, 0, "abc"));
}
END_TEST

START_TEST(regex)
{
	ck_assert(eval("regex(., '^[0-9 +.]{8,15}$')", 0, 0, "0917 741 628"));
	ck_assert(!eval("regex(., '^[0-9 +.]{8,15}$')", 0, 0, "gọi tôi"));
	ck_assert(eval("regex(., \"^\\d{3}$\")", 0, 0, "123"));
	ck_assert(!eval("regex(., '^\\d{3}$')", 0, 0, "12a"));
}
END_TEST

static void
parse_fails(const char *expr, const char *where)
{
	char err[256];
	struct constraint *c = constraint_parse(expr, err, sizeof(err));

	ck_assert_msg(c == NULL, "%s parsed", expr);
	ck_assert_msg(strstr(err, where) != NULL, "%s: %s", expr, err);
}

START_TEST(errors)
{
	parse_fails(". >= ", "at character 6: expected a number");
	parse_fails(". => 5", "expected a number");
	parse_fails(". > 5 . < 9", "unexpected text");
	parse_fails("(. > 5", "expected ')'");
	parse_fails("regex(., '[')", "not a valid regular expression");
	parse_fails("regex(., 'abc", "never closed");
	parse_fails("regex(., 'a++++++++++')", "stacks repetitions");
	parse_fails("regex(., '(a{9}){9}{9}')", "stacks repetitions");
	parse_fails("selected(., 'a')", "expected '.'");
	parse_fails("((((((((((((((((((((((((((((((((((. > 1))))))))))))))))))))))))))))))))))", "nested too deeply");
}
END_TEST

static int
bounds(const char *expr, double *lo, int *ls, double *hi, int *hs)
{
	char err[256];
	struct constraint *c = constraint_parse(expr, err, sizeof(err));
	int r;

	ck_assert_ptr_nonnull(c);
	*lo = -1e9;
	*hi = 1e9;
	*ls = *hs = 0;
	r = constraint_bounds(c, lo, ls, hi, hs);
	constraint_free(c);
	return r;
}

START_TEST(intervals)
{
	double lo, hi;
	int ls, hs;

	ck_assert_int_eq(bounds(". >= 0 and . <= 1000", &lo, &ls, &hi, &hs), 0);
	ck_assert(lo == 0 && !ls && hi == 1000 && !hs);
	ck_assert_int_eq(bounds(". > 0 and 100 > . and . >= -5", &lo, &ls, &hi, &hs), 0);
	ck_assert(lo == 0 && ls && hi == 100 && hs);
	ck_assert_int_eq(bounds(". >= 0 or . <= 9", &lo, &ls, &hi, &hs), -1);
	ck_assert_int_eq(bounds(". != 3", &lo, &ls, &hi, &hs), -1);
	ck_assert_int_eq(bounds("regex(., 'a')", &lo, &ls, &hi, &hs), -1);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("constraint");
	TCase *tc = tcase_create("constraint");

	tcase_add_test(tc, comparisons);
	tcase_add_test(tc, regex);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, intervals);
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
