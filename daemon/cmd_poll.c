/*
 * cmd_poll.c — `surveyd poll --once [--survey ID] [--now T]`: one IMAP
 * cycle (mailbox.c) and the acknowledgements of what it took in, then exit.
 */
#include <getopt.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "mailbox.h"
#include "mailin.h"
#include "mailout.h"
#include "secret.h"

int
cmd_poll(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "once", no_argument, NULL, 'o' },
		{ "survey", required_argument, NULL, 's' },
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const char *survey = NULL, *now = NULL;
	static volatile sig_atomic_t never;
	struct mailbox_stats stats;
	const struct survey *sv;
	struct intake in;
	char *password;
	gint64 t;
	int c, once = 0, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o': once = 1; break;
		case 's': survey = optarg; break;
		case 'n': now = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (!once || optind < argc) {
		log_err("poll: only 'poll --once' is offered (the loop is "
		    "'surveyd run')");
		return EXIT_USAGE;
	}
	if ((rc = cmd_config_open(env)) != EXIT_OK)
		return rc;
	if ((sv = cmd_survey(env, survey)) == NULL || cmd_now(sv, now, &t) == -1)
		return EXIT_USAGE;
	if (env->config->imap.url == NULL) {
		log_err("%s: [imap] url: missing: there is no mailbox to poll",
		    env->config->path);
		return EXIT_USAGE;
	}
	if ((password = secret_read(env->config->imap.password_file,
	    "[imap] password-file")) == NULL)
		return EXIT_RUNTIME;
	if ((rc = cmd_store_open(env)) == EXIT_OK) {
		intake_init(&in, env->config, env->store, t);
		rc = mailbox_poll(&in, sv, password, &never, &stats);
		intake_clear(&in);
		/* What was taken in is acknowledged in the same cycle. */
		if (env->config->smtp.url != NULL)
			rc = mailin_worse(rc, cmd_mail_deliver(env, t,
			    mailout_acks(env->store, env->config, sv, t)));
	}
	secret_free(password);
	return rc;
}
