/*
 * stats.c — n, sum, mean, median, extremes and the sample standard
 * deviation of a field's numbers; how often each choice was picked.
 */
#include <math.h>
#include <stdlib.h>

#include "stats.h"

static int
double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void
stats_numbers_summarise(double *v, guint n, struct stats_numbers *out)
{
	double dev = 0;
	guint i;

	out->n = n;
	out->sum = 0;
	out->mean = out->median = out->min = out->max = out->sd = NAN;
	if (n == 0)
		return;
	qsort(v, n, sizeof(*v), double_cmp);
	for (i = 0; i < n; i++)
		out->sum += v[i];
	out->mean = out->sum / n;
	out->min = v[0];
	out->max = v[n - 1];
	out->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	if (n < 2)
		return;
	/* Two passes: deviations from the mean keep large values exact. */
	for (i = 0; i < n; i++)
		dev += (v[i] - out->mean) * (v[i] - out->mean);
	out->sd = sqrt(dev / (n - 1));
}

static guint
stats_choice_count(const struct choice_list *l, const char *name,
    guint *counts)
{
	const struct choice *c = choice_list_find(l, name);

	if (c == NULL)
		return 0;
	counts[c - l->choices]++;
	return 1;
}

guint
stats_choices_count(const struct choice_list *l, const char *value,
    int multiple, guint *counts)
{
	char **names, **p;
	guint known = 0;

	if (!multiple)
		return stats_choice_count(l, value, counts);
	names = g_strsplit(value, " ", -1);
	for (p = names; *p != NULL; p++)
		if (**p != '\0')
			known += stats_choice_count(l, *p, counts);
	g_strfreev(names);
	return known;
}
