/*
 * config.c — reading surveyd.conf.
 *
 * Unknown groups and keys are warnings, not errors: a config written for a
 * newer surveyd still starts.  Values with a wrong form are errors naming
 * "[group] key".
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "config.h"
#include "file.h"
#include "message.h"

struct key_spec {
	const char	*group;		/* "survey" stands for every [survey ID] */
	const char	*keys[24];
};

static const struct key_spec known_keys[] = {
	{ "store", { "database", "archive", NULL } },
	{ "imap", { "url", "username", "password-file", "auth", "ca-file",
	    "processed-folder", "poll-interval", "timeout", NULL } },
	{ "smtp", { "url", "username", "password-file", "from", "reply-to",
	    "rate-per-minute", "ca-file", "timeout", NULL } },
	{ "intake", { "spool", "max-message-size", "max-attachment-size",
	    "zip-entries", "zip-inflated", "zip-ratio", "xml-depth",
	    "sheet-cells", "cell-text", "parser-memory", "parser-cpu",
	    "mime-depth", "mime-parts", NULL } },
	{ "web", { "listen", "users", "behind-proxy", NULL } },
	{ "survey", { "definition", "roster", "opens", "deadline",
	    "reminders", "max-reminders", "send-window", "timezone",
	    "language", "acknowledge", "digest-to", "digest-at", "closes",
	    "holidays", "send-forms", "organiser", "lookback", "retention",
	    "templates", NULL } },
};

static char *
key_string(GKeyFile *kf, const char *group, const char *key)
{
	char *v = g_key_file_get_string(kf, group, key, NULL);

	if (v != NULL && *g_strstrip(v) == '\0') {
		g_free(v);
		return NULL;
	}
	return v;
}

/* "25M", "10K", "1G" or plain bytes. */
static int
size_parse(const char *s, guint64 *out)
{
	char *end;
	guint64 n = g_ascii_strtoull(s, &end, 10);

	if (end == s)
		return -1;
	switch (*end) {
	case '\0': break;
	case 'K': case 'k': n <<= 10; end++; break;
	case 'M': case 'm': n <<= 20; end++; break;
	case 'G': case 'g': n <<= 30; end++; break;
	default: return -1;
	}
	*out = n;
	return *end == '\0' ? 0 : -1;
}

static void
key_size(GKeyFile *kf, const char *group, const char *key, guint64 *out,
    struct problems *p)
{
	char *v = key_string(kf, group, key);

	if (v != NULL && size_parse(v, out) == -1)
		problems_error(p, "%s: [%s] %s: '%s' is not a size (e.g. 25M)",
		    "config", group, key, v);
	g_free(v);
}

static void
key_bool(GKeyFile *kf, const char *group, const char *key, int *out,
    struct problems *p)
{
	char *v = key_string(kf, group, key);

	if (v == NULL)
		return;
	if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
		*out = 1;
	else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
		*out = 0;
	else
		problems_error(p, "config: [%s] %s: '%s' must be yes or no",
		    group, key, v);
	g_free(v);
}

static char *
key_path(const struct config *c, GKeyFile *kf, const char *group,
    const char *key, const char *dflt)
{
	char *v = key_string(kf, group, key), *r;

	if (v == NULL)
		return dflt ? g_strdup(dflt) : NULL;
	r = file_resolve(c->dir, v);
	g_free(v);
	return r;
}

static void
keys_check(GKeyFile *kf, const char *group, struct problems *p)
{
	const char *spec = g_str_has_prefix(group, "survey ") ? "survey" : group;
	char **keys, **k;
	guint i, j;

	for (i = 0; i < G_N_ELEMENTS(known_keys); i++)
		if (strcmp(known_keys[i].group, spec) == 0)
			break;
	if (i == G_N_ELEMENTS(known_keys)) {
		problems_warn(p, "config: unknown group [%s] is ignored", group);
		return;
	}
	keys = g_key_file_get_keys(kf, group, NULL, NULL);
	for (k = keys; k != NULL && *k != NULL; k++) {
		for (j = 0; known_keys[i].keys[j] != NULL; j++)
			if (strcmp(known_keys[i].keys[j], *k) == 0)
				break;
		if (known_keys[i].keys[j] == NULL)
			problems_warn(p, "config: [%s] unknown key '%s' is "
			    "ignored", group, *k);
	}
	g_strfreev(keys);
}

/* An [intake] size or count, or the current value when absent or wrong. */
static guint64
key_limit(GKeyFile *kf, const char *key, guint64 current, struct problems *p)
{
	key_size(kf, "intake", key, &current, p);
	return current;
}

static void
intake_load(struct config *c, GKeyFile *kf, struct problems *p)
{
	struct limits *l = &c->limits;

	c->spool = key_path(c, kf, "intake", "spool",
	    "/var/spool/surveyd/incoming");
	c->max_message = key_limit(kf, "max-message-size", c->max_message, p);
	c->max_attachment = key_limit(kf, "max-attachment-size",
	    c->max_attachment, p);
	l->zip_inflated = key_limit(kf, "zip-inflated", l->zip_inflated, p);
	l->parser_memory = key_limit(kf, "parser-memory", l->parser_memory, p);
	l->zip_entries = key_limit(kf, "zip-entries", l->zip_entries, p);
	l->zip_ratio = (unsigned)key_limit(kf, "zip-ratio", l->zip_ratio, p);
	l->xml_depth = (unsigned)key_limit(kf, "xml-depth", l->xml_depth, p);
	l->sheet_cells = key_limit(kf, "sheet-cells", l->sheet_cells, p);
	l->cell_text = key_limit(kf, "cell-text", l->cell_text, p);
	l->parser_cpu = (unsigned)key_limit(kf, "parser-cpu", l->parser_cpu, p);
}

static int
seconds_parse(const char *v, gint64 *out)
{
	char *end;
	gint64 n = g_ascii_strtoll(v, &end, 10);

	if (end == v || *end != '\0' || n <= 0)
		return -1;
	*out = n;
	return 0;
}

/* Plain seconds, as the example has them, or a duration (5m, 1h). */
static gint64
key_seconds(GKeyFile *kf, const char *group, const char *key, gint64 dflt,
    struct problems *p)
{
	char *v = key_string(kf, group, key);
	gint64 n = dflt;

	if (v != NULL && seconds_parse(v, &n) == -1 &&
	    clock_duration_parse(v, &n) == -1)
		problems_error(p, "config: [%s] %s: '%s' is not a duration "
		    "(e.g. 60, 5m)", group, key, v);
	g_free(v);
	return n;
}

/*
 * A secret's file: credential:NAME is systemd's LoadCredential folder,
 * else surveyd's own; any other value is a path like every other.
 */
static char *
key_secret_path(const struct config *c, GKeyFile *kf, const char *group,
    const char *key)
{
	char *v = key_string(kf, group, key), *r;
	const char *dir;

	if (v == NULL)
		return NULL;
	if (!g_str_has_prefix(v, "credential:")) {
		r = file_resolve(c->dir, v);
		g_free(v);
		return r;
	}
	dir = g_getenv("CREDENTIALS_DIRECTORY");
	if (dir == NULL || *dir == '\0')
		dir = CONFIG_CREDENTIALS;
	r = g_build_filename(dir, v + strlen("credential:"), NULL);
	g_free(v);
	return r;
}

static void
imap_load(struct config *c, GKeyFile *kf, struct problems *p)
{
	struct imap_config *im = &c->imap;
	char *v;

	im->url = key_string(kf, "imap", "url");
	im->username = key_string(kf, "imap", "username");
	im->password_file = key_secret_path(c, kf, "imap", "password-file");
	im->processed = key_string(kf, "imap", "processed-folder");
	if (im->processed != NULL && strpbrk(im->processed, "\"\\\r\n") != NULL)
		problems_error(p, "config: [imap] processed-folder: '%s' may "
		    "not hold quotes, backslashes or line breaks", im->processed);
	im->ca_file = key_path(c, kf, "imap", "ca-file", NULL);
	if ((v = key_string(kf, "imap", "auth")) != NULL &&
	    strcmp(v, "password") != 0 && strcmp(v, "xoauth2") != 0)
		problems_error(p, "config: [imap] auth: '%s' is neither "
		    "'password' nor 'xoauth2'", v);
	im->xoauth2 = v != NULL && strcmp(v, "xoauth2") == 0;
	g_free(v);
	im->poll_interval = key_seconds(kf, "imap", "poll-interval",
	    CONFIG_POLL_INTERVAL, p);
	im->timeout = key_seconds(kf, "imap", "timeout", CONFIG_SERVER_TIMEOUT,
	    p);
	if (im->url != NULL && !g_str_has_prefix(im->url, "imap://") &&
	    !g_str_has_prefix(im->url, "imaps://"))
		problems_error(p, "config: [imap] url: '%s' must begin with "
		    "imaps:// or imap://", im->url);
}

/* A mailbox key, "Name <addr>" or "addr"; NULL (an error) otherwise. */
static char *
key_mailbox(GKeyFile *kf, const char *group, const char *key,
    struct problems *p)
{
	char *v = key_string(kf, group, key), *addr;

	if (v == NULL)
		return NULL;
	if ((addr = message_address(v)) == NULL)
		problems_error(p, "config: [%s] %s: '%s' is not an address "
		    "(Name <addr@domain> or addr@domain)", group, key, v);
	g_free(addr);
	return v;
}

static void
smtp_load(struct config *c, GKeyFile *kf, struct problems *p)
{
	struct smtp_config *sm = &c->smtp;
	char *v, *end;
	long n;

	sm->url = key_string(kf, "smtp", "url");
	sm->username = key_string(kf, "smtp", "username");
	sm->password_file = key_secret_path(c, kf, "smtp", "password-file");
	sm->from = key_mailbox(kf, "smtp", "from", p);
	sm->reply_to = key_mailbox(kf, "smtp", "reply-to", p);
	sm->ca_file = key_path(c, kf, "smtp", "ca-file", NULL);
	sm->timeout = key_seconds(kf, "smtp", "timeout", CONFIG_SERVER_TIMEOUT,
	    p);
	sm->rate_per_minute = CONFIG_SMTP_RATE;
	if ((v = key_string(kf, "smtp", "rate-per-minute")) != NULL) {
		n = strtol(v, &end, 10);
		if (end == v || *end != '\0' || n < 0 || n > INT_MAX)
			problems_error(p, "config: [smtp] rate-per-minute: "
			    "'%s' is not a number of mails (0: no limit)", v);
		else
			sm->rate_per_minute = (int)n;
	}
	g_free(v);
	if (sm->url == NULL)
		return;
	if (!g_str_has_prefix(sm->url, "smtp://") &&
	    !g_str_has_prefix(sm->url, "smtps://"))
		problems_error(p, "config: [smtp] url: '%s' must begin with "
		    "smtps:// or smtp://", sm->url);
	if (sm->from == NULL)
		problems_error(p, "config: [smtp] from: missing (the address "
		    "mail is sent from, Name <addr@domain>)");
}

/*
 * Every template of the survey, checked when mail can be sent: a broken
 * one is a config error now, not a mail that fails at 3 a.m.
 */
static void
survey_templates_load(struct config *c, struct survey *s, GKeyFile *kf,
    const char *group, struct problems *p)
{
	char *dflt = template_dir_default(s->language);

	s->templates_dir = key_path(c, kf, group, "templates", dflt);
	g_free(dflt);
	if (c->smtp.url != NULL)
		template_set_load(&s->templates, s->templates_dir, p);
}

/* "HOST:PORT" or "[V6]:PORT" into host and port; -1 when malformed. */
static int
web_listen_parse(struct web_config *w)
{
	const char *colon = strrchr(w->listen, ':');
	char *end;
	long port;

	if (colon == NULL || colon == w->listen)
		return -1;
	port = strtol(colon + 1, &end, 10);
	if (*end != '\0' || port < 1 || port > 65535)
		return -1;
	w->port = (int)port;
	if (w->listen[0] == '[' && colon[-1] == ']')
		w->host = g_strndup(w->listen + 1, colon - w->listen - 2);
	else
		w->host = g_strndup(w->listen, colon - w->listen);
	return 0;
}

static int
web_host_is_loopback(const char *host)
{
	return g_str_has_prefix(host, "127.") || strcmp(host, "::1") == 0 ||
	    strcmp(host, "localhost") == 0;
}

static void
web_load(struct config *c, GKeyFile *kf, struct problems *p)
{
	struct web_config *w = &c->web;
	char *dir = g_path_get_dirname(c->database);

	w->users = key_path(c, kf, "web", "users", NULL);
	if (w->users == NULL)
		w->users = g_build_filename(dir, CONFIG_WEB_USERS, NULL);
	g_free(dir);
	key_bool(kf, "web", "behind-proxy", &w->behind_proxy, p);
	if ((w->listen = key_string(kf, "web", "listen")) == NULL)
		return;
	if (web_listen_parse(w) == -1)
		problems_error(p, "config: [web] listen: '%s' is not "
		    "ADDRESS:PORT (e.g. 127.0.0.1:8080)", w->listen);
	else if (!web_host_is_loopback(w->host) && !w->behind_proxy)
		problems_warn(p, "config: [web] listen: %s is reachable from "
		    "other machines without TLS; put a reverse proxy in front "
		    "(docs/web.md) and set behind-proxy=yes", w->listen);
}

static void
survey_time(GKeyFile *kf, const char *group, const char *key, GTimeZone *tz,
    int day_end, gint64 *out, struct problems *p)
{
	char *v = key_string(kf, group, key);
	int rc;

	if (v == NULL)
		return;
	rc = day_end ? clock_parse_day_end(v, tz, out) : clock_parse(v, tz, out);
	if (rc == -1)
		problems_error(p, "config: [%s] %s: '%s' is not a date "
		    "(YYYY-MM-DD or YYYY-MM-DD HH:MM)", group, key, v);
	g_free(v);
}

static void
survey_duration(GKeyFile *kf, const char *group, const char *key,
    gint64 *out, struct problems *p)
{
	char *v = key_string(kf, group, key);

	if (v != NULL && clock_duration_parse(v, out) == -1)
		problems_error(p, "config: [%s] %s: '%s' is not a duration "
		    "(e.g. 14d, 12h)", group, key, v);
	g_free(v);
}

/* Defaults from DESIGN, for keys the survey leaves out. */
#define SURVEY_REMINDERS	"-7d,-3d,-1d,+2d,+5d"
#define SURVEY_MAX_REMINDERS	5
#define SURVEY_WINDOW		"Mon-Fri 08:00-17:00"
#define SURVEY_DIGEST_AT	"17:00"

/* Reads key (or its default) with parse; an error names [group] key. */
static void
survey_setting(GKeyFile *kf, const char *group, const char *key,
    const char *dflt, int (*parse)(struct survey *, const char *, char *,
    size_t), struct survey *s, struct problems *p)
{
	char *v = key_string(kf, group, key), err[256];

	if (parse(s, v ? v : dflt, err, sizeof(err)) == -1)
		problems_error(p, "config: [%s] %s: %s", group, key, err);
	g_free(v);
}

static int
steps_set(struct survey *s, const char *v, char *err, size_t errlen)
{
	return schedule_steps_parse(v, s->steps, &s->nsteps, err, errlen);
}

static int
window_set(struct survey *s, const char *v, char *err, size_t errlen)
{
	return schedule_window_parse(v, &s->window, err, errlen);
}

static int
holidays_set(struct survey *s, const char *v, char *err, size_t errlen)
{
	return (s->holidays = schedule_holidays_parse(v, err, errlen)) ?
	    0 : -1;
}

static int
max_reminders_set(struct survey *s, const char *v, char *err, size_t errlen)
{
	char *end;
	long n = strtol(v, &end, 10);

	s->max_reminders = (int)n;
	if (end != v && *end == '\0' && n >= 0 && n <= SCHEDULE_MAX_STEPS)
		return 0;
	snprintf(err, errlen, "'%s' is not a number from 0 to %d", v,
	    SCHEDULE_MAX_STEPS);
	return -1;
}

static int
send_forms_set(struct survey *s, const char *v, char *err, size_t errlen)
{
	s->send_forms_auto = strcmp(v, "auto") == 0;
	if (s->send_forms_auto || strcmp(v, "manual") == 0)
		return 0;
	snprintf(err, errlen, "'%s' must be manual or auto", v);
	return -1;
}

static int
digest_at_set(struct survey *s, const char *v, char *err, size_t errlen)
{
	if ((s->digest_at = schedule_clock_parse(v)) >= 0)
		return 0;
	snprintf(err, errlen, "'%s' is not a time such as 17:00", v);
	return -1;
}

static int
digest_to_set(struct survey *s, const char *v, char *err, size_t errlen)
{
	if (*v == '\0')
		return 0;
	s->digest_to = g_strdup(v);
	if (strchr(v, '@') != NULL && strchr(v, ' ') == NULL)
		return 0;
	snprintf(err, errlen, "'%s' is not an e-mail address", v);
	return -1;
}

/* The mail schedule: checked now, used by the outgoing mail. */
static void
survey_schedule_load(struct survey *s, GKeyFile *kf, const char *group,
    struct problems *p)
{
	survey_setting(kf, group, "reminders", SURVEY_REMINDERS, steps_set, s, p);
	survey_setting(kf, group, "max-reminders", G_STRINGIFY(
	    SURVEY_MAX_REMINDERS), max_reminders_set, s, p);
	survey_setting(kf, group, "send-window", SURVEY_WINDOW, window_set, s, p);
	survey_setting(kf, group, "holidays", "", holidays_set, s, p);
	survey_setting(kf, group, "send-forms", "manual", send_forms_set, s, p);
	survey_setting(kf, group, "digest-at", SURVEY_DIGEST_AT, digest_at_set,
	    s, p);
	survey_setting(kf, group, "digest-to", "", digest_to_set, s, p);
}

static void
survey_files_load(struct config *c, struct survey *s, GKeyFile *kf,
    const char *group, struct problems *p)
{
	if ((s->definition_path = key_path(c, kf, group, "definition", NULL)) == NULL)
		problems_error(p, "config: [%s] definition: missing (an .xlsx "
		    "or a folder of survey.csv, choices.csv, settings.csv)",
		    group);
	else
		s->def = definition_load(s->definition_path, p);
	if ((s->roster_path = key_path(c, kf, group, "roster", NULL)) == NULL)
		problems_error(p, "config: [%s] roster: missing (a CSV with "
		    "code,name,region,emails)", group);
	else
		s->roster = roster_load(s->roster_path, p);
	if (s->organiser != NULL && s->roster != NULL &&
	    roster_find(s->roster, s->organiser) == NULL)
		problems_error(p, "config: [%s] organiser: '%s' is not a code "
		    "in %s", group, s->organiser, s->roster_path);
}

static void
survey_load(struct config *c, struct survey *s, GKeyFile *kf,
    const char *group, struct problems *p)
{
	char *tz;

	s->id = g_strdup(group + strlen("survey "));
	g_strstrip(s->id);
	tz = key_string(kf, group, "timezone");
	s->tz = g_time_zone_new_identifier(tz ? tz : "Asia/Ho_Chi_Minh");
	if (s->tz == NULL) {
		problems_error(p, "config: [%s] timezone: '%s' is not a known "
		    "timezone", group, tz);
		s->tz = g_time_zone_new_utc();
	}
	g_free(tz);
	s->language = key_string(kf, group, "language");
	if (s->language == NULL)
		s->language = g_strdup("vi");
	else if (strcmp(s->language, "vi") != 0 && strcmp(s->language, "en") != 0)
		problems_error(p, "config: [%s] language: '%s' must be vi or en",
		    group, s->language);
	survey_time(kf, group, "opens", s->tz, 0, &s->opens, p);
	survey_time(kf, group, "deadline", s->tz, 1, &s->deadline, p);
	survey_time(kf, group, "closes", s->tz, 1, &s->closes, p);
	s->lookback = CONFIG_LOOKBACK;
	survey_duration(kf, group, "lookback", &s->lookback, p);
	survey_duration(kf, group, "retention", &s->retention, p);
	s->acknowledge = 1;
	key_bool(kf, group, "acknowledge", &s->acknowledge, p);
	s->organiser = key_string(kf, group, "organiser");
	survey_schedule_load(s, kf, group, p);
	survey_files_load(c, s, kf, group, p);
	survey_templates_load(c, s, kf, group, p);
}

static void
config_groups_load(struct config *c, GKeyFile *kf, struct problems *p)
{
	char **groups, **g;

	groups = g_key_file_get_groups(kf, NULL);
	for (g = groups; *g != NULL; g++) {
		keys_check(kf, *g, p);
		if (!g_str_has_prefix(*g, "survey "))
			continue;
		c->surveys = g_renew(struct survey, c->surveys, c->nsurveys + 1);
		memset(&c->surveys[c->nsurveys], 0, sizeof(struct survey));
		survey_load(c, &c->surveys[c->nsurveys++], kf, *g, p);
	}
	g_strfreev(groups);
	if (c->nsurveys == 0)
		problems_error(p, "config: %s has no [survey ID] group", c->path);
}

struct config *
config_load(const char *path, struct problems *p)
{
	struct config *c;
	GKeyFile *kf;
	GError *error = NULL;
	guint errors = p->errors->len;

	kf = g_key_file_new();
	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &error)) {
		problems_error(p, "config: %s: %s", path, error->message);
		g_error_free(error);
		g_key_file_free(kf);
		return NULL;
	}
	c = g_new0(struct config, 1);
	c->path = g_strdup(path);
	c->dir = g_path_get_dirname(path);
	c->max_message = CONFIG_MAX_MESSAGE;
	c->max_attachment = CONFIG_MAX_ATTACHMENT;
	limits_default(&c->limits);
	c->database = key_path(c, kf, "store", "database",
	    "/var/lib/surveyd/surveyd.db");
	c->archive = key_path(c, kf, "store", "archive",
	    "/var/lib/surveyd/archive");
	intake_load(c, kf, p);
	imap_load(c, kf, p);
	smtp_load(c, kf, p);
	web_load(c, kf, p);
	config_groups_load(c, kf, p);
	g_key_file_free(kf);
	if (p->errors->len > errors) {
		config_free(c);
		return NULL;
	}
	return c;
}

static void
survey_clear(struct survey *s)
{
	g_free(s->id);
	g_free(s->definition_path);
	g_free(s->roster_path);
	definition_free(s->def);
	roster_free(s->roster);
	if (s->tz != NULL)
		g_time_zone_unref(s->tz);
	g_free(s->language);
	g_free(s->organiser);
	g_free(s->digest_to);
	g_free(s->templates_dir);
	template_set_clear(&s->templates);
	if (s->holidays != NULL)
		g_array_unref(s->holidays);
}

void
config_free(struct config *c)
{
	guint i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nsurveys; i++)
		survey_clear(&c->surveys[i]);
	g_free(c->surveys);
	g_free(c->path);
	g_free(c->dir);
	g_free(c->database);
	g_free(c->archive);
	g_free(c->spool);
	g_free(c->imap.url);
	g_free(c->imap.username);
	g_free(c->imap.password_file);
	g_free(c->imap.processed);
	g_free(c->smtp.url);
	g_free(c->smtp.username);
	g_free(c->smtp.password_file);
	g_free(c->smtp.from);
	g_free(c->smtp.reply_to);
	g_free(c->smtp.ca_file);
	g_free(c->web.listen);
	g_free(c->web.host);
	g_free(c->web.users);
	g_free(c->imap.ca_file);
	g_free(c);
}

struct survey *
config_survey(const struct config *c, const char *id)
{
	guint i;

	if (id == NULL)
		return c->nsurveys == 1 ? &c->surveys[0] : NULL;
	for (i = 0; i < c->nsurveys; i++)
		if (strcmp(c->surveys[i].id, id) == 0)
			return &c->surveys[i];
	return NULL;
}
