/*
 * testlib.h — what every unit test program shares, parsers' and daemon's
 * alike: reading a fixture, running a suite, checking a grid's cells.
 */
#ifndef SURVEYD_TESTLIB_H
#define SURVEYD_TESTLIB_H

#include <stddef.h>

#include <check.h>

#include "grid.h"

/*
 * The whole file at the printf-formatted path (from the top folder),
 * malloc'd and NUL-terminated; fails the test when it cannot be read.
 */
unsigned char	*test_file_read(size_t *len, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* Runs the suite; the exit status for main(). */
int		 test_suite_run(Suite *);

/* The cell at ref ("E7") on the named sheet, NULL when empty. */
const struct cell	*test_cell_at(const struct grid *, const char *sheet,
			    const char *ref);
/* Fail unless the cell has that type, flags and number (no text). */
void			 test_assert_number(const struct grid *, const char *sheet,
			    const char *ref, enum cell_type, double, unsigned flags);
/* Fail unless the cell has that type, flags and text. */
void			 test_assert_text(const struct grid *, const char *sheet,
			    const char *ref, enum cell_type, const char *, unsigned flags);
/* Fail unless the defined name covers sheet!from:to. */
void			 test_assert_name(const struct grid *, const char *name,
			    const char *sheet, const char *from, const char *to);

#endif
