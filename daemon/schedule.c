/*
 * schedule.c — parsing the reminder steps, the send window and the
 * holidays of a survey.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule.h"
#include "value.h"

static int
int_cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

int
schedule_steps_parse(const char *s, int *steps, int *nsteps, char *err,
    size_t errlen)
{
	char **parts = g_strsplit(s, ",", -1), **p, *end;
	long v;
	int n = 0, rc = 0;

	for (p = parts; *p != NULL && rc == 0; p++) {
		g_strstrip(*p);
		v = strtol(*p, &end, 10);
		if ((**p != '-' && **p != '+') || end == *p + 1 ||
		    strcmp(end, "d") != 0 || v < -365 || v > 365) {
			snprintf(err, errlen, "'%s' is not a step such as -3d "
			    "or +2d (days before or after the deadline)", *p);
			rc = -1;
		} else if (n == SCHEDULE_MAX_STEPS) {
			snprintf(err, errlen, "more than %d steps",
			    SCHEDULE_MAX_STEPS);
			rc = -1;
		} else
			steps[n++] = (int)v;
	}
	g_strfreev(parts);
	if (rc == 0) {
		qsort(steps, (size_t)n, sizeof(*steps), int_cmp);
		*nsteps = n;
	}
	return rc;
}

int
schedule_clock_parse(const char *s)
{
	int h, m, used = 0;

	if (sscanf(s, "%2d:%2d%n", &h, &m, &used) != 2 || s[used] != '\0' ||
	    h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0))
		return -1;
	return h * 60 + m;
}

/* "Mon" → 0 ... "Sun" → 6; -1 otherwise. */
static int
weekday_parse(const char *s, size_t len)
{
	static const char *names[] = { "mon", "tue", "wed", "thu", "fri",
	    "sat", "sun" };
	int i;

	for (i = 0; i < 7; i++)
		if (len == 3 && g_ascii_strncasecmp(s, names[i], 3) == 0)
			return i;
	return -1;
}

/* "Mon-Fri", "Sat" or "Mon,Wed,Fri" into a day mask. */
static int
days_parse(const char *s, unsigned *mask)
{
	char **parts = g_strsplit(s, ",", -1), **p, *dash;
	int a, b, rc = 0;

	*mask = 0;
	for (p = parts; *p != NULL && rc == 0; p++) {
		dash = strchr(*p, '-');
		a = weekday_parse(*p, dash ? (size_t)(dash - *p) : strlen(*p));
		b = dash ? weekday_parse(dash + 1, strlen(dash + 1)) : a;
		if (a < 0 || b < 0)
			rc = -1;
		for (; rc == 0; a = (a + 1) % 7) {
			*mask |= 1u << a;
			if (a == b)
				break;
		}
	}
	g_strfreev(parts);
	return rc;
}

int
schedule_window_parse(const char *s, struct schedule_window *w, char *err,
    size_t errlen)
{
	char *copy = g_strstrip(g_strdup(s)), *space, *dash;
	int rc = -1;

	if ((space = strchr(copy, ' ')) != NULL) {
		*space++ = '\0';
		g_strstrip(space);
		if (days_parse(copy, &w->days) == 0 &&
		    (dash = strchr(space, '-')) != NULL) {
			*dash = '\0';
			w->start = schedule_clock_parse(space);
			w->end = schedule_clock_parse(dash + 1);
			rc = w->start >= 0 && w->end > w->start ? 0 : -1;
		}
	}
	if (rc == -1)
		snprintf(err, errlen, "'%s' is not a window such as "
		    "Mon-Fri 08:00-17:00", s);
	g_free(copy);
	return rc;
}

/* "2024-02-08" as days since 1970-01-01; -1 when it is not a date. */
static gint64
day_parse(const char *s)
{
	int y, m, d, used = 0;
	GDate date;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 ||
	    s[used] != '\0' || !value_date_valid(y, m, d))
		return -1;
	g_date_clear(&date, 1);
	g_date_set_dmy(&date, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
	/* GLib counts from 0001-01-01 (day 1); 719163 days to 1970-01-01. */
	return (gint64)g_date_get_julian(&date) - 719163;
}

GArray *
schedule_holidays_parse(const char *s, char *err, size_t errlen)
{
	GArray *v = g_array_new(FALSE, FALSE, sizeof(struct schedule_holiday));
	char **parts = g_strsplit(s, ",", -1), **p, *dots;
	struct schedule_holiday h;

	for (p = parts; *p != NULL; p++) {
		g_strstrip(*p);
		if (**p == '\0')
			continue;
		if ((dots = strstr(*p, "..")) != NULL)
			*dots = '\0';
		h.first = day_parse(*p);
		h.last = dots ? day_parse(dots + 2) : h.first;
		if (h.first < 0 || h.last < h.first) {
			if (dots)
				*dots = '.';
			snprintf(err, errlen, "'%s' is not a date or a range "
			    "such as 2024-02-08..2024-02-14", *p);
			g_strfreev(parts);
			g_array_unref(v);
			return NULL;
		}
		g_array_append_val(v, h);
	}
	g_strfreev(parts);
	return v;
}
