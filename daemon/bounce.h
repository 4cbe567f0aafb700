/*
 * bounce.h — delivery-status notifications read into plain data (which of
 * our mails failed, for whom, permanently or not).  Which received mails
 * must never be answered is mime.c's concern (struct mail's markers).
 *
 * A bounce is an RFC 3464 report (a message/delivery-status part, in a
 * multipart/report or, as OpenSMTPD sends it, a multipart/mixed), or one
 * of the common plain-text notices ("Undelivered Mail Returned to
 * Sender", "Mail delivery failed", "Delivery Status Notification
 * (Failure)") whose failed addresses are read from the text.  The
 * original's Message-ID comes from its message/rfc822 or
 * text/rfc822-headers part.
 */
#ifndef SURVEYD_BOUNCE_H
#define SURVEYD_BOUNCE_H

#include <stddef.h>

#include <glib.h>
#include <gmime/gmime.h>

#define BOUNCE_STATUS_MAX	16	/* "5.1.1", RFC 3463: up to 3.3.3 digits */
#define BOUNCE_RECIPIENTS	100	/* recipients kept from one report */
#define BOUNCE_DIAGNOSTIC	512	/* bytes kept of a diagnostic */

struct bounce_recipient {
	char	*address;		/* lower case */
	char	 status[BOUNCE_STATUS_MAX];	/* "5.1.1", or "" when none */
	int	 permanent;		/* 1: failed (5.x.x); 0: delayed (4.x.x) */
	char	*diagnostic;		/* the server's words, or NULL */
};

struct bounce {
	char		*message_id;	/* the original's, without <>, or NULL */
	GPtrArray	*recipients;	/* of struct bounce_recipient * */
};

/* The report in msg, or NULL when it is no bounce. */
struct bounce	*bounce_read(GMimeMessage *msg);
/* The same from a message's bytes. */
struct bounce	*bounce_read_bytes(const unsigned char *, size_t);
void		 bounce_free(struct bounce *);

#endif
