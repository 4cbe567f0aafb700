/*
 * value.h — values as people type them into a cell that should have held a
 * number or a date: "1.250,75", "1,250.75", "3.150", "47,5 %", "15/3/2023".
 *
 * Vietnamese writes 1.250,75 and English 1,250.75; a lone "1,250" could be
 * either, so it is only read where the field settles it (an integer field
 * has no decimals) and reported as ambiguous where it does not.  Dates are
 * day first or ISO, never month first.
 */
#ifndef SURVEYD_VALUE_H
#define SURVEYD_VALUE_H

#include <stddef.h>

enum value_result {
	VALUE_OK = 0,
	VALUE_BAD,		/* not a number / not a date */
	VALUE_AMBIGUOUS,	/* "1,250" in a decimal field */
	VALUE_NOT_WHOLE,	/* a fraction in an integer field */
};

/* 1 for an integer field, 0 for a decimal one. */
enum value_result value_number_parse(const char *, int integer, double *out,
		    int *percent);
enum value_result value_date_parse(const char *, int *y, int *m, int *d);
int		  value_date_valid(int y, int m, int d);

/* At most 15 significant digits, no exponent, no trailing zeros: "52". */
#define VALUE_NUMBER_LEN	64
char		*value_number_format(char *buf, double);

#endif
