/*
 * problem.h — what check-config and the loaders find wrong with the
 * administrator's files: errors (refused) and warnings (said, then used).
 * Each is one line naming the file and the place in it.
 */
#ifndef SURVEYD_PROBLEM_H
#define SURVEYD_PROBLEM_H

#include <glib.h>

struct problems {
	GPtrArray	*errors;	/* of char * */
	GPtrArray	*warnings;
};

void	problems_init(struct problems *);
void	problems_clear(struct problems *);
void	problems_error(struct problems *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	problems_warn(struct problems *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
/* Logs every warning and error; returns the number of errors. */
guint	problems_report(const struct problems *);

#endif
