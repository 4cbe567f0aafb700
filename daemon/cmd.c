/*
 * cmd.c — what the commands share: opening the config and the store,
 * choosing the survey, reading the clock.
 */
#include <errno.h>
#include <string.h>

#include "clock.h"
#include "cmd.h"
#include "file.h"
#include "log.h"

int
cmd_config_open(struct cmd_env *env)
{
	struct problems p;

	problems_init(&p);
	env->config = config_load(env->config_path, &p);
	if (problems_report(&p) > 0 || env->config == NULL) {
		log_err("%s: not loaded; run 'surveyd check-config' for "
		    "every problem", env->config_path);
		problems_clear(&p);
		return EXIT_USAGE;
	}
	problems_clear(&p);
	return EXIT_OK;
}

int
cmd_store_open(struct cmd_env *env)
{
	const struct config *c = env->config;
	char err[600], *dir;
	guint i;

	dir = g_path_get_dirname(c->database);
	if (file_mkdirs(dir, 0750) == -1 || file_mkdirs(c->archive, 0750) == -1) {
		log_err("cannot create %s or %s: %s", dir, c->archive,
		    strerror(errno));
		g_free(dir);
		return EXIT_RUNTIME;
	}
	g_free(dir);
	if ((env->store = store_open(c->database, err, sizeof(err))) == NULL) {
		log_err("%s", err);
		return EXIT_RUNTIME;
	}
	for (i = 0; i < c->nsurveys; i++)
		if (store_respondents_sync(env->store, c->surveys[i].id,
		    c->surveys[i].roster) == -1) {
			log_err("%s: %s", c->database, store_error(env->store));
			return EXIT_RUNTIME;
		}
	return EXIT_OK;
}

void
cmd_env_close(struct cmd_env *env)
{
	store_close(env->store);
	config_free(env->config);
	env->store = NULL;
	env->config = NULL;
}

struct survey *
cmd_survey(struct cmd_env *env, const char *id)
{
	struct survey *s = config_survey(env->config, id);

	if (s == NULL && id == NULL)
		log_err("the config has %u surveys: say which with --survey",
		    env->config->nsurveys);
	else if (s == NULL)
		log_err("no survey '%s' in %s", id, env->config->path);
	return s;
}

int
cmd_survey_open(struct cmd_env *env, const char *id, struct survey **sv)
{
	int rc;

	if ((rc = cmd_config_open(env)) != EXIT_OK)
		return rc;
	if ((*sv = cmd_survey(env, id)) == NULL)
		return EXIT_USAGE;
	return cmd_store_open(env);
}

int
cmd_now(const struct survey *s, const char *now, gint64 *out)
{
	if (now == NULL) {
		*out = g_get_real_time() / G_USEC_PER_SEC;
		return 0;
	}
	if (clock_parse(now, s->tz, out) == -1) {
		log_err("--now '%s': expected 'YYYY-MM-DD HH:MM'", now);
		return -1;
	}
	return 0;
}
