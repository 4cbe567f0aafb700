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
#include "consolidated.h"
#include "log.h"

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

static int
export_write(struct store *st, const struct survey *sv,
    const struct export_args *a)
{
	struct consolidated_request r = { a->xlsx, a->csv, a->headings,
	    a->include_unaccepted };
	char err[1024];

	if (consolidated_write(st, sv, &r, err, sizeof(err)) == -1) {
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
