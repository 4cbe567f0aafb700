/*
 * cmd_revalidate.c — `surveyd revalidate --survey ID`: every stored
 * submission read again against the current definition, after the survey
 * designer fixed a constraint or a label.  Assignments made by hand are
 * kept; everything else is derived afresh from the archived file.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "intake.h"
#include "log.h"

/* Respondents the secretary or an import option named stay named. */
static const char *
kept_respondent(const struct submission *sub)
{
	if (sub->identified_by != NULL &&
	    (strcmp(sub->identified_by, "option") == 0 ||
	    strcmp(sub->identified_by, "assign") == 0))
		return sub->respondent;
	return NULL;
}

int
cmd_revalidate(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "survey", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const char *survey = NULL;
	struct submission *sub;
	struct survey *sv;
	struct intake in;
	GArray *ids;
	char *before, *keep;
	guint i, changed = 0, failed = 0;
	int c, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (c == 's')
			survey = optarg;
		else
			return EXIT_USAGE;
	if ((rc = cmd_survey_open(env, survey, &sv)) != EXIT_OK)
		return rc;
	intake_init(&in, env->config, env->store, g_get_real_time() / G_USEC_PER_SEC);
	ids = store_submission_ids(env->store, sv->id);
	for (i = 0; i < ids->len; i++) {
		if ((sub = store_submission_load(env->store,
		    g_array_index(ids, gint64, i))) == NULL)
			continue;
		before = g_strdup(sub->state);
		keep = g_strdup(kept_respondent(sub));
		if (intake_submission_redo(&in, sv, sub, keep) == -1)
			failed++;
		else if (strcmp(before, sub->state) != 0) {
			changed++;
			printf("submission %" G_GINT64_FORMAT ": %s -> %s\n",
			    sub->id, before, sub->state);
		}
		g_free(before);
		g_free(keep);
		submission_free(sub);
	}
	store_event_add(env->store, in.now, sv->id, NULL, 0, "revalidate",
	    g_get_user_name(), NULL);
	printf("%s: %u submissions checked, %u changed state, %u failed\n",
	    sv->id, ids->len, changed, failed);
	g_array_unref(ids);
	intake_clear(&in);
	return failed ? EXIT_RUNTIME : EXIT_OK;
}
