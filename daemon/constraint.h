/*
 * constraint.h — the XLSForm constraint subset: comparisons of "." with
 * numbers joined by and/or (with parentheses and not()), and
 * regex(., '...') for text.
 *
 *	. >= 0 and . <= 1000
 *	regex(., '^[0-9 +.]{8,15}$')
 */
#ifndef SURVEYD_CONSTRAINT_H
#define SURVEYD_CONSTRAINT_H

#include <stddef.h>

struct constraint;

/* NULL with err filled ("at character 7: expected a number"). */
struct constraint	*constraint_parse(const char *, char *err, size_t errlen);
void			 constraint_free(struct constraint *);
/*
 * 1 when the value satisfies the constraint.  number is used by
 * comparisons (has_number 0: every comparison fails), text by regex().
 */
int			 constraint_eval(const struct constraint *, int has_number,
			    double number, const char *text);

/*
 * The interval a constraint allows when it is only comparisons of "."
 * with numbers joined by "and" (". >= 0 and . <= 1000"): lo/hi narrowed
 * from what the caller passes, *_strict set for < and >.  -1 for anything
 * else (or, not(), =, !=, regex), which no interval describes.
 */
int			 constraint_bounds(const struct constraint *,
			    double *lo, int *lo_strict, double *hi, int *hi_strict);

#endif
