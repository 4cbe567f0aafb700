/*
 * cmd_check.c — `surveyd check-config`: the config, every definition and
 * roster, every problem on its own line; exit 2 when any is an error, so
 * it can guard the daemon's start.
 */
#include <stdio.h>

#include "cmd.h"
#include "log.h"

int
cmd_check_config(struct cmd_env *env, int argc, char **argv)
{
	struct problems p;
	struct config *c;
	guint errors, i;

	(void)argv;
	if (argc != 1) {
		log_err("usage: surveyd check-config");
		return EXIT_USAGE;
	}
	problems_init(&p);
	c = config_load(env->config_path, &p);
	errors = problems_report(&p);
	if (c != NULL && errors == 0) {
		for (i = 0; i < c->nsurveys; i++)
			printf("survey %s: form %s version %s, %u indicators, "
			    "%u respondents\n", c->surveys[i].id,
			    c->surveys[i].def->form_id,
			    c->surveys[i].def->version,
			    definition_indicator_count(c->surveys[i].def),
			    c->surveys[i].roster->n);
		printf("%s: ok (%u warnings)\n", env->config_path,
		    p.warnings->len);
	}
	config_free(c);
	problems_clear(&p);
	return errors ? EXIT_USAGE : EXIT_OK;
}
