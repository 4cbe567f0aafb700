/*
 * testlib.h — what every unit test program shares, parsers' and daemon's
 * alike: reading a fixture and running a suite.
 */
#ifndef SURVEYD_TESTLIB_H
#define SURVEYD_TESTLIB_H

#include <stddef.h>

#include <check.h>

/*
 * The whole file at the printf-formatted path (from the top folder),
 * malloc'd and NUL-terminated; fails the test when it cannot be read.
 */
unsigned char	*test_file_read(size_t *len, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* Runs the suite; the exit status for main(). */
int		 test_suite_run(Suite *);

#endif
