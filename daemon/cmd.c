/*
 * cmd.c — what the commands share: opening the config and the store,
 * choosing the survey, reading the clock.
 */
#include <sys/file.h>
#include <sys/statvfs.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "cmd.h"
#include "file.h"
#include "log.h"
#include "outbox.h"

/* The config at path, or NULL after logging every problem in it. */
static struct config *
config_try(const char *path)
{
	struct problems p;
	struct config *c;

	problems_init(&p);
	c = config_load(path, &p);
	if (problems_report(&p) > 0 || c == NULL) {
		log_err("%s: not loaded; run 'surveyd check-config' for "
		    "every problem", path);
		config_free(c);
		c = NULL;
	}
	problems_clear(&p);
	return c;
}

int
cmd_config_open(struct cmd_env *env)
{
	return (env->config = config_try(env->config_path)) ? EXIT_OK :
	    EXIT_USAGE;
}

/* Every roster's respondents (and their tokens) in the store. */
static int
roster_sync(struct store *st, const struct config *c)
{
	guint i;

	for (i = 0; i < c->nsurveys; i++)
		if (store_respondents_sync(st, c->surveys[i].id,
		    c->surveys[i].roster) == -1) {
			log_err("%s: %s", c->database, store_error(st));
			return -1;
		}
	return 0;
}

int
cmd_config_reload(struct cmd_env *env)
{
	struct config *c;

	if ((c = config_try(env->config_path)) == NULL) {
		log_err("%s: the running config stays in force",
		    env->config_path);
		return -1;
	}
	/* The open store is the daemon's state; moving it is a restart. */
	if (strcmp(c->database, env->config->database) != 0)
		log_warn("%s: [store] database changed: it takes effect at "
		    "the next start", env->config_path);
	if (roster_sync(env->store, c) == -1) {
		config_free(c);
		return -1;
	}
	config_free(env->config);
	env->config = c;
	log_info("%s: reloaded", env->config_path);
	return 0;
}

/* SQLite says "disk I/O error" when a full disk is what it means. */
static int
disk_full(const char *path)
{
	char *dir = g_path_get_dirname(path);
	struct statvfs vfs;
	int full;

	full = statvfs(dir, &vfs) == 0 && vfs.f_bavail == 0;
	g_free(dir);
	return full;
}

int
cmd_store_open(struct cmd_env *env)
{
	const struct config *c = env->config;
	char err[600], *dir;

	dir = g_path_get_dirname(c->database);
	if (file_mkdirs(dir, 0750) == -1 || file_mkdirs(c->archive, 0750) == -1) {
		log_err("cannot create %s or %s: %s", dir, c->archive,
		    strerror(errno));
		g_free(dir);
		return EXIT_RUNTIME;
	}
	g_free(dir);
	if ((env->store = store_open(c->database, err, sizeof(err))) == NULL) {
		log_err("%s%s", err, disk_full(c->database) ? " (no space left "
		    "on the device: free some and run again)" : "");
		return EXIT_RUNTIME;
	}
	return roster_sync(env->store, c) == 0 ? EXIT_OK : EXIT_RUNTIME;
}

char *
cmd_lock_path(const struct config *c)
{
	char *dir = g_path_get_dirname(c->database), *path;

	path = g_build_filename(dir, CMD_LOCK_NAME, NULL);
	g_free(dir);
	return path;
}

int
cmd_lock_take(const struct config *c)
{
	char *path = cmd_lock_path(c), *dir = g_path_get_dirname(path);
	int fd;

	(void)file_mkdirs(dir, 0750);
	g_free(dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0640)) == -1) {
		log_err("%s: %s", path, strerror(errno));
	} else if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		log_err("%s: %s", path, errno == EWOULDBLOCK ? "another "
		    "'surveyd run' holds it: one daemon per state folder" :
		    strerror(errno));
		close(fd);
		fd = -1;
	}
	g_free(path);
	return fd;
}

int
cmd_lock_held(const struct config *c)
{
	char *path = cmd_lock_path(c);
	int fd, held = 0;

	/* A shared lock is refused only while the daemon holds its own. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		held = flock(fd, LOCK_SH | LOCK_NB) == -1 &&
		    errno == EWOULDBLOCK;
		close(fd);
	}
	g_free(path);
	return held;
}

int
cmd_mail_deliver(struct cmd_env *env, gint64 now, int queued)
{
	static volatile sig_atomic_t never;
	struct outbox_stats s;
	int rc;

	if (queued < 0)
		return EXIT_RUNTIME;
	if (cmd_lock_held(env->config)) {
		log_info("%d mail(s) queued: the running daemon sends them",
		    queued);
		return EXIT_OK;
	}
	rc = outbox_deliver(env->store, env->config, now, &never, &s);
	log_info("%d mail(s) queued; %u sent, %u to be tried again, %u failed",
	    queued, s.sent, s.retry, s.failed);
	return rc != EXIT_OK || s.failed > 0 ? EXIT_RUNTIME : EXIT_OK;
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
