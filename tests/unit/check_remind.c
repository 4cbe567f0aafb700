/*
 * check_remind.c — the reminder schedule's decisions on one survey:
 * deadline 2023-06-15 (a Thursday), steps -7d,-3d,-1d,+2d,+5d, window
 * Mon-Fri 08:00-17:00 in Hanoi time, holidays 2023-06-20..2023-06-21.
 * The steps fall due on Thu 06-08, Mon 06-12, Wed 06-14, Mon 06-19 (+2d is
 * a Saturday) and Thu 06-22 (+5d is the holiday), each at 08:00.
 */
#include <string.h>

#include <check.h>
#include <glib.h>

#include "clock.h"
#include "remind.h"
#include "testutil.h"

#define FORM_SENT	"2023-06-01 09:00"

static struct survey sv;
static GArray *actions;

static gint64
at(const char *s)
{
	gint64 t;

	ck_assert_int_eq(clock_parse(s, sv.tz, &t), 0);
	return t;
}

static void
survey_window_set(const char *s)
{
	char err[256];

	ck_assert_int_eq(schedule_window_parse(s, &sv.window, err,
	    sizeof(err)), 0);
}

static void
setup(void)
{
	char err[256];

	memset(&sv, 0, sizeof(sv));
	sv.tz = g_time_zone_new_identifier("Asia/Ho_Chi_Minh");
	ck_assert_ptr_nonnull(sv.tz);
	ck_assert_int_eq(schedule_steps_parse("-7d,-3d,-1d,+2d,+5d", sv.steps,
	    &sv.nsteps, err, sizeof(err)), 0);
	survey_window_set("Mon-Fri 08:00-17:00");
	sv.holidays = schedule_holidays_parse("2023-06-20..2023-06-21", err,
	    sizeof(err));
	ck_assert_ptr_nonnull(sv.holidays);
	sv.max_reminders = 5;
	sv.opens = at("2023-06-01 00:00");
	ck_assert_int_eq(clock_parse_day_end("2023-06-15", sv.tz,
	    &sv.deadline), 0);
	ck_assert_int_eq(clock_parse_day_end("2023-06-30", sv.tz,
	    &sv.closes), 0);
	actions = g_array_new(FALSE, FALSE, sizeof(struct remind_action));
}

static void
teardown(void)
{
	g_array_unref(actions);
	g_array_unref(sv.holidays);
	g_time_zone_unref(sv.tz);
}

/* A respondent sent the form on FORM_SENT, with these steps done. */
static struct remind_respondent
respondent(const char *const *done, size_t ndone)
{
	struct remind_respondent r;

	memset(&r, 0, sizeof(r));
	r.code = "24";
	r.form_sent = at(FORM_SENT);
	r.last_mail = r.form_sent;
	r.steps_done = done;
	r.nsteps_done = ndone;
	return r;
}

static const struct remind_action *
action(guint i)
{
	ck_assert_uint_lt(i, actions->len);
	return &g_array_index(actions, struct remind_action, i);
}

/* Plans for r alone at now; the number of mails. */
static size_t
plan(const char *now, const struct remind_respondent *r,
    struct remind_why *why)
{
	g_array_set_size(actions, 0);
	return remind_plan(&sv, at(now), r, 1, actions, why);
}

/* Nothing goes to r at now, for that reason. */
static void
assert_nothing(const char *now, const struct remind_respondent *r,
    enum remind_reason reason)
{
	struct remind_why why;

	ck_assert_uint_eq(plan(now, r, &why), 0);
	ck_assert_uint_eq(actions->len, 0);
	ck_assert_int_eq(why.reason, reason);
}

/* Only the step goes to r at now. */
static void
assert_send(const char *now, const struct remind_respondent *r,
    const char *step, int escalate)
{
	struct remind_why why;

	ck_assert_uint_eq(plan(now, r, &why), 1);
	ck_assert_uint_eq(actions->len, 1);
	ck_assert_int_eq(action(0)->what, REMIND_SEND);
	ck_assert_str_eq(action(0)->why.step, step);
	ck_assert_int_eq(action(0)->escalate, escalate);
	ck_assert_int_eq(why.reason, REMIND_DUE);
}

/* When the next reminder would go to r alone. */
static gint64
next_due(const char *now, const struct remind_respondent *r)
{
	return remind_next_due(&sv, at(now), r, 1, NULL);
}

static const char *
why_text(const struct remind_why *why)
{
	static char buf[256];

	return remind_why_format(&sv, why, buf, sizeof(buf));
}

START_TEST(keys)
{
	char buf[REMIND_STEP_LEN];

	ck_assert_str_eq(remind_step_key(-3, buf, sizeof(buf)), "-3d");
	ck_assert_str_eq(remind_step_key(2, buf, sizeof(buf)), "+2d");
	ck_assert_str_eq(remind_manual_key(&sv, at("2023-06-12 10:00"), buf,
	    sizeof(buf)), "manual-20230612");
	/* 23:30 in Hanoi is still the 12th there, the 12th's 16:30 in UTC. */
	ck_assert_str_eq(remind_manual_key(&sv, at("2023-06-12 23:30"), buf,
	    sizeof(buf)), "manual-20230612");
	ck_assert_str_eq(remind_manual_key(&sv, at("2023-06-13 06:30"), buf,
	    sizeof(buf)), "manual-20230613");
}
END_TEST

START_TEST(step_due_at_window_start)
{
	struct remind_respondent r = respondent(NULL, 0);
	struct remind_why why;

	plan("2023-06-07 16:59", &r, &why);
	ck_assert_int_eq(why.reason, REMIND_NOT_DUE);
	ck_assert_str_eq(why.step, "-7d");
	ck_assert_int_eq(why.when, at("2023-06-08 08:00"));
	assert_nothing("2023-06-08 07:59", &r, REMIND_NOT_DUE);
	assert_send("2023-06-08 08:00", &r, "-7d", 0);
	ck_assert_int_eq(action(0)->why.when, at("2023-06-08 08:00"));
	assert_send("2023-06-08 16:59", &r, "-7d", 0);
	/* Due but outside the window, before or after the hours: nothing. */
	assert_nothing("2023-06-08 17:00", &r, REMIND_OUTSIDE_WINDOW);
	assert_nothing("2023-06-09 07:59", &r, REMIND_OUTSIDE_WINDOW);
	assert_send("2023-06-09 08:00", &r, "-7d", 0);
}
END_TEST

START_TEST(step_due_at_midnight)
{
	static const char *const done[] = { "-7d", "-3d", "-1d" };
	struct remind_respondent r = respondent(NULL, 0);
	struct remind_why why;

	/* With a window all day long, a step is due at 00:00 of its date. */
	survey_window_set("Mon-Sun 00:00-24:00");
	plan("2023-06-07 23:59", &r, &why);
	ck_assert_int_eq(why.reason, REMIND_NOT_DUE);
	ck_assert_int_eq(why.when, at("2023-06-08 00:00"));
	assert_send("2023-06-08 00:00", &r, "-7d", 0);
	/* The +2d Saturday stays a Saturday. */
	r = respondent(done, 3);
	plan("2023-06-16 12:00", &r, &why);
	ck_assert_str_eq(why.step, "+2d");
	ck_assert_int_eq(why.when, at("2023-06-17 00:00"));
}
END_TEST

START_TEST(every_step_due)
{
	static const char *const done[] = { "-7d", "-3d", "-1d", "+2d", "+5d" };
	static const struct {
		const char *before, *due;
	} want[] = {
		{ "2023-06-07 16:59", "2023-06-08 08:00" },
		{ "2023-06-09 16:59", "2023-06-12 08:00" },
		{ "2023-06-13 16:59", "2023-06-14 08:00" },
		/* +2d is Saturday 06-17: Monday. */
		{ "2023-06-16 16:59", "2023-06-19 08:00" },
		/* +5d is Tuesday 06-20, a holiday as is the 21st: Thursday. */
		{ "2023-06-19 16:59", "2023-06-22 08:00" },
	};
	struct remind_respondent r;
	struct remind_why why;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(want); i++) {
		r = respondent(done, i);
		plan(want[i].before, &r, &why);
		ck_assert_int_eq(why.reason, REMIND_NOT_DUE);
		ck_assert_str_eq(why.step, done[i]);
		ck_assert_int_eq(why.when, at(want[i].due));
		assert_nothing(want[i].before, &r, REMIND_NOT_DUE);
		assert_send(want[i].due, &r, done[i], i >= 3);
	}
	r = respondent(done, G_N_ELEMENTS(done));
	assert_nothing("2023-06-28 10:00", &r, REMIND_NO_STEP);
}
END_TEST

START_TEST(weekend_and_holiday)
{
	static const char *const done[] = { "-7d", "-3d", "-1d" };
	struct remind_respondent r = respondent(done, 3);

	assert_nothing("2023-06-17 10:00", &r, REMIND_NOT_DUE);
	/* +2d is due since Monday; Tuesday is a holiday. */
	assert_nothing("2023-06-20 10:00", &r, REMIND_HOLIDAY);
	assert_nothing("2023-06-21 08:00", &r, REMIND_HOLIDAY);
	assert_send("2023-06-19 08:00", &r, "+2d", 1);
	/* The +2d left over on Thursday is skipped for +5d. */
	ck_assert_uint_eq(plan("2023-06-22 08:00", &r, NULL), 1);
	ck_assert_uint_eq(actions->len, 2);
	ck_assert_int_eq(action(0)->what, REMIND_SKIP);
	ck_assert_str_eq(action(0)->why.step, "+2d");
	ck_assert_int_eq(action(1)->what, REMIND_SEND);
	ck_assert_str_eq(action(1)->why.step, "+5d");
}
END_TEST

START_TEST(latest_sent_others_skipped)
{
	struct remind_respondent r = respondent(NULL, 0);
	struct remind_why why;

	/* Nothing went out yet: -7d, -3d and -1d are all due on the 14th. */
	ck_assert_uint_eq(plan("2023-06-14 09:00", &r, &why), 1);
	ck_assert_uint_eq(actions->len, 3);
	ck_assert_int_eq(action(0)->what, REMIND_SKIP);
	ck_assert_str_eq(action(0)->why.step, "-7d");
	ck_assert_int_eq(action(0)->why.reason, REMIND_SUPERSEDED);
	ck_assert_int_eq(action(0)->escalate, 0);
	ck_assert_int_eq(action(1)->what, REMIND_SKIP);
	ck_assert_str_eq(action(1)->why.step, "-3d");
	ck_assert_int_eq(action(2)->what, REMIND_SEND);
	ck_assert_str_eq(action(2)->why.step, "-1d");
	ck_assert_int_eq(action(2)->why.when, at("2023-06-14 08:00"));
	ck_assert_uint_eq(action(2)->respondent, 0);
	ck_assert_str_eq(why.step, "-1d");
	ck_assert_str_eq(why_text(&action(0)->why),
	    "step -7d skipped: a later reminder goes instead");
	ck_assert_str_eq(why_text(&why), "step -1d due 2023-06-14 08:00");
}
END_TEST

START_TEST(gap_of_a_day)
{
	static const char *const done[] = { "-7d" };
	struct remind_respondent r = respondent(done, 1);
	struct remind_why why;

	r.last_mail = at("2023-06-11 10:00");
	plan("2023-06-12 08:00", &r, &why);
	ck_assert_int_eq(why.reason, REMIND_TOO_SOON);
	ck_assert_int_eq(why.when, at("2023-06-11 10:00"));
	assert_nothing("2023-06-12 09:59", &r, REMIND_TOO_SOON);
	assert_send("2023-06-12 10:00", &r, "-3d", 0);
	/* The form itself counts as a mail. */
	r = respondent(done, 1);
	r.form_sent = r.last_mail = at("2023-06-11 15:00");
	assert_nothing("2023-06-12 14:59", &r, REMIND_TOO_SOON);
	assert_send("2023-06-12 15:00", &r, "-3d", 0);
}
END_TEST

START_TEST(answered)
{
	struct remind_respondent r = respondent(NULL, 0);

	r.answered = 1;
	assert_nothing("2023-06-14 09:00", &r, REMIND_ANSWERED);
	ck_assert_int_eq(next_due("2023-06-05 09:00", &r), 0);
}
END_TEST

START_TEST(max_reminders)
{
	static const char *const done[] = { "-7d", "-3d", "-1d" };
	struct remind_respondent r = respondent(done, 3);
	struct remind_why why;

	r.reminders_sent = 5;
	plan("2023-06-19 09:00", &r, &why);
	ck_assert_int_eq(why.reason, REMIND_MAX_REACHED);
	ck_assert_str_eq(why_text(&why), "max-reminders reached (5)");
	ck_assert_int_eq(next_due("2023-06-16 09:00", &r), 0);
	/*
	 * Two allowed: -7d went, -3d was skipped for -1d, which goes as the
	 * second; +2d is then one too many.
	 */
	sv.max_reminders = 2;
	r = respondent(done, 1);
	r.reminders_sent = 1;
	ck_assert_uint_eq(plan("2023-06-14 09:00", &r, NULL), 1);
	ck_assert_uint_eq(actions->len, 2);
	ck_assert_str_eq(action(1)->why.step, "-1d");
	r = respondent(done, 3);
	r.reminders_sent = 2;
	assert_nothing("2023-06-19 09:00", &r, REMIND_MAX_REACHED);
}
END_TEST

START_TEST(form_not_sent)
{
	struct remind_respondent r = respondent(NULL, 0);

	r.form_sent = r.last_mail = 0;
	assert_nothing("2023-06-14 09:00", &r, REMIND_FORM_NOT_SENT);
	ck_assert_int_eq(next_due("2023-06-05 09:00", &r), 0);
	/* A form dated after now (a --now in the past) is not sent yet. */
	r.form_sent = at("2023-06-15 09:00");
	assert_nothing("2023-06-14 09:00", &r, REMIND_FORM_NOT_SENT);
}
END_TEST

START_TEST(opens_and_closes)
{
	static const char *const done[] = { "-7d", "-3d", "-1d", "+2d" };
	struct remind_respondent r = respondent(done, 4);
	struct remind_why why;

	plan("2023-07-03 09:00", &r, &why);
	ck_assert_int_eq(why.reason, REMIND_CLOSED);
	ck_assert_str_eq(why_text(&why), "closed");
	assert_send("2023-06-30 16:59", &r, "+5d", 1);
	/* Closing before +5d leaves nothing next. */
	ck_assert_int_eq(clock_parse_day_end("2023-06-21", sv.tz, &sv.closes),
	    0);
	ck_assert_int_eq(next_due("2023-06-19 09:00", &r), 0);
	sv.opens = at("2023-06-10 00:00");
	plan("2023-06-08 09:00", &r, &why);
	ck_assert_int_eq(why.reason, REMIND_NOT_OPEN);
	ck_assert_str_eq(why_text(&why), "not open until 2023-06-10 00:00");
}
END_TEST

START_TEST(escalate_after_deadline)
{
	static const char *const done[] = { "-7d", "-3d" };
	struct remind_respondent r = respondent(done, 2);

	assert_send("2023-06-15 09:00", &r, "-1d", 0);
	/* -1d left behind: +2d goes alone, cc'd. */
	ck_assert_uint_eq(plan("2023-06-19 08:00", &r, NULL), 1);
	ck_assert_int_eq(action(0)->escalate, 0);
	ck_assert_int_eq(action(1)->what, REMIND_SEND);
	ck_assert_int_eq(action(1)->escalate, 1);
}
END_TEST

START_TEST(several_respondents)
{
	struct remind_respondent r[3];
	struct remind_why why[3];

	r[0] = respondent(NULL, 0);
	r[0].answered = 1;
	r[1] = respondent(NULL, 0);
	r[1].last_mail = at("2023-06-08 08:00");
	r[2] = respondent(NULL, 0);
	g_array_set_size(actions, 0);
	ck_assert_uint_eq(remind_plan(&sv, at("2023-06-08 09:00"), r, 3,
	    actions, why), 1);
	ck_assert_uint_eq(actions->len, 1);
	ck_assert_uint_eq(action(0)->respondent, 2);
	ck_assert_int_eq(why[0].reason, REMIND_ANSWERED);
	ck_assert_int_eq(why[1].reason, REMIND_TOO_SOON);
	ck_assert_int_eq(why[2].reason, REMIND_DUE);
}
END_TEST

START_TEST(next_due_times)
{
	static const char *const done[] = { "-7d", "-3d", "-1d", "+2d", "+5d" };
	struct remind_respondent r = respondent(NULL, 0);
	struct remind_why why;

	ck_assert_int_eq(next_due("2023-06-05 10:00", &r),
	    at("2023-06-08 08:00"));
	/* Due now: now. */
	ck_assert_int_eq(next_due("2023-06-08 10:00", &r),
	    at("2023-06-08 10:00"));
	/* Due, but the gap ends at 16:30 the next day. */
	r = respondent(done, 1);
	r.last_mail = at("2023-06-11 16:30");
	ck_assert_int_eq(next_due("2023-06-11 17:00", &r),
	    at("2023-06-12 16:30"));
	/* The gap ends after hours: the next window morning. */
	r = respondent(done, 2);
	r.last_mail = at("2023-06-13 17:30");
	ck_assert_int_eq(next_due("2023-06-14 09:00", &r),
	    at("2023-06-15 08:00"));
	/* Due on a Saturday and over a holiday. */
	r = respondent(done, 3);
	ck_assert_int_eq(next_due("2023-06-16 09:00", &r),
	    at("2023-06-19 08:00"));
	r = respondent(done, 4);
	ck_assert_int_eq(next_due("2023-06-19 09:00", &r),
	    at("2023-06-22 08:00"));
	r = respondent(done, 5);
	ck_assert_int_eq(next_due("2023-06-19 09:00", &r), 0);
	/* The text of the next step. */
	r = respondent(done, 2);
	plan("2023-06-09 09:00", &r, &why);
	ck_assert_str_eq(why_text(&why), "next step -1d due 2023-06-14 08:00");
}
END_TEST

START_TEST(next_due_roster)
{
	static const char *const done[] = { "-7d", "-3d", "-1d", "+2d" };
	struct remind_respondent r[3];
	gint64 next[3];

	r[0] = respondent(done, 4);
	r[1] = respondent(done, 3);
	r[2] = respondent(NULL, 0);
	r[2].answered = 1;
	/* Each one's, and the soonest for the status line. */
	ck_assert_int_eq(remind_next_due(&sv, at("2023-06-16 09:00"), r, 3,
	    next), at("2023-06-19 08:00"));
	ck_assert_int_eq(next[0], at("2023-06-22 08:00"));
	ck_assert_int_eq(next[1], at("2023-06-19 08:00"));
	ck_assert_int_eq(next[2], 0);
	ck_assert_int_eq(remind_next_due(&sv, at("2023-06-16 09:00"), &r[2], 1,
	    NULL), 0);
}
END_TEST

START_TEST(no_deadline)
{
	struct remind_respondent r = respondent(NULL, 0);

	sv.deadline = 0;
	assert_nothing("2023-06-14 09:00", &r, REMIND_NO_STEP);
	ck_assert_int_eq(next_due("2023-06-14 09:00", &r), 0);
}
END_TEST

START_TEST(manual)
{
	static const char *const done[] = { "-7d" };
	static const char *const today[] = { "-7d", "manual-20230609" };
	struct remind_respondent r = respondent(done, 1);
	struct remind_why why;

	g_array_set_size(actions, 0);
	ck_assert_uint_eq(remind_manual(&sv, at("2023-06-09 10:00"), &r, 1,
	    actions, &why), 1);
	ck_assert_uint_eq(actions->len, 1);
	ck_assert_str_eq(action(0)->why.step, "manual-20230609");
	ck_assert_int_eq(action(0)->escalate, 0);
	ck_assert_str_eq(why_text(&why), "manual reminder");
	/* The 24 h gap holds for it too. */
	r.last_mail = at("2023-06-09 08:00");
	g_array_set_size(actions, 0);
	ck_assert_uint_eq(remind_manual(&sv, at("2023-06-09 10:00"), &r, 1,
	    actions, &why), 0);
	ck_assert_int_eq(why.reason, REMIND_TOO_SOON);
	/* Once a day. */
	r = respondent(today, 2);
	ck_assert_uint_eq(remind_manual(&sv, at("2023-06-09 16:00"), &r, 1,
	    actions, &why), 0);
	ck_assert_str_eq(why_text(&why), "already reminded today "
	    "(manual-20230609)");
	/* Outside the window, nothing. */
	r = respondent(done, 1);
	ck_assert_uint_eq(remind_manual(&sv, at("2023-06-10 10:00"), &r, 1,
	    actions, &why), 0);
	ck_assert_int_eq(why.reason, REMIND_OUTSIDE_WINDOW);
	/* It goes instead of the steps due, and late it is cc'd. */
	r = respondent(NULL, 0);
	g_array_set_size(actions, 0);
	ck_assert_uint_eq(remind_manual(&sv, at("2023-06-16 10:00"), &r, 1,
	    actions, &why), 1);
	ck_assert_uint_eq(actions->len, 4);
	ck_assert_int_eq(action(2)->what, REMIND_SKIP);
	ck_assert_str_eq(action(2)->why.step, "-1d");
	ck_assert_int_eq(action(3)->what, REMIND_SEND);
	ck_assert_str_eq(action(3)->why.step, "manual-20230616");
	ck_assert_int_eq(action(3)->escalate, 1);
}
END_TEST

START_TEST(explanations)
{
	struct remind_why why;

	memset(&why, 0, sizeof(why));
	why.reason = REMIND_ANSWERED;
	ck_assert_str_eq(why_text(&why), "answered");
	why.reason = REMIND_OUTSIDE_WINDOW;
	ck_assert_str_eq(why_text(&why),
	    "outside the send window (Mon-Fri 08:00-17:00)");
	why.reason = REMIND_HOLIDAY;
	ck_assert_str_eq(why_text(&why), "holiday");
	why.reason = REMIND_FORM_NOT_SENT;
	ck_assert_str_eq(why_text(&why), "form not sent yet");
	why.reason = REMIND_NO_STEP;
	ck_assert_str_eq(why_text(&why), "no reminder step left");
	why.reason = REMIND_TOO_SOON;
	why.when = at("2023-06-05 09:12");
	ck_assert_str_eq(why_text(&why),
	    "less than 24 h since the last mail (2023-06-05 09:12)");
	why.reason = REMIND_NOT_DUE;
	g_strlcpy(why.step, "-1d", sizeof(why.step));
	why.when = at("2023-06-09 08:00");
	ck_assert_str_eq(why_text(&why), "next step -1d due 2023-06-09 08:00");
	/* The window as the config wrote it. */
	why.reason = REMIND_OUTSIDE_WINDOW;
	survey_window_set("fri,Mon,Wed 07:30-11:00");
	ck_assert_str_eq(why_text(&why),
	    "outside the send window (Mon,Wed,Fri 07:30-11:00)");
	survey_window_set("Sat-Sun 00:00-24:00");
	ck_assert_str_eq(why_text(&why),
	    "outside the send window (Sat-Sun 00:00-24:00)");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("remind");
	TCase *tc = tcase_create("remind");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, keys);
	tcase_add_test(tc, step_due_at_window_start);
	tcase_add_test(tc, step_due_at_midnight);
	tcase_add_test(tc, every_step_due);
	tcase_add_test(tc, weekend_and_holiday);
	tcase_add_test(tc, latest_sent_others_skipped);
	tcase_add_test(tc, gap_of_a_day);
	tcase_add_test(tc, answered);
	tcase_add_test(tc, max_reminders);
	tcase_add_test(tc, form_not_sent);
	tcase_add_test(tc, opens_and_closes);
	tcase_add_test(tc, escalate_after_deadline);
	tcase_add_test(tc, several_respondents);
	tcase_add_test(tc, next_due_times);
	tcase_add_test(tc, next_due_roster);
	tcase_add_test(tc, no_deadline);
	tcase_add_test(tc, manual);
	tcase_add_test(tc, explanations);
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
