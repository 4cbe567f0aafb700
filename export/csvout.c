/*
 * csvout.c — the CSV export.  The store already holds every value in the
 * form DESIGN.md asks for (choice names, ISO dates, canonical numbers), so
 * the values are written as stored, only quoted.
 */
#include <string.h>

#include "csvout.h"

/* RFC 4180: quote a field holding a comma, a quote or a line break. */
static void
csvout_field_append(GString *out, const char *s, int first)
{
	const char *p;

	if (!first)
		g_string_append_c(out, ',');
	if (s == NULL)
		return;
	if (strpbrk(s, ",\"\r\n") == NULL) {
		g_string_append(out, s);
		return;
	}
	g_string_append_c(out, '"');
	for (p = s; *p != '\0'; p++) {
		if (*p == '"')
			g_string_append_c(out, '"');
		g_string_append_c(out, *p);
	}
	g_string_append_c(out, '"');
}

void
csvout_header_append(GString *out, const struct definition *def)
{
	guint i;

	g_string_append(out, "respondent_code,respondent_name,state");
	for (i = 0; i < def->nfields; i++)
		if (def->fields[i].type != FIELD_NOTE)
			csvout_field_append(out, def->fields[i].name, 0);
	g_string_append(out, "\r\n");
}

void
csvout_row_append(GString *out, const struct definition *def,
    const struct export_row *row)
{
	guint i;

	csvout_field_append(out, row->respondent->code, 1);
	csvout_field_append(out, row->respondent->name, 0);
	csvout_field_append(out, row->status.state, 0);
	for (i = 0; i < def->nfields; i++)
		if (def->fields[i].type != FIELD_NOTE)
			csvout_field_append(out, row->values[i], 0);
	g_string_append(out, "\r\n");
}
