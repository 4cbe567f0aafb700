/*
 * workbook.h — the consolidated workbook the secretary reads: `Tổng hợp`
 * (totals, response by region, a chart), `Dữ liệu` (a row per roster
 * entry, a column per field), `Thống kê` (descriptive statistics),
 * `Theo dõi` (tracking) and `Chưa xác định` (replies nobody claimed).
 *
 * Rows go in one at a time, in roster order, as the store yields them, and
 * nothing is kept of them but the tallies: a large survey is written in
 * libxlsxwriter's constant_memory mode.  The file appears complete or not
 * at all: it is written under a temporary name and renamed.
 */
#ifndef SURVEYD_WORKBOOK_H
#define SURVEYD_WORKBOOK_H

#include <stddef.h>

#include "config.h"
#include "row.h"
#include "store.h"

/* Above this many roster entries, rows are streamed to disk. */
#define EXPORT_CONSTANT_MEMORY_ROWS	1000

enum export_headings {
	EXPORT_HEADINGS_CODE,		/* field columns headed by name */
	EXPORT_HEADINGS_LABEL,		/* ... by label, in the survey's language */
};

struct export_workbook;

/* NULL with err filled when path cannot be written. */
struct export_workbook	*export_workbook_open(const char *path,
			    const struct survey *, enum export_headings,
			    char *err, size_t errlen);
/* Roster entries, in roster order. */
void			 export_workbook_row_add(struct export_workbook *,
			    const struct export_row *);
/* Unattributed submissions (unmatched, not-a-form). */
void			 export_workbook_unmatched_add(struct export_workbook *,
			    const struct submission *);
/*
 * Writes the totals and statistics, saves and renames into place; frees
 * the workbook either way.  -1 with err filled, and nothing left behind.
 */
int			 export_workbook_close(struct export_workbook *,
			    char *err, size_t errlen);
/* Frees the workbook and leaves no file. */
void			 export_workbook_discard(struct export_workbook *);

#endif
