/*
 * config.h — the administrator's INI file (GKeyFile), with every survey's
 * definition and roster loaded and checked.
 *
 * Loading reports every problem at once, naming the group and key; a
 * config with errors is refused whole, so a daemon never runs half of it.
 */
#ifndef SURVEYD_CONFIG_H
#define SURVEYD_CONFIG_H

#include <glib.h>

#include "definition.h"
#include "limit.h"
#include "problem.h"
#include "roster.h"
#include "schedule.h"
#include "template.h"

#define CONFIG_DEFAULT_PATH	"/etc/surveyd/surveyd.conf"
#define CONFIG_MAX_MESSAGE	(25u * 1024 * 1024)
#define CONFIG_MAX_ATTACHMENT	(10u * 1024 * 1024)
#define CONFIG_LOOKBACK		(14 * 86400)
#define CONFIG_POLL_INTERVAL	60
/* Seconds a mail server may take to connect or to say anything. */
#define CONFIG_SERVER_TIMEOUT	60
#define CONFIG_CREDENTIALS	"/etc/surveyd/credentials"
#define CONFIG_WEB_USERS	"users"	/* beside the database */
#define CONFIG_SMTP_RATE	30	/* mails a minute */

struct survey {
	char			*id;
	char			*definition_path;
	char			*roster_path;
	struct definition	*def;
	struct roster		*roster;
	GTimeZone		*tz;
	char			*language;	/* "vi" or "en" */
	gint64			 opens;		/* 0 when unset */
	gint64			 deadline;	/* 0 when unset */
	gint64			 closes;	/* 0 when unset */
	gint64			 lookback;
	gint64			 retention;	/* 0: keep for ever */
	int			 acknowledge;
	char			*organiser;	/* roster code, or NULL */
	int			 steps[SCHEDULE_MAX_STEPS];	/* reminders= */
	int			 nsteps;
	int			 max_reminders;
	struct schedule_window	 window;
	GArray			*holidays;	/* of struct schedule_holiday */
	int			 send_forms_auto;
	char			*digest_to;
	int			 digest_at;	/* minutes after midnight */
	char			*templates_dir;	/* templates=, resolved */
	struct template_set	 templates;	/* loaded when [smtp] url is set */
};

/* The mailbox the replies arrive in; url is NULL when there is none. */
struct imap_config {
	char		*url;		/* imap[s]://host[:port]/FOLDER */
	char		*username;
	char		*password_file;	/* resolved; read only when logging in */
	int		 xoauth2;	/* auth=xoauth2: the file holds a bearer token */
	char		*ca_file;	/* trusted certificates, or NULL: the system's */
	char		*processed;	/* processed-folder, or NULL */
	gint64		 poll_interval;	/* seconds */
	gint64		 timeout;	/* seconds; CONFIG_SERVER_TIMEOUT */
};

/* The server mail is sent through; url is NULL when there is none. */
struct smtp_config {
	char		*url;		/* smtps://host[:port], smtp://... */
	char		*username;	/* NULL: no AUTH */
	char		*password_file;	/* resolved; read only when sending */
	char		*from;		/* "Name <addr>" or "addr", checked */
	char		*reply_to;	/* or NULL */
	char		*ca_file;	/* trusted certificates, or NULL: the system's */
	int		 rate_per_minute;	/* 0: no pacing */
	gint64		 timeout;	/* seconds; CONFIG_SERVER_TIMEOUT */
};

/* The secretary's page (web.c); listen is NULL when it is off. */
struct web_config {
	char		*listen;	/* "127.0.0.1:8080", "[::1]:8080" */
	char		*host;		/* listen's address part */
	int		 port;
	char		*users;		/* users file; default beside the database */
	int		 behind_proxy;	/* TLS and client addresses come from a proxy */
};

struct config {
	char		*path;
	char		*dir;		/* relative paths resolve here */
	char		*database;
	char		*archive;
	char		*spool;
	struct imap_config imap;
	struct smtp_config smtp;
	struct web_config web;
	size_t		 max_message;
	size_t		 max_attachment;
	struct limits	 limits;
	struct survey	*surveys;
	guint		 nsurveys;
};

/* NULL when anything is an error; every problem is added to p. */
struct config		*config_load(const char *path, struct problems *p);
void			 config_free(struct config *);
/* The survey named id, or the only one when id is NULL. */
struct survey		*config_survey(const struct config *, const char *id);

#endif
