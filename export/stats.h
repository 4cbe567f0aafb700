/*
 * stats.h — the descriptive statistics of the consolidated workbook's
 * `Thống kê` sheet: plain numbers in, plain figures out, so they are
 * tested without a workbook.
 */
#ifndef SURVEYD_STATS_H
#define SURVEYD_STATS_H

#include <glib.h>

#include "definition.h"

/* A figure that does not exist for the n given is NAN. */
struct stats_numbers {
	guint	 n;
	double	 sum;		/* 0 when n == 0 */
	double	 mean;
	double	 median;
	double	 min;
	double	 max;
	double	 sd;		/* sample (n - 1): NAN when n < 2 */
};

/* Sorts v in place (the median needs it) and summarises it. */
void	stats_numbers_summarise(double *v, guint n, struct stats_numbers *);
/*
 * Adds a select answer's choices to counts (one per choice of the list):
 * a choice name, or for select_multiple names separated by spaces.
 * Returns how many choices of the list it named.
 */
guint	stats_choices_count(const struct choice_list *, const char *value,
	    int multiple, guint *counts);

#endif
