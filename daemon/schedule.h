/*
 * schedule.h — the survey's mail schedule as the config writes it:
 * reminder steps ("-7d,-3d,+2d"), the send window ("Mon-Fri 08:00-17:00")
 * and holidays ("2024-02-08..2024-02-14,2024-04-30").  Parsed once into
 * plain data, so check-config refuses a typo before any mail depends on it.
 */
#ifndef SURVEYD_SCHEDULE_H
#define SURVEYD_SCHEDULE_H

#include <glib.h>

#define SCHEDULE_MAX_STEPS	32

struct schedule_window {
	unsigned	days;		/* bit 0 = Monday ... bit 6 = Sunday */
	int		start;		/* minutes after midnight */
	int		end;		/* exclusive */
};

/* A holiday range, both ends included, as days since 1970-01-01. */
struct schedule_holiday {
	gint64	first;
	gint64	last;
};

/* Days from the deadline, ascending: -7, -3, -1, 2, 5.  -1 on error. */
int	schedule_steps_parse(const char *, int *steps, int *nsteps,
	    char *err, size_t errlen);
int	schedule_window_parse(const char *, struct schedule_window *,
	    char *err, size_t errlen);
/* A GArray of struct schedule_holiday, or NULL with err filled. */
GArray	*schedule_holidays_parse(const char *, char *err, size_t errlen);
/* "17:00" as minutes after midnight; -1 when it is not a time. */
int	schedule_clock_parse(const char *);

#endif
