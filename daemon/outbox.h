/*
 * outbox.h — outgoing mail, queued before it is sent.
 *
 * A mail is built once (template, GMime), its bytes archived and synced,
 * and only then does its row go into the outbox under its key (survey,
 * respondent, kind, step) with a Message-ID made from that key.  Sending
 * reads the bytes back and records the outcome.  So a crash before the
 * row loses nothing (the next plan queues the same mail, same
 * Message-ID), the key refuses a second copy, and the one duplicate
 * possible is a resend after the server took the data but before the
 * outcome was recorded: the same Message-ID, which receivers drop.
 */
#ifndef SURVEYD_OUTBOX_H
#define SURVEYD_OUTBOX_H

#include <signal.h>

#include "config.h"
#include "message.h"
#include "store.h"
#include "template.h"

#define OUTBOX_BATCH		100	/* due rows read at a time while sending */
#define OUTBOX_RETRY_FIRST	300	/* seconds before the first retry */
#define OUTBOX_RETRY_MAX	(6 * 3600)	/* the retries' ceiling */
#define OUTBOX_ATTEMPTS_MAX	12	/* temporary failures, then failed */
#define OUTBOX_RECIPIENTS	8	/* to, and cc, of one mail */
#define OUTBOX_MAIL_MAX		(64u * 1024 * 1024)	/* a built mail read back */

/* A mail to queue, as plain data. */
struct outbox_mail {
	const struct survey		*survey;
	const char			*respondent;	/* "" for the secretary */
	const char			*kind;		/* form ack reminder digest */
	const char			*step;
	const char			*to[OUTBOX_RECIPIENTS];
	size_t				 nto;
	const char			*cc[OUTBOX_RECIPIENTS];
	size_t				 ncc;
	enum template_kind		 template;
	const char			*values[TEMPLATE_VARS];
	const struct message_attachment	*attachment;	/* or NULL */
	const char			*in_reply_to;	/* or NULL */
};

struct outbox_stats {
	guint	sent;
	guint	retry;		/* temporary failure or unknown outcome */
	guint	failed;
};

/*
 * Queues n mails with one archive sync and one transaction: the number
 * newly queued (a mail already there is not), or -1 (logged).  A mail
 * that cannot be built is logged and left out.
 */
int	outbox_queue(struct store *, const struct config *, gint64 now,
	    const struct outbox_mail *, size_t n);
/* Records a step that is not sent (a reminder superseded by a later one). */
int	outbox_skip(struct store *, const struct config *, gint64 now,
	    const char *survey, const char *respondent, const char *kind,
	    const char *step, const char *why);
/*
 * Sends the queued mails whose time has come over one SMTP session, each
 * outcome recorded as it comes.  Stops between mails once *stop is set.
 * EXIT_OK, or EXIT_RUNTIME when a mail could not be sent or recorded.
 */
int	outbox_deliver(struct store *, const struct config *, gint64 now,
	    volatile sig_atomic_t *stop, struct outbox_stats *);

#endif
