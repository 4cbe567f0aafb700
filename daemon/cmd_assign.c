/*
 * cmd_assign.c — `surveyd assign SUBMISSION RESPONDENT`: the secretary
 * says who sent an unmatched reply.  The submission is then read again as
 * that respondent's, so its state is what it would have been had the
 * sender been recognised.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "intake.h"
#include "log.h"

int
cmd_assign(struct cmd_env *env, int argc, char **argv)
{
	struct submission *sub;
	struct survey *sv;
	struct intake in;
	char *end, *detail;
	gint64 id;
	int rc;

	if (argc != 3) {
		log_err("usage: surveyd assign SUBMISSION RESPONDENT");
		return EXIT_USAGE;
	}
	id = g_ascii_strtoll(argv[1], &end, 10);
	if (*end != '\0' || id <= 0) {
		log_err("assign: '%s' is not a submission number", argv[1]);
		return EXIT_USAGE;
	}
	if ((rc = cmd_config_open(env)) != EXIT_OK ||
	    (rc = cmd_store_open(env)) != EXIT_OK)
		return rc;
	if ((sub = store_submission_load(env->store, id)) == NULL) {
		log_err("assign: there is no submission %s", argv[1]);
		return EXIT_USAGE;
	}
	if ((sv = config_survey(env->config, sub->survey)) == NULL ||
	    roster_find(sv->roster, argv[2]) == NULL) {
		log_err("assign: '%s' is not a respondent of survey %s",
		    argv[2], sub->survey);
		submission_free(sub);
		return EXIT_USAGE;
	}
	/* A file that is not a form answers nothing, whoever sent it. */
	if (strcmp(sub->state, "not-a-form") == 0) {
		log_err("assign: submission %s is not a form (%s); it cannot be "
		    "anyone's answer", argv[1], sub->filename ? sub->filename : "?");
		submission_free(sub);
		return EXIT_REJECTED;
	}
	intake_init(&in, env->config, env->store, g_get_real_time() / G_USEC_PER_SEC);
	rc = intake_submission_redo(&in, sv, sub, argv[2]);
	intake_clear(&in);
	if (rc == 0) {
		detail = g_strdup_printf("to %s: %s", argv[2], sub->state);
		store_event_add(env->store, in.now, sv->id, argv[2], id,
		    "assign", g_get_user_name(), detail);
		g_free(detail);
		printf("submission %s: %s's, %s\n", argv[1], argv[2], sub->state);
	}
	submission_free(sub);
	return rc == 0 ? EXIT_OK : EXIT_RUNTIME;
}
