/*
 * cmd_export.c — `surveyd export [--survey ID] -o FILE.xlsx [--csv FILE.csv]
 * [--headings code|label] [--include-unaccepted]`: the consolidated
 * workbook for the secretary and, on request, the CSV for programs, both
 * from one pass over the roster.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "csvout.h"
#include "file.h"
#include "log.h"
#include "row.h"
#include "workbook.h"

struct export_args {
	const char		*survey;
	const char		*xlsx;
	const char		*csv;
	enum export_headings	 headings;
	int			 include_unaccepted;
};

static int
export_args_parse(int argc, char **argv, struct export_args *a)
{
	static const struct option opts[] = {
		{ "survey", required_argument, NULL, 's' },
		{ "csv", required_argument, NULL, 'c' },
		{ "headings", required_argument, NULL, 'h' },
		{ "include-unaccepted", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(a, 0, sizeof(*a));
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 's': a->survey = optarg; break;
		case 'o': a->xlsx = optarg; break;
		case 'c': a->csv = optarg; break;
		case 'u': a->include_unaccepted = 1; break;
		case 'h':
			if (strcmp(optarg, "code") == 0)
				a->headings = EXPORT_HEADINGS_CODE;
			else if (strcmp(optarg, "label") == 0)
				a->headings = EXPORT_HEADINGS_LABEL;
			else {
				log_err("export: --headings '%s': expected "
				    "'code' or 'label'", optarg);
				return -1;
			}
			break;
		default:
			return -1;
		}
	}
	if (optind != argc) {
		log_err("export: unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (a->xlsx == NULL) {
		log_err("usage: surveyd export [--survey ID] -o FILE.xlsx "
		    "[--csv FILE.csv] [--headings code|label] "
		    "[--include-unaccepted]");
		return -1;
	}
	return 0;
}

/* The replies nobody claimed, newest first, as status lists them. */
static void
export_unmatched(struct store *st, const struct survey *sv,
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

/* Every roster entry into the workbook and the CSV, then the strays. */
static int
export_rows(struct store *st, const struct survey *sv,
    const struct export_args *a, struct export_workbook *wb, GString *csv)
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
	export_source_init(&src, st, sv, a->include_unaccepted);
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
		export_unmatched(st, sv, wb);
	store_rollback(st);
	return rc;
}

/* The CSV is written first: if it fails, the workbook is not kept either. */
static int
export_write(struct store *st, const struct survey *sv,
    const struct export_args *a)
{
	struct export_workbook *wb;
	GString *csv = NULL;
	char err[1024];
	int rc = 0;

	if ((wb = export_workbook_open(a->xlsx, sv, a->headings, err,
	    sizeof(err))) == NULL) {
		log_err("export: %s", err);
		return EXIT_RUNTIME;
	}
	if (a->csv != NULL) {
		csv = g_string_new(NULL);
		csvout_header_append(csv, sv->def);
	}
	if ((rc = export_rows(st, sv, a, wb, csv)) == -1)
		log_err("export: reading the store: %s", store_error(st));
	if (rc == 0 && csv != NULL && (rc = file_write_atomic(a->csv,
	    csv->str, csv->len, 1, err, sizeof(err))) == -1)
		log_err("export: cannot write %s", err);
	if (csv != NULL)
		g_string_free(csv, TRUE);
	if (rc == -1) {
		export_workbook_discard(wb);
		return EXIT_RUNTIME;
	}
	if (export_workbook_close(wb, err, sizeof(err)) == -1) {
		log_err("export: %s", err);
		return EXIT_RUNTIME;
	}
	printf("%s\n", a->xlsx);
	if (a->csv != NULL)
		printf("%s\n", a->csv);
	return EXIT_OK;
}

int
cmd_export(struct cmd_env *env, int argc, char **argv)
{
	struct export_args a;
	struct survey *sv;
	int rc;

	if (export_args_parse(argc, argv, &a) == -1)
		return EXIT_USAGE;
	if ((rc = cmd_survey_open(env, a.survey, &sv)) != EXIT_OK)
		return rc;
	return export_write(env->store, sv, &a);
}
