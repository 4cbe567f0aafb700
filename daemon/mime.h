/*
 * mime.h — a received message taken apart with GMime: who sent it, what
 * it is about, whether it was sent by a machine, and the files in it that
 * could be a reply.
 *
 * A message is checked cheaply before GMime builds its tree (size, header
 * lines, boundary lines, nesting), so a hostile one costs a scan, not a
 * million objects.  Content decides what is a reply, never the declared
 * type; every filename is cleaned before anything could use it as a path.
 */
#ifndef SURVEYD_MIME_H
#define SURVEYD_MIME_H

#include <stddef.h>

#include <glib.h>

#define MIME_DEPTH		8		/* multipart and message/rfc822 nesting */
#define MIME_PARTS		500		/* boundary lines in one message */
#define MIME_HEADER_LINE	(64 * 1024)	/* bytes in one header field, unfolded */
#define MIME_FILENAME		200		/* bytes in a cleaned filename */
#define MIME_REFERENCES		100		/* Message-IDs kept from In-Reply-To, References */

struct mime_limits {
	size_t		message;	/* max-message-size */
	size_t		attachment;	/* max-attachment-size */
	unsigned	depth;
	unsigned	parts;
	size_t		header_line;
};

/* Markers of a message no one should answer (DESIGN: "Mail loops"). */
#define MAIL_AUTO_SUBMITTED	0x1	/* Auto-Submitted other than "no" */
#define MAIL_BULK		0x2	/* Precedence: bulk, list or junk; List-Id */
#define MAIL_BOUNCE		0x4	/* multipart/report, MAILER-DAEMON, postmaster, Return-Path <> */

/* A file found in a message. */
struct mail_part {
	char		*filename;	/* cleaned: a plain name, never a path */
	unsigned char	*data;		/* decoded bytes; NULL when refused */
	size_t		 len;
	char		*reason;	/* why it was refused, or NULL */
};

struct mail {
	char		*sender;	/* lower-case address, or NULL */
	char		*subject;	/* decoded, or NULL */
	char		*message_id;	/* without <>, or NULL */
	gint64		 date;		/* unix time, 0 when none */
	unsigned	 markers;	/* MAIL_AUTO_SUBMITTED ... */
	GPtrArray	*references;	/* of char *: In-Reply-To, References, without <> */
	GPtrArray	*candidates;	/* of struct mail_part *: possible replies */
	GPtrArray	*refused;	/* of struct mail_part *: over a limit, unreadable */
	GPtrArray	*others;	/* of char *: names of the other files */
};

/* The defaults above, with the config's two sizes. */
void		 mime_limits_init(struct mime_limits *, size_t message,
		    size_t attachment);
/*
 * 1 when the bytes are an RFC 822 message: header fields first, among
 * them From: or MIME-Version:.
 */
int		 mail_looks_like(const unsigned char *, size_t);
/* NULL with err filled when the message is refused whole. */
struct mail	*mail_parse(const unsigned char *, size_t,
		    const struct mime_limits *, char *err, size_t errlen);
void		 mail_free(struct mail *);
/*
 * A name from a message made safe: its last path component, no control
 * characters, no leading dots, NFC, at most MIME_FILENAME bytes;
 * "attachment-N" when nothing is left.  g_free it.
 */
char		*mail_filename_clean(const char *, unsigned n);

#endif
