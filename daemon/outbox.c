/*
 * outbox.c — queueing and delivering outgoing mail: building a batch of
 * mails and committing them (archive first, then rows), and sending the
 * queued ones over one SMTP session with each outcome recorded at once.
 */
#include <stdio.h>
#include <string.h>

#include "archive.h"
#include "cmd.h"
#include "file.h"
#include "log.h"
#include "outbox.h"
#include "secret.h"
#include "smtp.h"

/* A built mail waiting for its row. */
struct built {
	struct outbox_row	 row;
	char			*path;		/* in the archive */
	size_t			 len;
};

/* "a@x, b@y": the bare addresses, lower case, as the row keeps them. */
static char *
recipients_join(const struct outbox_mail *m)
{
	GString *s = g_string_new(NULL);
	char *addr, *lower;
	size_t i;

	for (i = 0; i < m->nto + m->ncc; i++) {
		addr = message_address(i < m->nto ? m->to[i] : m->cc[i - m->nto]);
		if (addr == NULL)
			continue;
		g_string_append_printf(s, "%s%s", s->len ? ", " : "", addr);
		g_free(addr);
	}
	lower = g_ascii_strdown(s->str, -1);
	g_string_free(s, TRUE);
	return lower;
}

/* Renders and builds one mail into the archive; -1 (logged) on error. */
static int
mail_build(const struct config *c, gint64 now, const struct outbox_mail *m,
    struct built *b)
{
	struct message_spec spec = { 0 };
	char err[TEMPLATE_ERRLEN], *domain, *subject = NULL, *body = NULL;
	unsigned char *data = NULL;
	char sha[ARCHIVE_SHA256_LEN];
	int rc = -1;

	domain = message_address_domain(c->smtp.from);
	b->row.message_id = message_id_make(m->survey->id, m->respondent,
	    m->kind, m->step, domain);
	g_free(domain);
	/* The templates are loaded with [smtp]: without it nothing is built. */
	if (m->survey->templates.kind[m->template] == NULL) {
		snprintf(err, sizeof(err), "no mail templates: [smtp] url is "
		    "not set");
		goto done;
	}
	if (template_render(m->survey->templates.kind[m->template], m->values,
	    &subject, &body, err, sizeof(err)) == -1)
		goto done;
	spec.from = c->smtp.from;
	spec.to = m->to;
	spec.nto = m->nto;
	spec.cc = m->ncc ? m->cc : NULL;
	spec.ncc = m->ncc;
	spec.reply_to = c->smtp.reply_to;
	spec.subject = subject;
	spec.body = body;
	spec.date = now;
	spec.message_id = b->row.message_id;
	spec.in_reply_to = m->in_reply_to;
	spec.attachment = m->attachment;
	if (message_build(&spec, &data, &b->len, err, sizeof(err)) == -1)
		goto done;
	archive_sha256(data, b->len, sha);
	if (archive_put(c->archive, data, b->len, sha, &b->path, err,
	    sizeof(err)) == -1)
		goto done;
	b->row.sha256 = g_strdup(sha);
	rc = 0;
done:
	if (rc == -1)
		log_err("survey %s: %s mail %s to %s: %s", m->survey->id,
		    m->kind, m->step, *m->respondent ? m->respondent :
		    "the secretary", err);
	g_free(data);
	g_free(subject);
	g_free(body);
	return rc;
}

static void
built_clear(struct built *b)
{
	g_free((char *)b->row.message_id);
	g_free((char *)b->row.recipients);
	g_free((char *)b->row.sha256);
	g_free(b->path);
}

/* The batch's rows in one transaction; the number newly queued. */
static int
rows_commit(struct store *st, const struct config *c, struct built *b,
    size_t n, gint64 now)
{
	char err[600];
	size_t i;
	int added = 0, rc;

	if (archive_sync(c->archive, err, sizeof(err)) == -1) {
		log_err("%s", err);
		return -1;
	}
	if (store_begin(st) == -1)
		goto fail;
	for (i = 0; i < n; i++) {
		if (b[i].row.sha256 == NULL)
			continue;
		if (store_raw_add(st, b[i].row.sha256, (gint64)b[i].len,
		    b[i].path, now) == -1 ||
		    (rc = store_outbox_add(st, &b[i].row)) == -1)
			goto fail;
		added += rc;
	}
	if (store_commit(st) == 0)
		return added;
fail:
	log_err("%s: cannot queue mail: %s", c->database, store_error(st));
	store_rollback(st);
	return -1;
}

int
outbox_queue(struct store *st, const struct config *c, gint64 now,
    const struct outbox_mail *mails, size_t n)
{
	struct built *b = g_new0(struct built, n);
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		b[i].row.survey = mails[i].survey->id;
		b[i].row.respondent = mails[i].respondent;
		b[i].row.kind = mails[i].kind;
		b[i].row.step = mails[i].step;
		b[i].row.state = "queued";
		b[i].row.created = now;
		b[i].row.next_attempt = now;
		b[i].row.recipients = recipients_join(&mails[i]);
		if (mail_build(c, now, &mails[i], &b[i]) == -1) {
			g_free((char *)b[i].row.sha256);
			b[i].row.sha256 = NULL;
		}
	}
	rc = rows_commit(st, c, b, n, now);
	for (i = 0; i < n; i++)
		built_clear(&b[i]);
	g_free(b);
	return rc;
}

int
outbox_skip(struct store *st, const struct config *c, gint64 now,
    const char *survey, const char *respondent, const char *kind,
    const char *step, const char *why)
{
	struct outbox_row row = { 0 };
	char *domain = message_address_domain(c->smtp.from);
	int rc;

	/* A skipped step keeps its key, so it is never sent later. */
	row.survey = survey;
	row.respondent = respondent;
	row.kind = kind;
	row.step = step;
	row.message_id = message_id_make(survey, respondent, kind, step, domain);
	row.state = "skipped";
	row.created = now;
	row.error = why;
	rc = store_begin(st) == -1 || store_outbox_add(st, &row) == -1 ||
	    store_commit(st) == -1 ? -1 : 0;
	if (rc == -1) {
		log_err("%s: %s", c->database, store_error(st));
		store_rollback(st);
	}
	g_free((char *)row.message_id);
	g_free(domain);
	return rc;
}

/* 5 min, 15 min, 45 min ... 6 h: a server down for a day is waited out. */
static gint64
retry_delay(int attempts)
{
	gint64 d = OUTBOX_RETRY_FIRST;

	while (attempts-- > 0 && d < OUTBOX_RETRY_MAX)
		d *= 3;
	return MIN(d, OUTBOX_RETRY_MAX);
}

/* "refused: a@x (550 5.1.1 ...)" for each recipient the server refused. */
static char *
refusals_text(char **rcpts, size_t n, const struct smtp_result *r)
{
	GString *s = g_string_new(NULL);
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i].outcome != SMTP_SENT)
			g_string_append_printf(s, "%srefused: %s (%s)", s->len ?
			    "; " : "", rcpts[i], r[i].reply[0] ? r[i].reply :
			    smtp_outcome_name(r[i].outcome));
	return g_string_free(s, s->len == 0);
}

struct delivery {
	struct store		*st;
	const struct config	*c;
	struct smtp		*smtp;
	char			*from;		/* bare address */
	gint64			 now;
	struct outbox_stats	*stats;
	int			 worst;
};

/* What one attempt came to, recorded at once. */
static void
delivery_record(struct delivery *d, const struct outbox_row *o,
    enum smtp_outcome out, const char *err)
{
	const char *state = "sent";
	gint64 next = 0;

	if (out == SMTP_PERMANENT ||
	    (out != SMTP_SENT && o->attempts + 1 >= OUTBOX_ATTEMPTS_MAX))
		state = "failed";
	else if (out != SMTP_SENT) {
		state = "queued";
		next = d->now + retry_delay(o->attempts);
	}
	log_fields(LOG_LEVEL_INFO, o->survey, *o->respondent ? o->respondent :
	    NULL, o->message_id, "mail %s %s to %s (%s): %s%s%s", o->kind,
	    o->step, *o->respondent ? o->respondent : "the secretary",
	    o->recipients,
	    strcmp(state, "queued") == 0 ? "to be tried again" : state,
	    err ? ": " : "", err ? err : "");
	if (store_begin(d->st) == -1 || store_outbox_result(d->st, o->id, state,
	    out == SMTP_SENT ? d->now : 0, next, err) == -1 ||
	    store_commit(d->st) == -1) {
		log_err("%s: %s", d->c->database, store_error(d->st));
		store_rollback(d->st);
		d->worst = EXIT_RUNTIME;
	}
	if (out == SMTP_SENT)
		d->stats->sent++;
	else if (strcmp(state, "failed") == 0)
		d->stats->failed++;
	else
		d->stats->retry++;
}

/* One queued mail, read back from the archive and sent; -1 when the
 * server could not be reached at all. */
static int
delivery_one(struct delivery *d, const struct outbox_row *o)
{
	struct smtp_result results[OUTBOX_RECIPIENTS * 2];
	char err[SMTP_ERRLEN], *path, *refused = NULL, **rcpts;
	unsigned char *data;
	enum smtp_outcome out;
	size_t len, n;

	path = store_raw_path(d->st, o->sha256);
	if (path == NULL || file_read(path, OUTBOX_MAIL_MAX, &data, &len,
	    err, sizeof(err)) == -1) {
		log_err("mail %s %s to %s: its built mail is gone from the "
		    "archive: %s", o->kind, o->step, o->respondent,
		    path ? err : o->sha256);
		g_free(path);
		delivery_record(d, o, SMTP_PERMANENT, "the built mail is "
		    "missing from the archive");
		return 0;
	}
	g_free(path);
	rcpts = g_strsplit(o->recipients ? o->recipients : "", ", ", -1);
	n = MIN(g_strv_length(rcpts), G_N_ELEMENTS(results));
	out = smtp_send(d->smtp, d->from, (const char *const *)rcpts, n, data,
	    len, results, err, sizeof(err));
	if (out == SMTP_SENT)
		refused = refusals_text(rcpts, n, results);
	delivery_record(d, o, out, out == SMTP_SENT ? refused : err);
	g_free(refused);
	g_strfreev(rcpts);
	g_free(data);
	/* A server that is not there fails every mail: wait for the next run. */
	return out == SMTP_TEMPORARY && results[0].code == 0 ? -1 : 0;
}

/*
 * One batch of due rows over the session: 1 when it went through, 0 when
 * nothing was due, -1 when the server could not be reached or the store
 * failed (the rest then wait).
 */
static int
delivery_batch(struct delivery *d, volatile sig_atomic_t *stop)
{
	GPtrArray *rows;
	guint i;
	int rc = 1;

	if ((rows = store_outbox_due(d->st, d->now, OUTBOX_BATCH)) == NULL) {
		log_err("%s: %s", d->c->database, store_error(d->st));
		d->worst = EXIT_RUNTIME;
		return -1;
	}
	if (rows->len == 0)
		rc = 0;
	for (i = 0; i < rows->len && !*stop; i++)
		if (delivery_one(d, rows->pdata[i]) == -1) {
			rc = -1;
			break;
		}
	/* The server is not there: the rest wait out the same delay. */
	while (rc == -1 && !*stop && ++i < rows->len)
		delivery_record(d, rows->pdata[i], SMTP_TEMPORARY,
		    "not tried: the server could not be reached");
	g_ptr_array_unref(rows);
	return rc;
}

int
outbox_deliver(struct store *st, const struct config *c, gint64 now,
    volatile sig_atomic_t *stop, struct outbox_stats *stats)
{
	struct delivery d = { st, c, NULL, NULL, now, stats, EXIT_OK };
	char *password = NULL;

	memset(stats, 0, sizeof(*stats));
	if (c->smtp.url == NULL || !store_outbox_any_due(st, now))
		return EXIT_OK;
	if (c->smtp.username != NULL && (password = secret_read(
	    c->smtp.password_file, "[smtp] password-file")) == NULL)
		return EXIT_RUNTIME;
	d.smtp = smtp_new(&c->smtp, password);
	d.from = message_address(c->smtp.from);
	/* Batch after batch on the one session, until nothing is due. */
	while (!*stop && delivery_batch(&d, stop) == 1)
		;
	smtp_free(d.smtp);
	secret_free(password);
	g_free(d.from);
	return d.worst != EXIT_OK || stats->retry > 0 ? EXIT_RUNTIME : EXIT_OK;
}
