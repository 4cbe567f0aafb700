/*
 * clock.h — times as the survey sees them: seconds since the epoch, read
 * and written in the survey's timezone.  Only the command line reads the
 * real clock (or --now); everything else is handed a time.
 */
#ifndef SURVEYD_CLOCK_H
#define SURVEYD_CLOCK_H

#include <glib.h>

/* "YYYY-MM-DD", "YYYY-MM-DD HH:MM" or with ":SS", in tz. -1 on error. */
int	 clock_parse(const char *, GTimeZone *, gint64 *out);
/* The last minute of a date: a deadline of 2023-06-30 is 23:59 that day. */
int	 clock_parse_day_end(const char *, GTimeZone *, gint64 *out);
/* ISO 8601 with the offset: "2023-06-08T08:00:00+07:00"; g_free it. */
char	*clock_format(gint64, GTimeZone *);
/* "14d", "12h", "30m", "90s" as seconds; -1 on error. */
int	 clock_duration_parse(const char *, gint64 *out);

#endif
