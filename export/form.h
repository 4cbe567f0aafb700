/*
 * form.h — the blank personalised form a respondent receives (DESIGN.md,
 * "The blank form"): one protected sheet to fill in, and the hidden clues
 * reply.c reads it back by, whatever program saved it.
 */
#ifndef SURVEYD_FORM_H
#define SURVEYD_FORM_H

#include <stddef.h>

#include "config.h"
#include "roster.h"

/*
 * Writes r's form of survey sv, carrying r's token, to path: first to a
 * temporary file in the same folder, then renamed into place, so a failure
 * leaves no half-written form.  -1 with err (naming path) on failure.
 */
int	form_write(const struct survey *sv, const struct respondent *r,
	    const char *token, const char *path, char *err, size_t errlen);

#endif
