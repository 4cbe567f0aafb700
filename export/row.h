/*
 * row.h — one roster entry as the exports show it: its status, the
 * submission whose values are shown and the latest one, for tracking.
 *
 * Both the workbook and the CSV read the same rows, so the question of
 * which submission answers for a respondent is settled once, here.
 */
#ifndef SURVEYD_ROW_H
#define SURVEYD_ROW_H

#include <glib.h>

#include "config.h"
#include "store.h"

struct export_source {
	struct store		*store;
	const struct survey	*survey;
	int			 include_unaccepted;
	GHashTable		*fields;	/* field name → index + 1 */
};

struct export_row {
	const struct respondent	 *respondent;
	struct respondent_status  status;
	struct submission	 *latest;	/* NULL: nothing received */
	struct submission	 *answer;	/* the answer when not the latest */
	const struct submission	 *shown;	/* whose values show, or NULL */
	/* Per field of the definition, the shown value; NULL when empty. */
	const char		**values;
};

void	export_source_init(struct export_source *, struct store *,
	    const struct survey *, int include_unaccepted);
void	export_source_clear(struct export_source *);
/*
 * The shown submission is the respondent's answer (its latest accepted
 * one); without one, and with include_unaccepted, its latest submission.
 * -1 after a store error, with the row cleared.
 */
int	export_row_load(struct export_source *, const struct respondent *,
	    struct export_row *);
void	export_row_clear(struct export_row *);

#endif
