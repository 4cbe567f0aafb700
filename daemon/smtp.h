/*
 * smtp.h — the SMTP server over libcurl, kept thin: one session (one
 * easy handle, so one connection kept open) for a batch of mails, each
 * sent to its recipients with every recipient's fate reported, paced to
 * [smtp] rate-per-minute.  Nothing here knows what a mail is about.
 *
 * TLS: smtps:// is TLS from the start; smtp:// must STARTTLS, except to
 * a server on this machine (127.0.0.1, ::1, localhost), where STARTTLS is
 * used when offered and plain SMTP allowed otherwise, as for imap://.
 * Certificates are always verified ([smtp] ca-file names a private one).
 * AUTH only when [smtp] username is set.  The password goes to libcurl
 * only: errors name the url and the username, never the password.
 */
#ifndef SURVEYD_SMTP_H
#define SURVEYD_SMTP_H

#include <stddef.h>

#include "config.h"

#define SMTP_ERRLEN		512
#define SMTP_REPLY_MAX		256	/* bytes kept of a server's reply */

enum smtp_outcome {
	SMTP_SENT,		/* the server took it */
	SMTP_TEMPORARY,		/* 4xx or no connection: try again later */
	SMTP_PERMANENT,		/* 5xx: do not try again */
	SMTP_UNKNOWN,		/* dropped after the data went: the caller
				   may resend it with the same Message-ID */
};

/* What happened to one recipient (or, from smtp_send, the message). */
struct smtp_result {
	enum smtp_outcome	 outcome;
	int			 code;		/* the reply's code, 0 when none */
	char			 reply[SMTP_REPLY_MAX];	/* "550 5.1.1 ..." or "" */
};

struct smtp;

/* A session; the password is copied into libcurl only. */
struct smtp	*smtp_new(const struct smtp_config *, const char *password);
/* Says QUIT and closes the connection. */
void		 smtp_free(struct smtp *);
/*
 * Sends the message's bytes (CRLF, as message_build writes them) from
 * from_addr (a bare address) to each of rcpts (bare addresses), first
 * waiting out the pace.  results[i] says what became of rcpts[i]: one
 * refused recipient fails alone.  A server that ends the session's quota
 * ("452 4.5.3 Too many messages", OpenSMTPD after 100) is reconnected
 * and the message sent again.  Returns SMTP_SENT when at least one
 * recipient took it, else the message's outcome, with err filled.
 */
enum smtp_outcome smtp_send(struct smtp *, const char *from_addr,
		    const char *const *rcpts, size_t nrcpt,
		    const unsigned char *data, size_t len,
		    struct smtp_result *results, char *err, size_t errlen);
/* "sent", "temporary", "permanent", "unknown". */
const char	*smtp_outcome_name(enum smtp_outcome);

#endif
