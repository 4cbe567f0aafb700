/*
 * store.h — the SQLite database: respondents and their tokens, every
 * submission with its answers and issues, the raw files, the outbox, and
 * an event log.
 *
 * WAL mode, busy_timeout, BEGIN IMMEDIATE for every write: the daemon and
 * a command may write at once.  Idempotency comes from UNIQUE constraints
 * (the same file twice is one submission), never from check-then-insert.
 */
#ifndef SURVEYD_STORE_H
#define SURVEYD_STORE_H

#include <glib.h>

#include "issue.h"
#include "roster.h"

#define STORE_BUSY_TIMEOUT_MS	10000

struct store;

struct answer {
	char	*field;
	char	*value;		/* canonical text: "52", "2023-05-01", "a b" */
	char	*cell;
};

/* A submission, as intake makes it and the store keeps it. */
struct submission {
	gint64		 id;
	char		*survey;
	char		*sha256;	/* of the file */
	gint64		 size;
	char		*rawpath;	/* where the archive keeps it */
	char		*respondent;	/* roster code, NULL when unmatched */
	char		*state;		/* accepted incomplete invalid unmatched not-a-form */
	char		*source;	/* "file" or "mail" */
	char		*filename;
	char		*sender;
	char		*subject;
	char		*message_id;
	gint64		 received;
	char		*form_id;
	char		*form_version;
	char		*identified_by;	/* option token sender subject form */
	char		*flags;		/* space-separated: late mismatch ... */
	unsigned	 markers;	/* its mail's MAIL_AUTO_SUBMITTED ...: no reply */
	GPtrArray	*answers;	/* of struct answer * */
	struct issues	 issues;
};

struct submission	*submission_new(void);
void			 submission_free(struct submission *);
void			 submission_answer_add(struct submission *,
			    const char *field, const char *value, const char *cell);
void			 submission_flag_add(struct submission *, const char *);

struct store	*store_open(const char *path, char *err, size_t errlen);
void		 store_close(struct store *);
const char	*store_error(const struct store *);

int		 store_begin(struct store *);	/* BEGIN IMMEDIATE */
/*
 * A read snapshot (WAL): consistent reads that never hold writers up.
 * End it with store_rollback().
 */
int		 store_snapshot_begin(struct store *);
int		 store_commit(struct store *);
void		 store_rollback(struct store *);

/* Adds new roster entries with a fresh token; keeps existing tokens. */
int		 store_respondents_sync(struct store *, const char *survey,
		    const struct roster *);
/* The respondent code a token belongs to, or NULL; g_free it. */
char		*store_token_respondent(struct store *, const char *survey,
		    const char *token);
char		*store_respondent_token(struct store *, const char *survey,
		    const char *code);

int		 store_raw_add(struct store *, const char *sha256, gint64 size,
		    const char *path, gint64 now);
/*
 * Inserts a submission with its answers and issues; inside a transaction.
 * *duplicate is 1 (and *id the existing one) when the survey already has
 * this file.
 */
int		 store_submission_add(struct store *, struct submission *,
		    int *duplicate);
/* Replaces state, respondent, flags, answers and issues of a submission. */
int		 store_submission_update(struct store *, const struct submission *);
/* Loads one submission with its answers and issues; NULL when none. */
struct submission *store_submission_load(struct store *, gint64 id);
/* Ids of a survey's submissions, oldest first. */
GArray		*store_submission_ids(struct store *, const char *survey);
/* The raw file path archived for a sha256; g_free it. */
char		*store_raw_path(struct store *, const char *sha256);

/* A message taken from a mailbox, and what became of it. */
struct mailbox_message {
	const char	*mailbox;	/* the [imap] url */
	gint64		 uidvalidity;
	gint64		 uid;
	const char	*message_id;	/* or NULL */
	const char	*sha256;	/* of the raw message */
	const char	*state;		/* stored, rejected, ignored, too-big */
	gint64		 time;
};

/* The state recorded for (uidvalidity, uid), or NULL; g_free it. */
char		*store_mailbox_state(struct store *, const char *mailbox,
		    gint64 uidvalidity, gint64 uid);
/*
 * The state of a message with these bytes under any UIDVALIDITY, or
 * NULL: a recreated mailbox does not bring old mail in twice.
 */
char		*store_mailbox_state_of(struct store *, const char *mailbox,
		    const char *sha256);
/* The UIDVALIDITY the mailbox had when last polled; 0 when never. */
gint64		 store_mailbox_uidvalidity(struct store *, const char *mailbox);
/*
 * The state of a message with this Message-ID taken under another
 * UIDVALIDITY, or NULL: after a recreated mailbox, the same mail
 * re-encoded by the server is still known.  g_free it.
 */
char		*store_mailbox_state_by_id(struct store *, const char *mailbox,
		    gint64 uidvalidity, const char *message_id);
/*
 * A mail in the outbox (DESIGN: "Outgoing mail").  Its bytes are built
 * once, kept in the archive under sha256, and sent from there, so a
 * retry after a crash sends the very same mail.
 */
struct outbox_row {
	gint64		 id;
	const char	*survey;
	const char	*respondent;	/* roster code; "" for the secretary */
	const char	*kind;		/* form, ack, reminder, digest */
	const char	*step;		/* 0, resend-N, submission id, -3d, date */
	const char	*message_id;	/* without <> */
	const char	*state;		/* queued, sent, failed, skipped, bounced */
	const char	*recipients;	/* "a@x, b@y", lower case */
	const char	*sha256;	/* the built mail; NULL when skipped */
	const char	*error;		/* the last failure or why skipped */
	gint64		 created;
	gint64		 sent;		/* 0 until sent */
	gint64		 next_attempt;
	int		 attempts;
};

/* A row read by the functions below; frees its strings too. */
void		 outbox_row_free(struct outbox_row *);
/* Queues a mail: 1 added, 0 when its key was there already, -1 failed. */
int		 store_outbox_add(struct store *, const struct outbox_row *);
/* 1 when the key (survey, respondent, kind, step) is in the outbox. */
int		 store_outbox_exists(struct store *, const char *survey,
		    const char *respondent, const char *kind, const char *step);
/* Replies by mail received since, with no acknowledgement row yet. */
GArray		*store_ack_pending(struct store *, const char *survey,
		    gint64 since);
/* 1 when some queued mail's time has come (or the store cannot say). */
int		 store_outbox_any_due(struct store *, gint64 now);
/* Queued mails whose time has come, oldest first. */
GPtrArray	*store_outbox_due(struct store *, gint64 now, int limit);
/* A survey's mails of one kind (all kinds when NULL), oldest first. */
GPtrArray	*store_outbox_list(struct store *, const char *survey,
		    const char *kind);
/* What a send attempt came to: state sent, queued (retry) or failed. */
int		 store_outbox_result(struct store *, gint64 id, const char *state,
		    gint64 sent, gint64 next_attempt, const char *error);
/* A bounce for our mail message_id: 1 when it was one of ours. */
int		 store_outbox_bounce(struct store *, const char *message_id,
		    const char *why);
/* When a mail of kind last went to address (its only recipient); 0 never. */
gint64		 store_outbox_last_to(struct store *, const char *kind,
		    const char *address);
/* 1 when message_id (without <>) is one of the outbox's mails. */
int		 store_outbox_sent_id(struct store *, const char *message_id);
/* Records (or updates) a message's row; inside a transaction. */
int		 store_mailbox_message_add(struct store *,
		    const struct mailbox_message *);

int		 store_event_add(struct store *, gint64 now, const char *survey,
		    const char *respondent, gint64 submission, const char *kind,
		    const char *actor, const char *detail);

/* Per-respondent figures for status. */
struct respondent_status {
	char		*state;		/* of the latest submission, or "pending" */
	gint64		 answer;	/* latest accepted submission, 0 if none */
	gint64		 latest;	/* latest submission, 0 if none */
	gint64		 submissions;
	gint64		 reminders_sent;
	gint64		 first_reply;	/* 0 if none */
	gint64		 last_reply;	/* 0 if none */
	char		*flags;
};

int		 store_respondent_status(struct store *, const char *survey,
		    const char *code, struct respondent_status *);
void		 respondent_status_clear(struct respondent_status *);
/* Ids of unattributed submissions (unmatched, not-a-form), newest first. */
GArray		*store_unmatched_ids(struct store *, const char *survey);

/* A consistent copy of the database (VACUUM INTO). */
int		 store_backup(struct store *, const char *path);

/* --- web page: reviews, a respondent's mail, mail problems ------------- */

/* Review states, as ODK Central names them; none recorded is "received". */
#define STORE_REVIEW_RECEIVED	"received"
#define STORE_REVIEW_APPROVED	"approved"
#define STORE_REVIEW_REJECTED	"rejected"

struct review {
	char	*state;
	char	*note;		/* or NULL */
	char	*actor;		/* or NULL when never reviewed */
	gint64	 time;
};

/* Records (or replaces) the review of a submission; inside a transaction. */
int		 store_review_set(struct store *, gint64 submission,
		    const char *state, const char *note, const char *actor,
		    gint64 now);
int		 store_review_get(struct store *, gint64 submission,
		    struct review *);
void		 review_clear(struct review *);

/* The outbox rows of a respondent, oldest first; NULL on error. */
GPtrArray	*store_respondent_mails(struct store *, const char *survey,
		    const char *code);
/* A respondent's row in the survey's table. */
struct survey_status_row {
	struct respondent_status st;	/* state and flags NULL: pending */
	gint64		 mail_problems;	/* outgoing mail failed or bounced */
	struct issues	 issues;	/* of the latest submission */
};

/*
 * The figures of store_respondent_status() for every respondent with a
 * submission or a mail, in a few statements instead of several per
 * respondent: roster code → struct survey_status_row.  NULL on error.
 */
GHashTable	*store_survey_status(struct store *, const char *survey);
/* How many respondents have an accepted submission. */
gint64		 store_survey_answered(struct store *, const char *survey);
/* Ids of a respondent's submissions, newest first. */
GArray		*store_respondent_submission_ids(struct store *,
		    const char *survey, const char *code);
/* Appends a submission's issues, without its answers. */
int		 store_submission_issues(struct store *, gint64 submission,
		    struct issues *);
/* The archived raw message a submission came in, or NULL; g_free it. */
char		*store_submission_mail_path(struct store *, gint64 submission);

#endif
