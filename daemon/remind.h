/*
 * remind.h — who gets a reminder now, and why the others do not: the
 * reminder schedule's decisions as plain data in, plain data out.  The
 * caller reads the clock and the store and records what is decided.
 *
 * A step "-3d" is due at the first send-window minute at or after 00:00
 * of the deadline's date minus 3 days; a day in holidays= is outside the
 * window.  When several steps are due at once only the latest is sent, the
 * others are skipped.  Form and reminder mails to one respondent are 24 h
 * apart; nothing goes before the form, to an answered respondent, past
 * max-reminders, outside the window, before opens or after closes.
 *
 * A manual reminder (the remind command) has the step "manual-YYYYMMDD"
 * and obeys every rule but the steps' dates: the 24 h gap too, since the
 * respondent reads one mail either way, and it counts toward
 * max-reminders.  It supersedes the steps due at that moment.
 */
#ifndef SURVEYD_REMIND_H
#define SURVEYD_REMIND_H

#include <stddef.h>

#include <glib.h>

#include "config.h"

#define REMIND_STEP_LEN	16		/* "manual-20230612" and its NUL */
/* The least time between two mails to one respondent. */
#define REMIND_GAP	(24 * 3600)

/* What the store knows of one respondent, for one survey. */
struct remind_respondent {
	const char		*code;		/* for the caller's log lines */
	int			 answered;	/* has an accepted reply */
	gint64			 form_sent;	/* 0: not yet */
	gint64			 last_mail;	/* form or reminder, 0: none */
	int			 reminders_sent; /* sent only, not skipped */
	/* Step keys in the outbox: sent, queued or skipped. */
	const char *const	*steps_done;
	size_t			 nsteps_done;
};

/* Why a mail goes, is skipped, or nothing goes; in the order checked. */
enum remind_reason {
	REMIND_DUE,		/* send: the step is due */
	REMIND_MANUAL,		/* send: the secretary asked */
	REMIND_SUPERSEDED,	/* skip: a later or manual reminder goes */
	REMIND_ANSWERED,
	REMIND_CLOSED,
	REMIND_NOT_OPEN,
	REMIND_FORM_NOT_SENT,
	REMIND_MAX_REACHED,
	REMIND_ALREADY,		/* manual: already reminded that day */
	REMIND_NOT_DUE,		/* the next step is due later */
	REMIND_NO_STEP,		/* every step done, or no deadline */
	REMIND_HOLIDAY,
	REMIND_OUTSIDE_WINDOW,
	REMIND_TOO_SOON		/* less than REMIND_GAP since the last mail */
};

struct remind_why {
	enum remind_reason	 reason;
	char			 step[REMIND_STEP_LEN];	/* "" when none */
	gint64			 when;	/* due, last mail, opens or
					   max-reminders: by reason */
};

enum remind_what {
	REMIND_SEND,
	REMIND_SKIP
};

struct remind_action {
	size_t			 respondent;	/* index in the array given */
	enum remind_what	 what;
	int			 escalate;	/* late: cc the roster's cc */
	struct remind_why	 why;		/* why.step is the outbox key */
};

/*
 * The scheduled reminders due at now for the n respondents: appends struct
 * remind_action to actions, and when why is not NULL fills why[i] for
 * every respondent (the send's reason, or why nothing goes).  Returns the
 * number of mails to send.
 */
size_t		 remind_plan(const struct survey *, gint64 now,
		    const struct remind_respondent *, size_t n, GArray *actions,
		    struct remind_why *why);
/* The same for a manual reminder run at now. */
size_t		 remind_manual(const struct survey *, gint64 now,
		    const struct remind_respondent *, size_t n, GArray *actions,
		    struct remind_why *why);
/*
 * When the next scheduled reminder would go to each of the n respondents
 * (next[i], 0: never; next may be NULL); returns the soonest of them, 0
 * when none, for the status line.
 */
gint64		 remind_next_due(const struct survey *, gint64 now,
		    const struct remind_respondent *, size_t n, gint64 *next);
/* -3 → "-3d", 2 → "+2d". */
const char	*remind_step_key(int days, char *buf, size_t len);
/* "manual-YYYYMMDD" for the date of now in the survey's timezone. */
const char	*remind_manual_key(const struct survey *, gint64 now, char *buf,
		    size_t len);
/* One line of English for a log or a dry run: "max-reminders reached (5)". */
const char	*remind_why_format(const struct survey *,
		    const struct remind_why *, char *buf, size_t len);

#endif
