/*
 * cmd_mail.c — the commands that plan outgoing mail:
 *
 *	surveyd send-forms [--survey ID] [--respondent CODE] [--dry-run] [--now T]
 *	surveyd remind [--survey ID] [--respondent CODE] [--dry-run] [--now T]
 *
 * Both queue through the outbox, then send what they queued unless the
 * daemon runs: then it is the only sender, and sends on its next round.
 * remind sends the reminders the schedule says are due now; with
 * --respondent, a reminder to that respondent now (the same rules).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "mailout.h"

struct mail_args {
	const char	*survey;
	const char	*respondent;
	const char	*now;
	int		 dry_run;
};

static int
mail_args_parse(int argc, char **argv, struct mail_args *a)
{
	static const struct option opts[] = {
		{ "survey", required_argument, NULL, 's' },
		{ "respondent", required_argument, NULL, 'r' },
		{ "dry-run", no_argument, NULL, 'd' },
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	memset(a, 0, sizeof(*a));
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': a->survey = optarg; break;
		case 'r': a->respondent = optarg; break;
		case 'd': a->dry_run = 1; break;
		case 'n': a->now = optarg; break;
		default: return -1;
		}
	}
	if (optind != argc) {
		log_err("%s: unexpected argument '%s'", argv[0], argv[optind]);
		return -1;
	}
	return 0;
}

/* Config, survey, clock and store, with --respondent checked. */
static int
mail_open(struct cmd_env *env, const struct mail_args *a, struct survey **sv,
    gint64 *now)
{
	int rc;

	if ((rc = cmd_survey_open(env, a->survey, sv)) != EXIT_OK)
		return rc;
	if (cmd_now(*sv, a->now, now) == -1)
		return EXIT_USAGE;
	if (a->respondent != NULL && roster_find((*sv)->roster,
	    a->respondent) == NULL) {
		log_err("--respondent %s: not in %s", a->respondent,
		    (*sv)->roster_path);
		return EXIT_USAGE;
	}
	if (env->config->smtp.url == NULL && !a->dry_run) {
		log_err("%s: [smtp] url: missing: there is no server to send "
		    "mail through", env->config->path);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

/* The mails a command plans: queued (or only said, for a dry run). */
typedef int	(*mail_plan)(struct cmd_env *, const struct survey *, gint64,
		    const struct mail_args *);

static int
forms_plan(struct cmd_env *env, const struct survey *sv, gint64 now,
    const struct mail_args *a)
{
	return mailout_forms(env->store, env->config, sv, now, a->respondent,
	    a->dry_run, stdout);
}

static int
reminders_plan(struct cmd_env *env, const struct survey *sv, gint64 now,
    const struct mail_args *a)
{
	return mailout_reminders(env->store, env->config, sv, now,
	    a->respondent, a->dry_run, stdout);
}

static int
mail_command(struct cmd_env *env, int argc, char **argv, mail_plan plan)
{
	struct mail_args a;
	struct survey *sv;
	gint64 now;
	int rc, n;

	if (mail_args_parse(argc, argv, &a) == -1)
		return EXIT_USAGE;
	if ((rc = mail_open(env, &a, &sv, &now)) != EXIT_OK)
		return rc;
	n = plan(env, sv, now, &a);
	if (a.dry_run)
		return n < 0 ? EXIT_RUNTIME : EXIT_OK;
	return cmd_mail_deliver(env, now, n);
}

int
cmd_send_forms(struct cmd_env *env, int argc, char **argv)
{
	return mail_command(env, argc, argv, forms_plan);
}

int
cmd_remind(struct cmd_env *env, int argc, char **argv)
{
	return mail_command(env, argc, argv, reminders_plan);
}
