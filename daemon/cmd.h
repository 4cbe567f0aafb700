/*
 * cmd.h — the command line: what every command shares (the config, the
 * store, the clock) and one entry point per command, each in its own file.
 */
#ifndef SURVEYD_CMD_H
#define SURVEYD_CMD_H

#include <glib.h>

#include "config.h"
#include "store.h"

/* Exit codes, a contract with the scripts that call surveyd. */
#define EXIT_OK		0
#define EXIT_RUNTIME	1
#define EXIT_USAGE	2
#define EXIT_REJECTED	3

struct cmd_env {
	const char	*config_path;
	struct config	*config;
	struct store	*store;
};

/* The daemon's lock file, in the state folder beside the database. */
#define CMD_LOCK_NAME	"surveyd.lock"

/* Loads the config (exit 2 on errors) and opens the store (exit 1). */
int		 cmd_config_open(struct cmd_env *);
/*
 * Reads the config again (SIGHUP): on any problem the running one stays
 * and -1 is returned, after logging why.
 */
int		 cmd_config_reload(struct cmd_env *);
/* The lock's path (g_free it); the daemon holds it while it runs. */
char		*cmd_lock_path(const struct config *);
/* Takes the lock for `run`: its fd, or -1 (logged) when another holds it. */
int		 cmd_lock_take(const struct config *);
/* 1 while a daemon holds the lock: commands then queue mail, not send it. */
int		 cmd_lock_held(const struct config *);
/*
 * After a command queued mail (queued < 0: it failed): sends what is due
 * unless the daemon runs, which is then the only sender.  EXIT_RUNTIME
 * when anything could not be queued or sent.
 */
int		 cmd_mail_deliver(struct cmd_env *, gint64 now, int queued);
int		 cmd_store_open(struct cmd_env *);
void		 cmd_env_close(struct cmd_env *);
/* --survey, or the only one; NULL after logging why (exit 2). */
struct survey	*cmd_survey(struct cmd_env *, const char *id);
/* All three for a command about one survey: *sv is set when EXIT_OK. */
int		 cmd_survey_open(struct cmd_env *, const char *id, struct survey **sv);
/* --now in the survey's timezone, or the clock; -1 after logging why. */
int		 cmd_now(const struct survey *, const char *now, gint64 *out);

int	cmd_import(struct cmd_env *, int argc, char **argv);
int	cmd_poll(struct cmd_env *, int argc, char **argv);
int	cmd_run(struct cmd_env *, int argc, char **argv);
int	cmd_send_forms(struct cmd_env *, int argc, char **argv);
int	cmd_remind(struct cmd_env *, int argc, char **argv);
int	cmd_status(struct cmd_env *, int argc, char **argv);
int	cmd_form(struct cmd_env *, int argc, char **argv);
int	cmd_export(struct cmd_env *, int argc, char **argv);
int	cmd_assign(struct cmd_env *, int argc, char **argv);
int	cmd_revalidate(struct cmd_env *, int argc, char **argv);
int	cmd_backup(struct cmd_env *, int argc, char **argv);
int	cmd_check_config(struct cmd_env *, int argc, char **argv);
int	cmd_passwd(struct cmd_env *, int argc, char **argv);

#endif
