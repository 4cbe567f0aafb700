/*
 * mailbox.h — one poll cycle of the union's mailbox: the messages not yet
 * done are fetched, taken in a batch at a time through the same intake as
 * an imported .eml, recorded in the store, and only then marked done (or
 * moved) on the server, so a crash between the two takes nothing twice.
 */
#ifndef SURVEYD_MAILBOX_H
#define SURVEYD_MAILBOX_H

#include <signal.h>

#include "intake.h"

/* Messages fetched before their batch is stored and marked. */
#define MAILBOX_BATCH	64

struct mailbox_stats {
	guint	found;		/* not yet done when the cycle began */
	guint	taken;		/* stored or rejected, and marked */
	guint	ignored;	/* nothing for the survey: left in place */
};

/*
 * One cycle for survey sv with the [imap] config and its password.  Stops
 * between messages once *stop is set.  Returns EXIT_OK, EXIT_REJECTED
 * (some message refused) or EXIT_RUNTIME (the server or the store
 * failed: what was not recorded is tried again next cycle).
 */
int	mailbox_poll(struct intake *, const struct survey *sv,
	    const char *password, volatile sig_atomic_t *stop,
	    struct mailbox_stats *);

#endif
