/*
 * consolidated.h — the consolidated workbook of a survey (and, on request,
 * its CSV) written from the store in one pass over the roster, for the
 * export command, the digest mail and the web page alike.
 */
#ifndef SURVEYD_CONSOLIDATED_H
#define SURVEYD_CONSOLIDATED_H

#include <stddef.h>

#include "config.h"
#include "store.h"
#include "workbook.h"

struct consolidated_request {
	const char		*xlsx;		/* path of the workbook */
	const char		*csv;		/* or NULL */
	enum export_headings	 headings;
	int			 include_unaccepted;
};

/*
 * Writes the files (each to a temporary file, then renamed), the CSV
 * first: when it fails, no workbook is kept either.  -1 with err filled.
 */
int	consolidated_write(struct store *, const struct survey *,
	    const struct consolidated_request *, char *err, size_t errlen);

#endif
