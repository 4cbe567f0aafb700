/*
 * reply.h — finding a questionnaire's answers in a returned workbook.
 *
 * In DESIGN's order: the workbook's defined names q_<field> → the hidden
 * `_surveyd` sheet's field:<name> map → a column of field codes → the
 * labels, for a workbook someone rebuilt by hand.  The first way that
 * finds a field wins; what is in the cell is validate.c's business.
 */
#ifndef SURVEYD_REPLY_H
#define SURVEYD_REPLY_H

#include <glib.h>

#include "definition.h"
#include "grid.h"
#include "issue.h"

/* Where one answer is: a field, or one choice of a select_multiple. */
struct reply_loc {
	const struct sheet	*sheet;
	guint32			 row, col;
	const struct cell	*cell;	/* NULL when the cell is empty */
	char			*where;	/* "E7", or "Sheet 2!E7" off the main sheet */
};

struct reply {
	GHashTable	*locs;		/* "field" / "field__choice" → struct reply_loc */
	char		*form_id;	/* from `_surveyd`, or NULL */
	char		*version;
	char		*respondent;	/* the roster code `_surveyd` names */
	char		*token;
	GPtrArray	*header_texts;	/* text near the top, for names */
	const char	*method;	/* the way most fields were found */
};

/*
 * Locates every field it can; unknown fields become warnings in issues.
 * Returns the number of fields (not choices) located.
 */
guint		 reply_read(const struct grid *, const struct definition *,
		    const char *lang, struct reply *, struct issues *);
void		 reply_clear(struct reply *);
const struct reply_loc *reply_loc_find(const struct reply *, const char *field,
		    const char *choice);

#endif
