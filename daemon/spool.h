/*
 * spool.h — the folder the document-exchange system drops replies into
 * ([intake] spool).  Each file goes through the same intake as an imported
 * one, then moves to done/, or to rejected/ beside NAME.why saying why.
 */
#ifndef SURVEYD_SPOOL_H
#define SURVEYD_SPOOL_H

#include <signal.h>

#include "intake.h"

#define SPOOL_DONE	"done"
#define SPOOL_REJECTED	"rejected"
#define SPOOL_SCAN_MAX	256	/* files taken per scan; the rest wait */

/*
 * Takes the files in dir for survey sv, stopping between batches once
 * *stop is set; *taken counts the files moved out.  EXIT_OK,
 * EXIT_REJECTED or EXIT_RUNTIME (a file left in place to be tried again).
 */
int	spool_scan(struct intake *, const struct survey *sv, const char *dir,
	    volatile sig_atomic_t *stop, guint *taken);

#endif
