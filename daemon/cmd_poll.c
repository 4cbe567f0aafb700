/*
 * cmd_poll.c — `surveyd poll --once [--survey ID] [--now T]`: one IMAP
 * cycle.  Every message not yet done goes through the same intake as an
 * imported .eml; its row in mailbox_message is committed before the
 * message is marked done on the server, so a crash between the two takes
 * nothing in twice.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "archive.h"
#include "cmd.h"
#include "file.h"
#include "imap.h"
#include "log.h"
#include "mailin.h"
#include "mime.h"

#define POLL_PASSWORD_MAX	4096

/* One cycle's state. */
struct poll {
	struct intake		 in;
	const struct survey	*sv;
	const char		*mailbox;	/* the [imap] url */
	struct imap		*imap;
	gint64			 uidvalidity;
	struct mailin_batch	 b;
	int			 worst;
	guint			 stored;
};

/* The password file's first line; NULL (logged) when unreadable. */
static char *
password_read(const struct imap_config *c)
{
	unsigned char *data;
	char err[600], *pw;
	size_t len;

	if (c->password_file == NULL) {
		log_err("config: [imap] password-file: missing");
		return NULL;
	}
	if (file_read(c->password_file, POLL_PASSWORD_MAX, &data, &len, err,
	    sizeof(err)) == -1) {
		log_err("[imap] password-file: %s", err);
		return NULL;
	}
	pw = g_strndup((const char *)data, len);
	pw[strcspn(pw, "\r\n")] = '\0';
	/* The secret lives in one place only. */
	memset(data, 0, len);
	g_free(data);
	return pw;
}

static void
poll_worst(struct poll *p, int rc)
{
	p->worst = mailin_worse(p->worst, rc);
}

static void
poll_mark_done(struct poll *p, gint64 uid)
{
	char err[IMAP_ERRLEN];

	/* Not fatal: the stored row keeps it from being taken twice. */
	if (imap_mark_done(p->imap, uid, err, sizeof(err)) == -1) {
		log_err("%s", err);
		poll_worst(p, EXIT_RUNTIME);
	}
}

static int
poll_record(struct poll *p, gint64 uid, const char *message_id,
    const char *sha256, const char *state)
{
	struct mailbox_message m = { p->mailbox, p->uidvalidity, uid,
	    message_id, sha256, state, p->in.now };

	if (store_begin(p->in.store) == -1 ||
	    store_mailbox_message_add(p->in.store, &m) == -1 ||
	    store_commit(p->in.store) == -1) {
		log_err("%s UID %" G_GINT64_FORMAT ": cannot store: %s",
		    p->mailbox, uid, store_error(p->in.store));
		store_rollback(p->in.store);
		poll_worst(p, EXIT_RUNTIME);
		return -1;
	}
	return 0;
}

/*
 * A message through the intake batch, alone, so its outcome is its own.
 * Runtime failures leave it unrecorded: the next cycle tries it again.
 */
static void
poll_take(struct poll *p, gint64 uid, unsigned char *data, size_t len,
    const char *sha256)
{
	const struct mail *m;
	char *label, *message_id = NULL;
	int rc;

	label = g_strdup_printf("%s UID %" G_GINT64_FORMAT, p->mailbox, uid);
	p->b.worst = EXIT_OK;
	mailin_mail(&p->in, label, data, len, NULL, &p->b);
	if (p->b.mails->len > 0) {
		m = p->b.mails->pdata[p->b.mails->len - 1];
		message_id = g_strdup(m->message_id);
	}
	mailin_flush(&p->in, p->sv, &p->b);
	rc = p->b.worst;
	poll_worst(p, rc);
	if (rc != EXIT_RUNTIME && poll_record(p, uid, message_id, sha256,
	    rc == EXIT_OK ? "stored" : "rejected") == 0) {
		p->stored++;
		poll_mark_done(p, uid);
	}
	g_free(message_id);
	g_free(label);
}

static void
poll_one(struct poll *p, gint64 uid)
{
	char err[IMAP_ERRLEN], sha256[ARCHIVE_SHA256_LEN], *state;
	unsigned char *data;
	size_t len;
	int big;

	/* Committed before, but the mark was lost: only mark it. */
	if ((state = store_mailbox_state(p->in.store, p->mailbox,
	    p->uidvalidity, uid)) != NULL) {
		g_free(state);
		poll_mark_done(p, uid);
		return;
	}
	if (imap_fetch(p->imap, p->uidvalidity, uid, p->in.config->max_message,
	    &data, &len, &big, err, sizeof(err)) == -1) {
		log_err("%s", err);
		poll_worst(p, big ? EXIT_REJECTED : EXIT_RUNTIME);
		return;
	}
	archive_sha256(data, len, sha256);
	/* The same bytes under another UID or UIDVALIDITY: taken already. */
	if ((state = store_mailbox_state_of(p->in.store, p->mailbox,
	    sha256)) != NULL) {
		if (poll_record(p, uid, NULL, sha256, state) == 0)
			poll_mark_done(p, uid);
		g_free(state);
		g_free(data);
		return;
	}
	poll_take(p, uid, data, len, sha256);
}

/* Mail older than the survey's lookback is some other business's. */
static gint64
poll_since(const struct survey *sv, gint64 now)
{
	gint64 from = sv->opens ? sv->opens : now;

	return from > sv->lookback ? from - sv->lookback : 0;
}

static int
poll_cycle(struct poll *p, const char *password)
{
	char err[IMAP_ERRLEN];
	GArray *uids = g_array_new(FALSE, FALSE, sizeof(gint64));
	guint i;

	p->imap = imap_new(&p->in.config->imap, password);
	if (imap_search(p->imap, poll_since(p->sv, p->in.now),
	    &p->uidvalidity, uids, err, sizeof(err)) == -1) {
		log_err("%s", err);
		poll_worst(p, EXIT_RUNTIME);
	} else {
		log_info("%s: %u new message(s)", p->mailbox, uids->len);
		for (i = 0; i < uids->len; i++)
			poll_one(p, g_array_index(uids, gint64, i));
	}
	imap_free(p->imap);
	g_array_unref(uids);
	return p->worst;
}

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
	struct poll p = { 0 };
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
	if ((p.sv = cmd_survey(env, survey)) == NULL ||
	    cmd_now(p.sv, now, &t) == -1)
		return EXIT_USAGE;
	if ((p.mailbox = env->config->imap.url) == NULL) {
		log_err("%s: [imap] url: missing: there is no mailbox to poll",
		    env->config->path);
		return EXIT_USAGE;
	}
	if ((password = password_read(&env->config->imap)) == NULL)
		return EXIT_RUNTIME;
	if ((rc = cmd_store_open(env)) == EXIT_OK) {
		intake_init(&p.in, env->config, env->store, t);
		mailin_batch_init(&p.b);
		rc = poll_cycle(&p, password);
		mailin_batch_free(&p.b);
		intake_clear(&p.in);
	}
	memset(password, 0, strlen(password));
	g_free(password);
	return rc;
}
