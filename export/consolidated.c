/*
 * consolidated.c — one pass over the roster under one snapshot, each
 * entry into the workbook and the CSV, then the replies nobody claimed.
 */
#include <stdio.h>

#include "consolidated.h"
#include "csvout.h"
#include "file.h"
#include "row.h"

/* The replies nobody claimed, newest first, as status lists them. */
static void
unmatched_add(struct store *st, const struct survey *sv,
    struct export_workbook *wb)
{
	struct submission *sub;
	GArray *ids = store_unmatched_ids(st, sv->id);
	guint i;

	for (i = 0; i < ids->len; i++)
		if ((sub = store_submission_load(st,
		    g_array_index(ids, gint64, i))) != NULL) {
			export_workbook_unmatched_add(wb, sub);
			submission_free(sub);
		}
	g_array_unref(ids);
}

static int
rows_add(struct store *st, const struct survey *sv, int include_unaccepted,
    struct export_workbook *wb, GString *csv)
{
	struct export_source src;
	struct export_row row;
	guint i;
	int rc = 0;

	/*
	 * One snapshot, so the totals agree with the rows while intake goes
	 * on; in WAL mode it holds no writer up.
	 */
	if (store_snapshot_begin(st) == -1)
		return -1;
	export_source_init(&src, st, sv, include_unaccepted);
	for (i = 0; i < sv->roster->n; i++) {
		if ((rc = export_row_load(&src, &sv->roster->v[i], &row)) == -1)
			break;
		export_workbook_row_add(wb, &row);
		if (csv != NULL)
			csvout_row_append(csv, sv->def, &row);
		export_row_clear(&row);
	}
	export_source_clear(&src);
	if (rc == 0)
		unmatched_add(st, sv, wb);
	store_rollback(st);
	return rc;
}

int
consolidated_write(struct store *st, const struct survey *sv,
    const struct consolidated_request *r, char *err, size_t errlen)
{
	struct export_workbook *wb;
	GString *csv = NULL;
	char why[1024];
	int rc = 0;

	if ((wb = export_workbook_open(r->xlsx, sv, r->headings, err,
	    errlen)) == NULL)
		return -1;
	if (r->csv != NULL) {
		csv = g_string_new(NULL);
		csvout_header_append(csv, sv->def);
	}
	if ((rc = rows_add(st, sv, r->include_unaccepted, wb, csv)) == -1)
		snprintf(err, errlen, "reading the store: %s", store_error(st));
	if (rc == 0 && csv != NULL && (rc = file_write_atomic(r->csv, csv->str,
	    csv->len, 1, why, sizeof(why))) == -1)
		snprintf(err, errlen, "cannot write %s", why);
	if (csv != NULL)
		g_string_free(csv, TRUE);
	if (rc == -1) {
		export_workbook_discard(wb);
		return -1;
	}
	return export_workbook_close(wb, err, errlen);
}
