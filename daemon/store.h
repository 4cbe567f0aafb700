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

/* An outbox row, as the respondent's page lists it. */
struct mail_row {
	char	*kind;
	char	*step;
	char	*state;
	char	*message_id;
	char	*error;		/* or NULL */
	gint64	 attempts;
	gint64	 created;
	gint64	 sent;		/* 0 when not sent */
};

/* The outbox rows of a respondent, oldest first (struct mail_row *). */
GPtrArray	*store_respondent_mails(struct store *, const char *survey,
		    const char *code);
/* Its outgoing mails that failed or bounced. */
gint64		 store_respondent_mail_problems(struct store *,
		    const char *survey, const char *code);
/* The archived raw message a submission came in, or NULL; g_free it. */
char		*store_submission_mail_path(struct store *, gint64 submission);

#endif
