/*
 * row.c — reading a roster entry's row for the exports from the store.
 */
#include <string.h>

#include "row.h"

void
export_source_init(struct export_source *src, struct store *st,
    const struct survey *sv, int include_unaccepted)
{
	guint i;

	src->store = st;
	src->survey = sv;
	src->include_unaccepted = include_unaccepted;
	src->fields = g_hash_table_new(g_str_hash, g_str_equal);
	for (i = 0; i < sv->def->nfields; i++)
		g_hash_table_insert(src->fields, sv->def->fields[i].name,
		    GUINT_TO_POINTER(i + 1));
}

void
export_source_clear(struct export_source *src)
{
	g_hash_table_unref(src->fields);
	src->fields = NULL;
}

/* Places each stored answer under its field; unknown fields are dropped. */
static void
export_row_values_place(struct export_source *src, struct export_row *row)
{
	const struct answer *a;
	guint i, idx;

	row->values = g_new0(const char *, src->survey->def->nfields);
	if (row->shown == NULL)
		return;
	for (i = 0; i < row->shown->answers->len; i++) {
		a = row->shown->answers->pdata[i];
		idx = GPOINTER_TO_UINT(g_hash_table_lookup(src->fields,
		    a->field));
		if (idx != 0 && a->value != NULL && *a->value != '\0')
			row->values[idx - 1] = a->value;
	}
}

int
export_row_load(struct export_source *src, const struct respondent *r,
    struct export_row *row)
{
	memset(row, 0, sizeof(*row));
	row->respondent = r;
	if (store_respondent_status(src->store, src->survey->id, r->code,
	    &row->status) == -1)
		return -1;
	if (row->status.latest != 0)
		row->latest = store_submission_load(src->store,
		    row->status.latest);
	if (row->status.answer != 0 && row->status.answer != row->status.latest) {
		row->answer = store_submission_load(src->store,
		    row->status.answer);
		row->shown = row->answer;
	} else if (row->status.answer != 0 || src->include_unaccepted)
		row->shown = row->latest;
	export_row_values_place(src, row);
	return 0;
}

void
export_row_clear(struct export_row *row)
{
	respondent_status_clear(&row->status);
	submission_free(row->latest);
	submission_free(row->answer);
	g_free(row->values);
	memset(row, 0, sizeof(*row));
}
