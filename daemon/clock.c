/*
 * clock.c — parsing and formatting survey times.
 */
#include <stdio.h>
#include <string.h>

#include "clock.h"

int
clock_parse(const char *s, GTimeZone *tz, gint64 *out)
{
	GDateTime *dt;
	int y, mo, d, h = 0, mi = 0, sec = 0, n;
	char tail;

	n = sscanf(s, "%4d-%2d-%2d%*[ T]%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi,
	    &sec, &tail);
	if (n != 3 && n != 5 && n != 6)
		return -1;
	if (n == 3 && strlen(s) != 10)
		return -1;
	if ((dt = g_date_time_new(tz, y, mo, d, h, mi, sec)) == NULL)
		return -1;
	*out = g_date_time_to_unix(dt);
	g_date_time_unref(dt);
	return 0;
}

int
clock_parse_day_end(const char *s, GTimeZone *tz, gint64 *out)
{
	char *full;
	int rc;

	if (strlen(s) != 10)
		return clock_parse(s, tz, out);
	full = g_strdup_printf("%s 23:59", s);
	rc = clock_parse(full, tz, out);
	g_free(full);
	return rc;
}

char *
clock_format(gint64 t, GTimeZone *tz)
{
	GDateTime *utc, *local;
	char *s;

	utc = g_date_time_new_from_unix_utc(t);
	local = g_date_time_to_timezone(utc, tz);
	s = g_date_time_format(local, "%Y-%m-%dT%H:%M:%S%:z");
	g_date_time_unref(local);
	g_date_time_unref(utc);
	return s;
}

int
clock_duration_parse(const char *s, gint64 *out)
{
	gint64 n;
	char *end;

	n = g_ascii_strtoll(s, &end, 10);
	if (end == s || n < 0 || strlen(end) != 1)
		return -1;
	switch (*end) {
	case 'w': *out = n * 7 * 86400; break;
	case 'd': *out = n * 86400; break;
	case 'h': *out = n * 3600; break;
	case 'm': *out = n * 60; break;
	case 's': *out = n; break;
	default: return -1;
	}
	return 0;
}
