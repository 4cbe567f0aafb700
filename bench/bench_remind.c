/*
 * bench_remind.c — how long the reminder scheduler takes to decide for a
 * large roster.
 *
 *	bench_remind [-n respondents] [-r rounds]
 *
 * Builds a survey like the example config (deadline 2023-06-15, steps
 * -7d,-3d,-1d,+2d,+5d, Mon-Fri 08:00-17:00, a holiday) and respondents in
 * assorted states (answered, form not sent, mail a moment ago, some steps
 * done, every step done, max-reminders reached), then times remind_plan()
 * over all of them at a moment when most are due, and remind_next_due()
 * for each, as status does.  The target is under 100 ms for 10,000.
 *
 * Prints one line of key=value pairs.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "remind.h"

#define RESPONDENTS_DEFAULT	10000
#define ROUNDS_DEFAULT		5
#define ROUNDS_MAX		100
#define STATES			7

static const char *const done_steps[] = { "-7d", "-3d", "-1d", "+2d", "+5d" };

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: bench_remind [-n respondents] [-r rounds]\n");
	exit(2);
}

static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static gint64
at(const struct survey *sv, const char *s)
{
	gint64 t;

	if (clock_parse(s, sv->tz, &t) == -1)
		errx(1, "bad time %s", s);
	return t;
}

static void
survey_init(struct survey *sv)
{
	char err[256];

	memset(sv, 0, sizeof(*sv));
	sv->tz = g_time_zone_new_identifier("Asia/Ho_Chi_Minh");
	if (sv->tz == NULL)
		errx(1, "no timezone Asia/Ho_Chi_Minh");
	if (schedule_steps_parse("-7d,-3d,-1d,+2d,+5d", sv->steps,
	    &sv->nsteps, err, sizeof(err)) == -1 ||
	    schedule_window_parse("Mon-Fri 08:00-17:00", &sv->window, err,
	    sizeof(err)) == -1 ||
	    (sv->holidays = schedule_holidays_parse("2023-06-20..2023-06-21",
	    err, sizeof(err))) == NULL ||
	    clock_parse_day_end("2023-06-15", sv->tz, &sv->deadline) == -1)
		errx(1, "survey: %s", err);
	sv->max_reminders = 5;
	sv->opens = at(sv, "2023-06-01 00:00");
	sv->closes = at(sv, "2023-06-30 23:59");
}

/* Respondent i in one of STATES states, in turn. */
static void
respondent_init(const struct survey *sv, struct remind_respondent *r,
    size_t i)
{
	memset(r, 0, sizeof(*r));
	r->code = "bench";
	r->form_sent = r->last_mail = at(sv, "2023-06-01 09:00");
	r->steps_done = done_steps;
	switch (i % STATES) {
	case 0:
		r->answered = 1;
		break;
	case 1:
		r->form_sent = r->last_mail = 0;
		break;
	case 2:
		r->last_mail = at(sv, "2023-06-14 08:30");
		r->nsteps_done = 1;
		break;
	case 3:
		r->nsteps_done = 2;
		r->reminders_sent = 2;
		break;
	case 4:
		r->nsteps_done = G_N_ELEMENTS(done_steps);
		r->reminders_sent = 4;
		break;
	case 5:
		r->reminders_sent = 5;
		break;
	default:
		break;
	}
}

static int
double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct survey sv;
	struct remind_respondent *r;
	GArray *actions;
	double plan[ROUNDS_MAX], t0, next_ms;
	gint64 now, soonest, *next;
	size_t n = RESPONDENTS_DEFAULT, i, sent = 0;
	int rounds = ROUNDS_DEFAULT, c, k;

	while ((c = getopt(argc, argv, "n:r:")) != -1) {
		switch (c) {
		case 'n':
			n = (size_t)strtoul(optarg, NULL, 10);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		default:
			usage();
		}
	}
	if (n == 0 || rounds < 1 || rounds > ROUNDS_MAX)
		usage();
	survey_init(&sv);
	r = g_new(struct remind_respondent, n);
	for (i = 0; i < n; i++)
		respondent_init(&sv, &r[i], i);
	now = at(&sv, "2023-06-14 09:00");
	actions = g_array_sized_new(FALSE, FALSE, sizeof(struct remind_action),
	    (guint)n * 3);
	for (k = 0; k < rounds; k++) {
		g_array_set_size(actions, 0);
		t0 = now_seconds();
		sent = remind_plan(&sv, now, r, n, actions, NULL);
		plan[k] = (now_seconds() - t0) * 1e3;
	}
	qsort(plan, (size_t)rounds, sizeof(*plan), double_cmp);
	next = g_new(gint64, n);
	t0 = now_seconds();
	soonest = remind_next_due(&sv, now, r, n, next);
	next_ms = (now_seconds() - t0) * 1e3;
	printf("respondents=%zu rounds=%d sent=%zu actions=%u "
	    "plan_ms_median=%.2f plan_ms_best=%.2f next_due_ms=%.2f "
	    "soonest=%lld\n", n, rounds, sent, actions->len,
	    plan[rounds / 2], plan[0], next_ms, (long long)soonest);
	g_array_unref(actions);
	g_free(next);
	g_free(r);
	g_array_unref(sv.holidays);
	g_time_zone_unref(sv.tz);
	return 0;
}
