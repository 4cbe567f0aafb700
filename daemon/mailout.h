/*
 * mailout.h — which mails surveyd sends, to whom and when: the forms, an
 * acknowledgement of each reply, reminders on the survey's schedule
 * (remind.c decides), the daily digest to the secretary.  Each reads the
 * store and the config and queues through outbox.c; nothing here sends,
 * so `run` and the commands share one plan and one outbox.
 */
#ifndef SURVEYD_MAILOUT_H
#define SURVEYD_MAILOUT_H

#include <stdio.h>

#include "config.h"
#include "store.h"

#define MAILOUT_ACK_HORIZON	(3 * 86400)	/* replies older are not acknowledged */
#define MAILOUT_ACK_GAP		3600	/* one acknowledgement per address per hour */

/*
 * With dry_run set, nothing is queued: each function prints on out who
 * would get which mail now and why (or why not).  Each returns the
 * number of mails queued (or that would be), or -1 (logged).
 */

/* The blank personalised form, to every respondent (or only one). */
int	mailout_forms(struct store *, const struct config *,
	    const struct survey *, gint64 now, const char *only, int dry_run,
	    FILE *out);
/* The form once more to one respondent (step resend-N): 1, or -1. */
int	mailout_form_resend(struct store *, const struct config *,
	    const struct survey *, gint64 now, const char *code);
/* An acknowledgement of each reply received by mail and not yet answered. */
int	mailout_acks(struct store *, const struct config *,
	    const struct survey *, gint64 now);
/*
 * The reminders due now on the schedule; with manual, a reminder to that
 * respondent now (the secretary's "remind now"), under the same rules.
 */
int	mailout_reminders(struct store *, const struct config *,
	    const struct survey *, gint64 now, const char *manual,
	    int dry_run, FILE *out);
/* The digest to digest-to, once a day from digest-at. */
int	mailout_digest(struct store *, const struct config *,
	    const struct survey *, gint64 now);
/*
 * What `run` does each round: forms at opens (send-forms=auto), the
 * acknowledgements, the reminders and the digest.  -1 when any failed.
 */
int	mailout_due(struct store *, const struct config *,
	    const struct survey *, gint64 now);
/*
 * The soonest reminder due for the survey, for the daemon's status line;
 * 0 when none, -1 when the store failed.  With next (one per roster
 * entry), each respondent's too (0: none), for the page's table.
 */
gint64	mailout_next_reminder(struct store *, const struct survey *, gint64 now,
	    gint64 *next);

#endif
