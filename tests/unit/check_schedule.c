/*
 * check_schedule.c — reminder steps, send windows and holidays as the
 * config writes them.
 */
#include <string.h>

#include <check.h>

#include "schedule.h"
#include "testutil.h"

START_TEST(steps)
{
	int v[SCHEDULE_MAX_STEPS], n = 0;
	char err[256];

	ck_assert_int_eq(schedule_steps_parse("+5d, -7d,-3d,+2d,-1d", v, &n,
	    err, sizeof(err)), 0);
	ck_assert_int_eq(n, 5);
	ck_assert(v[0] == -7 && v[1] == -3 && v[2] == -1 && v[3] == 2 &&
	    v[4] == 5);
	ck_assert_int_eq(schedule_steps_parse("-3", v, &n, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "'-3' is not a step such as -3d or +2d (days "
	    "before or after the deadline)");
	ck_assert_int_eq(schedule_steps_parse("3d", v, &n, err, sizeof(err)), -1);
	ck_assert_int_eq(schedule_steps_parse("-1000d", v, &n, err, sizeof(err)), -1);
}
END_TEST

START_TEST(windows)
{
	struct schedule_window w;
	char err[256];

	ck_assert_int_eq(schedule_window_parse("Mon-Fri 08:00-17:00", &w, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(w.days, 0x1f);
	ck_assert(w.start == 480 && w.end == 1020);
	ck_assert_int_eq(schedule_window_parse("sat,Mon 07:30-11:00", &w, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(w.days, 0x21);
	/* A range that wraps the week end. */
	ck_assert_int_eq(schedule_window_parse("Sat-Mon 09:00-10:00", &w, err,
	    sizeof(err)), 0);
	ck_assert_uint_eq(w.days, 0x61);
	ck_assert_int_eq(schedule_window_parse("Mon-Fri 17:00-08:00", &w, err,
	    sizeof(err)), -1);
	ck_assert_int_eq(schedule_window_parse("Thứ 2 08:00-17:00", &w, err,
	    sizeof(err)), -1);
	ck_assert_str_eq(err, "'Thứ 2 08:00-17:00' is not a window such as "
	    "Mon-Fri 08:00-17:00");
	ck_assert_int_eq(schedule_window_parse("Mon-Fri", &w, err, sizeof(err)), -1);
	ck_assert_int_eq(schedule_clock_parse("24:00"), 1440);
	ck_assert_int_eq(schedule_clock_parse("8h"), -1);
}
END_TEST

START_TEST(holidays)
{
	struct schedule_holiday *h;
	GArray *v;
	char err[256];

	v = schedule_holidays_parse("2024-02-08..2024-02-14, 2024-04-30", err,
	    sizeof(err));
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(v->len, 2);
	h = &g_array_index(v, struct schedule_holiday, 0);
	ck_assert_int_eq(h->first, 19761);	/* 2024-02-08 */
	ck_assert_int_eq(h->last - h->first, 6);
	h = &g_array_index(v, struct schedule_holiday, 1);
	ck_assert_int_eq(h->first, h->last);
	g_array_unref(v);
	v = schedule_holidays_parse("", err, sizeof(err));
	ck_assert_uint_eq(v->len, 0);
	g_array_unref(v);
	ck_assert_ptr_null(schedule_holidays_parse("2024-02-14..2024-02-08",
	    err, sizeof(err)));
	ck_assert_str_eq(err, "'2024-02-14..2024-02-08' is not a date or a "
	    "range such as 2024-02-08..2024-02-14");
	ck_assert_ptr_null(schedule_holidays_parse("30/4/2024", err,
	    sizeof(err)));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("schedule");
	TCase *tc = tcase_create("schedule");

	tcase_add_test(tc, steps);
	tcase_add_test(tc, windows);
	tcase_add_test(tc, holidays);
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
