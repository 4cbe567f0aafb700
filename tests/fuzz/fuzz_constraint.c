/*
 * fuzz_constraint.c — libFuzzer target for the constraint parser and
 * evaluator, and for the number and date readers people's text meets.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "constraint.h"
#include "value.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char *s = g_strndup((const char *)data, len), err[256];
	struct constraint *c;
	double n;
	int pct, y, m, d;

	if ((c = constraint_parse(s, err, sizeof(err))) != NULL) {
		constraint_eval(c, 1, 42, s);
		constraint_free(c);
	}
	value_number_parse(s, 0, &n, &pct);
	value_number_parse(s, 1, &n, &pct);
	value_date_parse(s, &y, &m, &d);
	g_free(s);
	return 0;
}
