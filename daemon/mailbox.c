/*
 * mailbox.c — the poll cycle: which messages to take, in what batches,
 * what to record for each, and what to tell the server afterwards.
 *
 * Order is what makes it crash-safe.  A batch of messages is archived and
 * stored (one transaction), then each message's row in mailbox_message is
 * committed, and only then are the messages flagged done on the server
 * with one UID STORE.  A crash before the rows leaves the messages to be
 * fetched again: their files are recognised by sha256 and not stored
 * twice.  A crash after the rows but before the flags costs one STORE
 * next cycle, without a fetch.
 */
#include <stdio.h>
#include <string.h>

#include "archive.h"
#include "bounce.h"
#include "cmd.h"
#include "imap.h"
#include "log.h"
#include "mailbox.h"
#include "mailin.h"
#include "mime.h"

/* A message of the current batch, and what became of it. */
struct pending {
	gint64		 uid;
	char		 sha256[ARCHIVE_SHA256_LEN];
	char		*message_id;
	const char	*state;		/* NULL: not recorded, tried again */
	int		 recorded;	/* the row exists: only the flags were lost */
};

struct cycle {
	struct intake		*in;
	const struct survey	*sv;
	const char		*url;
	struct imap		*imap;
	struct imap_folder	 f;
	struct mailin_batch	 b;
	GArray			*pending;	/* of struct pending */
	GArray			*slot_pending;	/* of guint: slot -> pending */
	GArray			*done;		/* UIDs to flag done (and move) */
	GArray			*big;		/* UIDs refused for size: keyword only */
	GArray			*unseen;	/* ignored UIDs to make unread again */
	int			 worst;
	struct mailbox_stats	*stats;
};

static void
cycle_worst(struct cycle *c, int rc)
{
	c->worst = mailin_worse(c->worst, rc);
}

static int
uid_in(const GArray *uids, gint64 uid)
{
	guint i;

	for (i = 0; i < uids->len; i++)
		if (g_array_index(uids, gint64, i) == uid)
			return 1;
	return 0;
}

static struct pending *
pending_add(struct cycle *c, gint64 uid, const char *sha256,
    const char *message_id, const char *state)
{
	struct pending p = { uid, "", g_strdup(message_id), state, 0 };

	if (sha256 != NULL)
		g_strlcpy(p.sha256, sha256, sizeof(p.sha256));
	g_array_append_val(c->pending, p);
	return &g_array_index(c->pending, struct pending, c->pending->len - 1);
}

/* mailin's verdict on a message of the batch, once it is stored. */
static void
cycle_mail_done(void *arg, guint slot, int rc, const char *why)
{
	struct cycle *c = arg;
	struct pending *p = &g_array_index(c->pending, struct pending,
	    g_array_index(c->slot_pending, guint, slot));

	(void)why;
	cycle_worst(c, rc);
	p->state = rc == EXIT_RUNTIME ? NULL :
	    rc == EXIT_REJECTED ? "rejected" : "stored";
}

/* One transaction for the batch's rows; -1 leaves them all to retry. */
static int
rows_record(struct cycle *c)
{
	struct mailbox_message m = { c->url, c->f.uidvalidity, 0, NULL, NULL,
	    NULL, c->in->now };
	struct store *st = c->in->store;
	struct pending *p;
	guint i;

	if (store_begin(st) == -1)
		goto fail;
	for (i = 0; i < c->pending->len; i++) {
		p = &g_array_index(c->pending, struct pending, i);
		if (p->state == NULL || p->recorded)
			continue;
		m.uid = p->uid;
		m.message_id = p->message_id;
		m.sha256 = p->sha256;
		m.state = p->state;
		if (store_mailbox_message_add(st, &m) == -1)
			goto fail;
	}
	if (store_commit(st) == 0)
		return 0;
fail:
	log_err("%s: cannot record the messages taken: %s", c->url,
	    store_error(st));
	store_rollback(st);
	cycle_worst(c, EXIT_RUNTIME);
	return -1;
}

/* Sorts rows into what the server is told. */
static void
rows_sort(struct cycle *c)
{
	struct pending *p;
	guint i;

	for (i = 0; i < c->pending->len; i++) {
		p = &g_array_index(c->pending, struct pending, i);
		if (p->state == NULL)
			continue;
		if (strcmp(p->state, "ignored") == 0) {
			c->stats->ignored++;
			if (uid_in(c->f.unseen, p->uid))
				g_array_append_val(c->unseen, p->uid);
		} else if (strcmp(p->state, "too-big") == 0)
			g_array_append_val(c->big, p->uid);
		else {
			c->stats->taken++;
			g_array_append_val(c->done, p->uid);
		}
	}
}

static void
flags_change(struct cycle *c, GArray *uids, char sign, const char *flags)
{
	char err[IMAP_ERRLEN];

	/* Not fatal: the rows keep the messages from being taken twice. */
	if (uids->len > 0 && imap_flags_change(c->imap, uids, sign, flags,
	    err, sizeof(err)) == -1) {
		log_err("%s", err);
		cycle_worst(c, EXIT_RUNTIME);
	}
	g_array_set_size(uids, 0);
}

/* The server learns what the store has committed, in one go. */
static void
server_tell(struct cycle *c)
{
	const char *folder = c->in->config->imap.processed;
	char err[IMAP_ERRLEN];

	flags_change(c, c->unseen, '-', "\\Seen");
	flags_change(c, c->big, '+', IMAP_DONE_KEYWORD);
	if (folder != NULL && c->done->len > 0) {
		/* The keyword first: a failed move still leaves them done. */
		if (imap_flags_change(c->imap, c->done, '+', "\\Seen "
		    IMAP_DONE_KEYWORD, err, sizeof(err)) == -1 ||
		    imap_move(c->imap, c->done, folder, err, sizeof(err)) == -1) {
			log_err("%s", err);
			cycle_worst(c, EXIT_RUNTIME);
		}
		g_array_set_size(c->done, 0);
	} else
		flags_change(c, c->done, '+', "\\Seen " IMAP_DONE_KEYWORD);
}

static void
pending_clear(struct cycle *c)
{
	guint i;

	for (i = 0; i < c->pending->len; i++)
		g_free(g_array_index(c->pending, struct pending, i).message_id);
	g_array_set_size(c->pending, 0);
	g_array_set_size(c->slot_pending, 0);
}

/* Stores the batch, records every message, then tells the server. */
static void
batch_finish(struct cycle *c)
{
	if (c->pending->len == 0)
		return;
	mailin_flush(c->in, c->sv, &c->b);
	if (rows_record(c) == 0) {
		rows_sort(c);
		server_tell(c);
	}
	pending_clear(c);
}

/*
 * Whether a message carries anything for the survey.  In a shared
 * mailbox most mail is someone else's business: with no file that could
 * be a reply, from no roster address, answering none of our mails, it is
 * left where it was.
 */
static int
mail_concerns(const struct cycle *c, const struct mail *m)
{
	guint i;

	if (m->candidates->len > 0 || m->refused->len > 0)
		return 1;
	if (m->sender != NULL && roster_find_address(c->sv->roster,
	    m->sender) != NULL)
		return 1;
	for (i = 0; i < m->references->len; i++)
		if (store_outbox_sent_id(c->in->store, m->references->pdata[i]))
			return 1;
	return 0;
}

/* A recreated mailbox's copy of a message already taken, by Message-ID. */
static const char *
mail_known(struct cycle *c, const struct mail *m)
{
	char *state;

	if (m->message_id == NULL || (state = store_mailbox_state_by_id(
	    c->in->store, c->url, c->f.uidvalidity, m->message_id)) == NULL)
		return NULL;
	g_free(state);
	return "duplicate";
}

/*
 * A delivery-status notification about one of our mails: the outbox row
 * is marked bounced, so status and the page show the address failing.
 */
static const char *
mail_bounce(struct cycle *c, const char *label, const struct mail *m,
    const unsigned char *data, size_t len)
{
	struct bounce *b;
	struct bounce_recipient *r;
	GString *why;
	guint i;
	int ours = 0, failed = 0;

	if (!(m->markers & MAIL_BOUNCE) ||
	    (b = bounce_read_bytes(data, len)) == NULL)
		return NULL;
	why = g_string_new(NULL);
	for (i = 0; i < b->recipients->len; i++) {
		r = b->recipients->pdata[i];
		failed |= r->permanent;
		g_string_append_printf(why, "%s%s %s: %s", i ? "; " : "",
		    r->permanent ? "bounced" : "delayed", r->address,
		    r->diagnostic ? r->diagnostic : r->status);
	}
	/* A delay notice is said, not recorded: the mail may still arrive. */
	if (b->message_id != NULL)
		ours = failed ? store_outbox_bounce(c->in->store, b->message_id,
		    why->str) : store_outbox_sent_id(c->in->store, b->message_id);
	if (ours == 1)
		log_warn("%s: our mail <%s> %s", label, b->message_id, why->str);
	g_string_free(why, TRUE);
	bounce_free(b);
	return ours == 1 ? "bounce" : NULL;
}

/* The state of a message with these bytes taken before, or NULL. */
static char *
bytes_known(struct cycle *c, const char *sha256)
{
	struct pending *p;
	guint i;

	/* The batch's own rows are not committed yet. */
	for (i = 0; i < c->pending->len; i++) {
		p = &g_array_index(c->pending, struct pending, i);
		if (strcmp(p->sha256, sha256) == 0)
			return g_strdup(p->state && strcmp(p->state,
			    "ignored") == 0 ? "ignored" : "stored");
	}
	return store_mailbox_state_of(c->in->store, c->url, sha256);
}

/* The fetched bytes of one message into the batch, or a verdict. */
static void
message_take(struct cycle *c, gint64 uid, unsigned char *data, size_t len)
{
	char sha256[ARCHIVE_SHA256_LEN], *label, *state;
	struct mail *m;
	const char *known;
	guint at;
	int rc;

	archive_sha256(data, len, sha256);
	/* The same bytes under another UID or UIDVALIDITY: taken already. */
	if ((state = bytes_known(c, sha256)) != NULL) {
		pending_add(c, uid, sha256, NULL, strcmp(state, "ignored") == 0 ?
		    "ignored" : "duplicate");
		g_free(state);
		g_free(data);
		return;
	}
	label = g_strdup_printf("%s UID %" G_GINT64_FORMAT, c->url, uid);
	rc = mailin_mail_open(c->in, label, data, len, &m);
	if (rc != EXIT_OK) {
		/* Refused whole: recorded; not archived: tried again. */
		cycle_worst(c, rc);
		pending_add(c, uid, sha256, NULL, rc == EXIT_REJECTED ?
		    "rejected" : NULL);
	} else if ((known = mail_known(c, m)) != NULL ||
	    (known = mail_bounce(c, label, m, data, len)) != NULL ||
	    !mail_concerns(c, m)) {
		pending_add(c, uid, sha256, m->message_id, known ? known :
		    "ignored");
		if (known == NULL)
			log_debug("%s: nothing for the survey: left in place",
			    label);
		mail_free(m);
	} else {
		pending_add(c, uid, sha256, m->message_id, NULL);
		at = c->pending->len - 1;
		g_array_append_val(c->slot_pending, at);
		mailin_mail_add(c->in, label, m, NULL, &c->b);
	}
	g_free(data);
	g_free(label);
}

/* -1 when the server failed: the rest of the cycle waits for the next. */
static int
message_one(struct cycle *c, gint64 uid)
{
	char err[IMAP_ERRLEN], *state;
	unsigned char *data;
	size_t len;
	int big;

	if ((state = store_mailbox_state(c->in->store, c->url,
	    c->f.uidvalidity, uid)) != NULL) {
		/* Committed before, but the mark was lost: only mark it. */
		if (strcmp(state, "ignored") != 0)
			pending_add(c, uid, NULL, NULL, strcmp(state,
			    "too-big") == 0 ? "too-big" : "stored")->recorded = 1;
		g_free(state);
		return 0;
	}
	if (uid_in(c->f.big, uid)) {
		log_err("%s UID %" G_GINT64_FORMAT ": the server says the "
		    "message is over max-message-size (%zu bytes): not fetched",
		    c->url, uid, c->in->config->max_message);
		cycle_worst(c, EXIT_REJECTED);
		pending_add(c, uid, NULL, NULL, "too-big");
		return 0;
	}
	if (imap_fetch(c->imap, c->f.uidvalidity, uid,
	    c->in->config->max_message, &data, &len, &big, err,
	    sizeof(err)) == -1) {
		log_err("%s", err);
		cycle_worst(c, big ? EXIT_REJECTED : EXIT_RUNTIME);
		if (!big)
			return -1;
		pending_add(c, uid, NULL, NULL, "too-big");
		return 0;
	}
	message_take(c, uid, data, len);
	return 0;
}

/*
 * The next batch marked \Seen in one STORE before its messages are
 * fetched: libcurl's fetch (BODY[]) sets \Seen anyway, and one change for
 * 64 messages costs the server far less than one per fetch (a Maildir
 * renames a file for each).  Those already recorded or too big are left.
 */
static void
batch_seen(struct cycle *c, guint from)
{
	GArray *next = g_array_new(FALSE, FALSE, sizeof(gint64));
	char *state;
	gint64 uid;
	guint i;

	for (i = from; i < c->f.uids->len && next->len < MAILBOX_BATCH; i++) {
		uid = g_array_index(c->f.uids, gint64, i);
		if (uid_in(c->f.big, uid))
			continue;
		if ((state = store_mailbox_state(c->in->store, c->url,
		    c->f.uidvalidity, uid)) != NULL) {
			g_free(state);
			continue;
		}
		g_array_append_val(next, uid);
	}
	flags_change(c, next, '+', "\\Seen");
	g_array_unref(next);
}

/* Mail older than the survey's lookback is some other business's. */
static gint64
cycle_since(const struct survey *sv, gint64 now)
{
	gint64 from = sv->opens ? sv->opens : now;

	return from > sv->lookback ? from - sv->lookback : 0;
}

static void
cycle_init(struct cycle *c, struct intake *in, const struct survey *sv,
    const char *password, struct mailbox_stats *stats)
{
	memset(c, 0, sizeof(*c));
	c->in = in;
	c->sv = sv;
	c->url = in->config->imap.url;
	c->imap = imap_new(&in->config->imap, password);
	imap_folder_init(&c->f);
	mailin_batch_init(&c->b);
	c->b.done = cycle_mail_done;
	c->b.done_arg = c;
	c->b.log = in->log;
	c->pending = g_array_new(FALSE, FALSE, sizeof(struct pending));
	c->slot_pending = g_array_new(FALSE, FALSE, sizeof(guint));
	c->done = g_array_new(FALSE, FALSE, sizeof(gint64));
	c->big = g_array_new(FALSE, FALSE, sizeof(gint64));
	c->unseen = g_array_new(FALSE, FALSE, sizeof(gint64));
	c->stats = stats;
	memset(stats, 0, sizeof(*stats));
}

static void
cycle_clear(struct cycle *c)
{
	pending_clear(c);
	g_array_unref(c->pending);
	g_array_unref(c->slot_pending);
	g_array_unref(c->done);
	g_array_unref(c->big);
	g_array_unref(c->unseen);
	mailin_batch_free(&c->b);
	imap_folder_clear(&c->f);
	imap_free(c->imap);
}

/* A recreated folder is said once, with what surveyd does about it. */
static void
uidvalidity_check(struct cycle *c)
{
	gint64 before = store_mailbox_uidvalidity(c->in->store, c->url);

	if (before != 0 && before != c->f.uidvalidity)
		log_warn("%s: UIDVALIDITY changed from %" G_GINT64_FORMAT
		    " to %" G_GINT64_FORMAT ": the folder was recreated; its "
		    "messages are matched by content and Message-ID, none is "
		    "taken twice", c->url, before, c->f.uidvalidity);
}

int
mailbox_poll(struct intake *in, const struct survey *sv, const char *password,
    volatile sig_atomic_t *stop, struct mailbox_stats *stats)
{
	struct cycle c;
	char err[IMAP_ERRLEN];
	guint i;

	cycle_init(&c, in, sv, password, stats);
	if (imap_folder_scan(c.imap, cycle_since(sv, in->now),
	    in->config->max_message, &c.f, err, sizeof(err)) == -1) {
		log_err("%s", err);
		cycle_worst(&c, EXIT_RUNTIME);
	} else {
		uidvalidity_check(&c);
		stats->found = c.f.uids->len;
		for (i = 0; i < c.f.uids->len && !*stop; i++) {
			if (c.pending->len == 0)
				batch_seen(&c, i);
			if (message_one(&c, g_array_index(c.f.uids, gint64,
			    i)) == -1)
				break;
			if (c.pending->len >= MAILBOX_BATCH ||
			    mailin_batch_full(&c.b))
				batch_finish(&c);
		}
		batch_finish(&c);
		log_info("%s: %u new message(s), %u taken, %u left in place",
		    c.url, stats->found, stats->taken, stats->ignored);
	}
	cycle_clear(&c);
	return c.worst;
}
