/*
 * value.c — reading numbers and dates from text the way people type them,
 * and writing numbers the one way the store and the exports use.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

#define NUMBER_MAX_DIGITS	40

/* Copies s without spaces (grouping may be a space or a no-break space). */
static size_t
number_squeeze(const char *s, char *out, size_t outlen, int *percent)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;

	*percent = 0;
	for (; *p != '\0'; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\'')
			continue;
		if (p[0] == 0xc2 && p[1] == 0xa0) {	/* U+00A0 */
			p++;
			continue;
		}
		if (p[0] == 0xe2 && p[1] == 0x80 && p[2] == 0xaf) { /* U+202F */
			p += 2;
			continue;
		}
		if (*p == '%' && p[1] == '\0' && !*percent) {
			*percent = 1;
			continue;
		}
		if (n + 1 >= outlen)
			return 0;
		out[n++] = (char)*p;
	}
	out[n] = '\0';
	return n;
}

/* Every group after the first has exactly three digits, the first 1–3. */
static int
groups_valid(const char *s, size_t len, char sep)
{
	size_t i, run = 0, groups = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == sep) {
			if (run == 0 || (groups == 0 && run > 3) ||
			    (groups > 0 && run != 3))
				return 0;
			groups++;
			run = 0;
		} else if (isdigit((unsigned char)s[i]))
			run++;
		else
			return 0;
	}
	return run == 3;
}

/* Rewrites digits with grouping sep and decimal mark dec as C syntax. */
static void
number_canon(const char *in, char sep, char dec, char *out)
{
	for (; *in != '\0'; in++) {
		if (*in == sep)
			continue;
		*out++ = *in == dec ? '.' : *in;
	}
	*out = '\0';
}

static enum value_result
number_split(const char *digits, int integer, char *canon)
{
	const char *lastdot = strrchr(digits, '.'), *lastcomma = strrchr(digits, ',');
	size_t len = strlen(digits), ndots = 0, ncommas = 0, i;
	char sep, dec;
	const char *last;

	for (i = 0; i < len; i++) {
		ndots += digits[i] == '.';
		ncommas += digits[i] == ',';
	}
	if (ndots == 0 && ncommas == 0) {
		strcpy(canon, digits);
		return VALUE_OK;
	}
	if (ndots > 0 && ncommas > 0) {
		/* Both: the last one written is the decimal mark. */
		dec = lastdot > lastcomma ? '.' : ',';
		sep = dec == '.' ? ',' : '.';
		last = dec == '.' ? lastdot : lastcomma;
		if ((dec == '.' ? ndots : ncommas) != 1 ||
		    !groups_valid(digits, (size_t)(last - digits), sep))
			return VALUE_BAD;
		number_canon(digits, sep, dec, canon);
		return VALUE_OK;
	}
	sep = ndots ? '.' : ',';
	last = ndots ? lastdot : lastcomma;
	if (ndots + ncommas > 1) {
		if (!groups_valid(digits, len, sep))
			return VALUE_BAD;
		number_canon(digits, sep, 0, canon);
		return VALUE_OK;
	}
	/* One mark with three digits after it: grouping or decimals? */
	if (strlen(last + 1) == 3 && digits[0] != '0' &&
	    groups_valid(digits, len, sep)) {
		if (!integer)
			return VALUE_AMBIGUOUS;
		number_canon(digits, sep, 0, canon);
		return VALUE_OK;
	}
	number_canon(digits, 0, sep, canon);
	return VALUE_OK;
}

enum value_result
value_number_parse(const char *s, int integer, double *out, int *percent)
{
	char buf[NUMBER_MAX_DIGITS + 2], canon[NUMBER_MAX_DIGITS + 2];
	const char *digits = buf;
	enum value_result r;
	char *end;
	int neg = 0;

	if (number_squeeze(s, buf, sizeof(buf), percent) == 0)
		return VALUE_BAD;
	if (*digits == '-' || *digits == '+')
		neg = *digits++ == '-';
	if (!isdigit((unsigned char)*digits) ||
	    !isdigit((unsigned char)digits[strlen(digits) - 1]) ||
	    digits[strspn(digits, "0123456789.,")] != '\0')
		return VALUE_BAD;
	if ((r = number_split(digits, integer, canon)) != VALUE_OK)
		return r;
	*out = strtod(canon, &end);
	if (*end != '\0' || !isfinite(*out))
		return VALUE_BAD;
	if (neg)
		*out = -*out;
	if (integer && !*percent && *out != floor(*out))
		return VALUE_NOT_WHOLE;
	return VALUE_OK;
}

int
value_date_valid(int y, int m, int d)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

/* Up to three runs of digits, whatever separates them ("ngày 5 tháng 3"). */
static int
date_numbers(const char *s, long n[3], int len[3])
{
	int count = 0;
	char *end;

	while (*s != '\0') {
		if (!isdigit((unsigned char)*s)) {
			s++;
			continue;
		}
		if (count == 3)
			return -1;
		n[count] = strtol(s, &end, 10);
		len[count] = (int)(end - s);
		count++;
		s = end;
	}
	return count;
}

enum value_result
value_date_parse(const char *s, int *y, int *m, int *d)
{
	long n[3];
	int len[3];

	if (date_numbers(s, n, len) != 3)
		return VALUE_BAD;
	if (len[0] == 4) {		/* ISO: year first */
		*y = (int)n[0];
		*m = (int)n[1];
		*d = (int)n[2];
	} else {			/* day, month, year */
		*d = (int)n[0];
		*m = (int)n[1];
		*y = (int)n[2];
		if (len[2] == 2)
			*y += 2000;
		else if (len[2] != 4)
			return VALUE_BAD;
	}
	return value_date_valid(*y, *m, *d) ? VALUE_OK : VALUE_BAD;
}

char *
value_number_format(char *buf, double v)
{
	char *p;
	int exp10, decimals;

	if (v == 0)
		v = 0;		/* no "-0" */
	snprintf(buf, VALUE_NUMBER_LEN, "%.15g", v);
	/* Past 10^21 the plain form is all padding; no survey asks for it. */
	if (strchr(buf, 'e') == NULL || fabs(v) >= 1e21)
		return buf;
	/* Write out what %g put in exponent form, then drop the zeros. */
	v = strtod(buf, NULL);
	exp10 = (int)floor(log10(fabs(v)));
	decimals = exp10 >= 14 ? 0 : 14 - exp10;
	snprintf(buf, VALUE_NUMBER_LEN, "%.*f", decimals, v);
	if (strchr(buf, '.') != NULL) {
		p = buf + strlen(buf) - 1;
		while (*p == '0')
			*p-- = '\0';
		if (*p == '.')
			*p = '\0';
	}
	return buf;
}
