/*
 * remind.c — the reminder schedule's decisions: each step's due time in
 * the send window, which respondent gets which reminder now, why the
 * others get none, and when the next one would go.
 */
#include <stdio.h>
#include <string.h>

#include "remind.h"

/*
 * How far ahead the first window minute is looked for: a window of one
 * weekday behind a Tết holiday is still found, a config with no window
 * minute at all (every day a holiday) ends the search.
 */
#define REMIND_SEARCH_DAYS	400
/* GLib counts days from 0001-01-01 (day 1); 1970-01-01 is day 719163. */
#define REMIND_EPOCH_JULIAN	719163
#define REMIND_TIME_LEN		32	/* "2023-06-08 08:00" */
#define REMIND_WINDOW_LEN	64	/* "Mon,Wed,Fri,Sun 00:00-24:00" */

/* The survey's schedule at one moment, worked out once for every respondent. */
struct calendar {
	const struct survey	*sv;
	gint64			 now;
	int			 nsteps;
	gint64			 due[SCHEDULE_MAX_STEPS];	/* 0: never */
	char			 key[SCHEDULE_MAX_STEPS][REMIND_STEP_LEN];
	int			 in_window;
	enum remind_reason	 outside;	/* when !in_window */
};

static GDateTime *
local_at(const struct survey *sv, gint64 t)
{
	GDateTime *utc, *local;

	utc = g_date_time_new_from_unix_utc(t);
	local = g_date_time_to_timezone(utc, sv->tz);
	g_date_time_unref(utc);
	return local;
}

/* The local time at minute of dt's date. */
static gint64
local_minute(const struct survey *sv, GDateTime *dt, int minute)
{
	GDateTime *at;
	gint64 t;
	int y, m, d;

	g_date_time_get_ymd(dt, &y, &m, &d);
	at = g_date_time_new(sv->tz, y, m, d, minute / 60, minute % 60, 0);
	t = g_date_time_to_unix(at);
	g_date_time_unref(at);
	return t;
}

/* 00:00 of the date days after dt's; a new reference. */
static GDateTime *
local_midnight(const struct survey *sv, GDateTime *dt, int days)
{
	GDateTime *mid, *moved;
	int y, m, d;

	g_date_time_get_ymd(dt, &y, &m, &d);
	mid = g_date_time_new(sv->tz, y, m, d, 0, 0, 0);
	moved = g_date_time_add_days(mid, days);
	g_date_time_unref(mid);
	return moved;
}

static int
day_is_holiday(const struct survey *sv, GDateTime *dt)
{
	const struct schedule_holiday *h;
	GDate date;
	gint64 day;
	int y, m, d;
	guint i;

	if (sv->holidays == NULL)
		return 0;
	g_date_time_get_ymd(dt, &y, &m, &d);
	g_date_clear(&date, 1);
	g_date_set_dmy(&date, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
	day = (gint64)g_date_get_julian(&date) - REMIND_EPOCH_JULIAN;
	for (i = 0; i < sv->holidays->len; i++) {
		h = &g_array_index(sv->holidays, struct schedule_holiday, i);
		if (day >= h->first && day <= h->last)
			return 1;
	}
	return 0;
}

/* A weekday of the window that is no holiday. */
static int
day_is_open(const struct survey *sv, GDateTime *dt)
{
	int dow = g_date_time_get_day_of_week(dt) - 1;	/* Monday 0 */

	return (sv->window.days & (1u << dow)) != 0 && !day_is_holiday(sv, dt);
}

static int
day_minute(GDateTime *dt)
{
	return g_date_time_get_hour(dt) * 60 + g_date_time_get_minute(dt);
}

/* The first send-window time at or after t; 0 when there is none. */
static gint64
window_next(const struct survey *sv, gint64 t)
{
	GDateTime *dt = local_at(sv, t), *next;
	gint64 found = 0;
	int i, min, open;

	for (i = 0; i < REMIND_SEARCH_DAYS && found == 0; i++) {
		min = day_minute(dt);
		open = day_is_open(sv, dt);
		if (open && min < sv->window.start)
			found = local_minute(sv, dt, sv->window.start);
		else if (open && min < sv->window.end)
			found = g_date_time_to_unix(dt);
		else {
			next = local_midnight(sv, dt, 1);
			g_date_time_unref(dt);
			dt = next;
		}
	}
	g_date_time_unref(dt);
	return found;
}

/* Whether mail may go at now, and which reason says it may not. */
static void
calendar_window(struct calendar *c)
{
	GDateTime *dt = local_at(c->sv, c->now);
	int min = day_minute(dt);

	c->in_window = 0;
	if (day_is_holiday(c->sv, dt))
		c->outside = REMIND_HOLIDAY;
	else if (!day_is_open(c->sv, dt) || min < c->sv->window.start ||
	    min >= c->sv->window.end)
		c->outside = REMIND_OUTSIDE_WINDOW;
	else
		c->in_window = 1;
	g_date_time_unref(dt);
}

static void
calendar_init(struct calendar *c, const struct survey *sv, gint64 now)
{
	GDateTime *deadline, *day;
	int i;

	memset(c, 0, sizeof(*c));
	c->sv = sv;
	c->now = now;
	calendar_window(c);
	/* With no deadline the steps have no date: none is ever due. */
	if (sv->deadline == 0)
		return;
	deadline = local_at(sv, sv->deadline);
	for (i = 0; i < sv->nsteps; i++) {
		day = local_midnight(sv, deadline, sv->steps[i]);
		c->due[i] = window_next(sv, g_date_time_to_unix(day));
		g_date_time_unref(day);
		remind_step_key(sv->steps[i], c->key[i], sizeof(c->key[i]));
	}
	c->nsteps = sv->nsteps;
	g_date_time_unref(deadline);
}

static void
why_set(struct remind_why *w, enum remind_reason reason, const char *step,
    gint64 when)
{
	w->reason = reason;
	g_strlcpy(w->step, step ? step : "", sizeof(w->step));
	w->when = when;
}

static void
action_add(GArray *actions, size_t i, enum remind_what what, int escalate,
    const struct remind_why *w)
{
	struct remind_action a;

	memset(&a, 0, sizeof(a));
	a.respondent = i;
	a.what = what;
	a.escalate = escalate;
	a.why = *w;
	g_array_append_val(actions, a);
}

static int
step_is_done(const struct remind_respondent *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nsteps_done; i++)
		if (strcmp(r->steps_done[i], key) == 0)
			return 1;
	return 0;
}

static int
step_is_pending(const struct calendar *c, const struct remind_respondent *r,
    int i)
{
	return c->due[i] != 0 && c->due[i] <= c->now &&
	    !step_is_done(r, c->key[i]);
}

/* The latest step due and not in the outbox; -1 when none. */
static int
step_latest(const struct calendar *c, const struct remind_respondent *r)
{
	int i;

	for (i = c->nsteps - 1; i >= 0; i--)
		if (step_is_pending(c, r, i))
			return i;
	return -1;
}

/* The first step still to come; -1 when none. */
static int
step_next(const struct calendar *c, const struct remind_respondent *r)
{
	int i;

	for (i = 0; i < c->nsteps; i++)
		if (c->due[i] > c->now && !step_is_done(r, c->key[i]))
			return i;
	return -1;
}

/* What stops every reminder to r, whatever the steps say; 0 when nothing. */
static int
respondent_check(const struct calendar *c, const struct remind_respondent *r,
    struct remind_why *w)
{
	const struct survey *sv = c->sv;

	if (r->answered)
		why_set(w, REMIND_ANSWERED, NULL, 0);
	else if (sv->closes != 0 && c->now > sv->closes)
		why_set(w, REMIND_CLOSED, NULL, sv->closes);
	else if (sv->opens != 0 && c->now < sv->opens)
		why_set(w, REMIND_NOT_OPEN, NULL, sv->opens);
	else if (r->form_sent == 0 || r->form_sent > c->now)
		why_set(w, REMIND_FORM_NOT_SENT, NULL, 0);
	else if (r->reminders_sent >= sv->max_reminders)
		why_set(w, REMIND_MAX_REACHED, NULL, sv->max_reminders);
	else
		return 0;
	return -1;
}

/* What stops a mail at this moment: the window and the 24 h gap. */
static int
moment_check(const struct calendar *c, const struct remind_respondent *r,
    struct remind_why *w)
{
	gint64 last = MAX(r->last_mail, r->form_sent);

	if (!c->in_window)
		why_set(w, c->outside, NULL, 0);
	else if (c->now < last + REMIND_GAP)
		why_set(w, REMIND_TOO_SOON, NULL, last);
	else
		return 0;
	return -1;
}

/* Records as skipped every step due now but the one that goes. */
static void
steps_skip(const struct calendar *c, const struct remind_respondent *r,
    size_t ri, int sent, GArray *actions)
{
	struct remind_why w;
	int i;

	for (i = 0; i < c->nsteps; i++)
		if (i != sent && step_is_pending(c, r, i)) {
			why_set(&w, REMIND_SUPERSEDED, c->key[i], c->due[i]);
			action_add(actions, ri, REMIND_SKIP, 0, &w);
		}
}

/* One respondent's scheduled reminder; 1 when a mail goes. */
static int
plan_one(const struct calendar *c, const struct remind_respondent *r,
    size_t ri, GArray *actions, struct remind_why *w)
{
	int i;

	if (respondent_check(c, r, w) == -1)
		return 0;
	if ((i = step_latest(c, r)) == -1) {
		if ((i = step_next(c, r)) == -1)
			why_set(w, REMIND_NO_STEP, NULL, 0);
		else
			why_set(w, REMIND_NOT_DUE, c->key[i], c->due[i]);
		return 0;
	}
	if (moment_check(c, r, w) == -1)
		return 0;
	steps_skip(c, r, ri, i, actions);
	why_set(w, REMIND_DUE, c->key[i], c->due[i]);
	/* A step after the deadline's date is late: the roster's cc hears. */
	action_add(actions, ri, REMIND_SEND, c->sv->steps[i] > 0, w);
	return 1;
}

/* One respondent's manual reminder; 1 when a mail goes. */
static int
manual_one(const struct calendar *c, const struct remind_respondent *r,
    size_t ri, const char *key, GArray *actions, struct remind_why *w)
{
	const struct survey *sv = c->sv;

	if (respondent_check(c, r, w) == -1)
		return 0;
	if (step_is_done(r, key)) {
		why_set(w, REMIND_ALREADY, key, 0);
		return 0;
	}
	if (moment_check(c, r, w) == -1)
		return 0;
	/* The manual mail says what a due step would: it goes instead. */
	steps_skip(c, r, ri, -1, actions);
	why_set(w, REMIND_MANUAL, key, c->now);
	action_add(actions, ri, REMIND_SEND,
	    sv->deadline != 0 && c->now > sv->deadline, w);
	return 1;
}

size_t
remind_plan(const struct survey *sv, gint64 now,
    const struct remind_respondent *r, size_t n, GArray *actions,
    struct remind_why *why)
{
	struct calendar c;
	struct remind_why scratch;
	size_t i, sent = 0;

	calendar_init(&c, sv, now);
	for (i = 0; i < n; i++)
		sent += (size_t)plan_one(&c, &r[i], i, actions,
		    why ? &why[i] : &scratch);
	return sent;
}

size_t
remind_manual(const struct survey *sv, gint64 now,
    const struct remind_respondent *r, size_t n, GArray *actions,
    struct remind_why *why)
{
	struct calendar c;
	struct remind_why scratch;
	char key[REMIND_STEP_LEN];
	size_t i, sent = 0;

	calendar_init(&c, sv, now);
	remind_manual_key(sv, now, key, sizeof(key));
	for (i = 0; i < n; i++)
		sent += (size_t)manual_one(&c, &r[i], i, key, actions,
		    why ? &why[i] : &scratch);
	return sent;
}

/* When the next scheduled reminder would go to r; 0: never. */
static gint64
next_one(const struct calendar *c, const struct remind_respondent *r)
{
	const struct survey *sv = c->sv;
	struct remind_why w;
	gint64 t;
	int i;

	if (respondent_check(c, r, &w) == -1)
		return 0;
	for (i = 0; i < c->nsteps; i++)
		if (c->due[i] != 0 && !step_is_done(r, c->key[i]))
			break;
	if (i == c->nsteps)
		return 0;
	t = MAX(c->now, MAX(r->last_mail, r->form_sent) + REMIND_GAP);
	/* A due time is a window minute; now or the gap's end may not be. */
	t = c->due[i] >= t ? c->due[i] : window_next(sv, t);
	if (t == 0 || (sv->closes != 0 && t > sv->closes))
		return 0;
	return t;
}

gint64
remind_next_due(const struct survey *sv, gint64 now,
    const struct remind_respondent *r, size_t n, gint64 *next)
{
	struct calendar c;
	gint64 t, soonest = 0;
	size_t i;

	calendar_init(&c, sv, now);
	for (i = 0; i < n; i++) {
		t = next_one(&c, &r[i]);
		if (next != NULL)
			next[i] = t;
		if (t != 0 && (soonest == 0 || t < soonest))
			soonest = t;
	}
	return soonest;
}

const char *
remind_step_key(int days, char *buf, size_t len)
{
	snprintf(buf, len, "%+dd", days);
	return buf;
}

const char *
remind_manual_key(const struct survey *sv, gint64 now, char *buf,
    size_t len)
{
	GDateTime *dt = local_at(sv, now);
	char *date = g_date_time_format(dt, "%Y%m%d");

	snprintf(buf, len, "manual-%s", date);
	g_free(date);
	g_date_time_unref(dt);
	return buf;
}

static const char *
time_format(const struct survey *sv, gint64 t, char *buf, size_t len)
{
	GDateTime *dt = local_at(sv, t);
	char *s = g_date_time_format(dt, "%Y-%m-%d %H:%M");

	g_strlcpy(buf, s, len);
	g_free(s);
	g_date_time_unref(dt);
	return buf;
}

/* "Mon-Fri 08:00-17:00", as the config writes it. */
static const char *
window_format(const struct schedule_window *w, char *buf, size_t len)
{
	static const char *names[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
	    "Sat", "Sun" };
	GString *s = g_string_new(NULL);
	int i, j;

	for (i = 0; i < 7; i++) {
		if ((w->days & (1u << i)) == 0)
			continue;
		for (j = i; j < 6 && (w->days & (1u << (j + 1))) != 0; j++)
			;
		g_string_append_printf(s, "%s%s", s->len ? "," : "", names[i]);
		if (j > i)
			g_string_append_printf(s, "-%s", names[j]);
		i = j;
	}
	g_string_append_printf(s, " %02d:%02d-%02d:%02d", w->start / 60,
	    w->start % 60, w->end / 60, w->end % 60);
	g_strlcpy(buf, s->str, len);
	g_string_free(s, TRUE);
	return buf;
}

const char *
remind_why_format(const struct survey *sv, const struct remind_why *w,
    char *buf, size_t len)
{
	char t[REMIND_TIME_LEN], win[REMIND_WINDOW_LEN];

	switch (w->reason) {
	case REMIND_DUE:
		snprintf(buf, len, "step %s due %s", w->step,
		    time_format(sv, w->when, t, sizeof(t)));
		break;
	case REMIND_MANUAL:
		snprintf(buf, len, "manual reminder");
		break;
	case REMIND_SUPERSEDED:
		snprintf(buf, len, "step %s skipped: a later reminder goes "
		    "instead", w->step);
		break;
	case REMIND_ANSWERED:
		snprintf(buf, len, "answered");
		break;
	case REMIND_CLOSED:
		snprintf(buf, len, "closed");
		break;
	case REMIND_NOT_OPEN:
		snprintf(buf, len, "not open until %s",
		    time_format(sv, w->when, t, sizeof(t)));
		break;
	case REMIND_FORM_NOT_SENT:
		snprintf(buf, len, "form not sent yet");
		break;
	case REMIND_MAX_REACHED:
		snprintf(buf, len, "max-reminders reached (%lld)",
		    (long long)w->when);
		break;
	case REMIND_ALREADY:
		snprintf(buf, len, "already reminded today (%s)", w->step);
		break;
	case REMIND_NOT_DUE:
		snprintf(buf, len, "next step %s due %s", w->step,
		    time_format(sv, w->when, t, sizeof(t)));
		break;
	case REMIND_NO_STEP:
		snprintf(buf, len, "no reminder step left");
		break;
	case REMIND_HOLIDAY:
		snprintf(buf, len, "holiday");
		break;
	case REMIND_OUTSIDE_WINDOW:
		snprintf(buf, len, "outside the send window (%s)",
		    window_format(&sv->window, win, sizeof(win)));
		break;
	case REMIND_TOO_SOON:
		snprintf(buf, len, "less than 24 h since the last mail (%s)",
		    time_format(sv, w->when, t, sizeof(t)));
		break;
	}
	return buf;
}
