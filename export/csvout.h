/*
 * csvout.h — `export --csv`: the rows as DESIGN.md fixes them for
 * programs (UTF-8 without a BOM, RFC 4180, stored values unchanged).
 */
#ifndef SURVEYD_CSVOUT_H
#define SURVEYD_CSVOUT_H

#include <glib.h>

#include "definition.h"
#include "row.h"

/* respondent_code,respondent_name,state, then every field's name. */
void	csvout_header_append(GString *, const struct definition *);
void	csvout_row_append(GString *, const struct definition *,
	    const struct export_row *);

#endif
