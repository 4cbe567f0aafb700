/*
 * message.h — an outgoing mail built with GMime from plain data: the
 * headers DESIGN asks of every mail surveyd sends (a given Date and
 * Message-ID, Auto-Submitted: auto-generated), a UTF-8 text body and at
 * most one attachment, written as CRLF bytes ready for SMTP's DATA.
 *
 * Nothing here reads the clock or the network: the same data gives the
 * same bytes, so a mail resent after a crash is the same mail.
 */
#ifndef SURVEYD_MESSAGE_H
#define SURVEYD_MESSAGE_H

#include <stddef.h>

#include <glib.h>

#define MESSAGE_ERRLEN		256
#define MESSAGE_ID_HEX		32	/* hex digits of a made Message-ID */
#define MESSAGE_TYPE_XLSX \
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

struct message_attachment {
	const char		*filename;	/* UTF-8; RFC 2231 encoded */
	const unsigned char	*data;
	size_t			 len;
};

/* Addresses are "Name <addr>" or "addr"; ids are without <>. */
struct message_spec {
	const char			*from;
	const char *const		*to;		/* at least one */
	size_t				 nto;
	const char *const		*cc;		/* or NULL */
	size_t				 ncc;
	const char			*reply_to;	/* or NULL */
	const char			*subject;	/* UTF-8; RFC 2047 encoded */
	const char			*body;		/* UTF-8, LF or CRLF */
	gint64				 date;		/* unix time */
	const char			*message_id;
	const char			*in_reply_to;	/* or NULL */
	const char			*references;	/* or NULL: in_reply_to */
	const struct message_attachment	*attachment;	/* or NULL */
};

/*
 * The message's bytes (g_free them), CRLF line ends, body quoted-printable,
 * attachment base64, its type from the name's extension (.xlsx, .xls,
 * .ods, else application/octet-stream).  -1 with err filled when an
 * address is not one mailbox or a field holds a line break.
 */
int	 message_build(const struct message_spec *, unsigned char **out,
	    size_t *len, char *err, size_t errlen);
/*
 * The address of a single mailbox ("Name <a@b>" or "a@b"), as given; NULL
 * when the text is not exactly one mailbox with an @.  g_free it.
 */
char	*message_address(const char *mailbox);
/* The domain of a mailbox's address, or NULL as above.  g_free it. */
char	*message_address_domain(const char *mailbox);
/*
 * The stable Message-ID of the outbox key (survey, respondent, kind,
 * step): "surveyd.HEX@domain", HEX the first MESSAGE_ID_HEX digits of a
 * SHA-256 over the key, without <>.  domain is message_address_domain()
 * of [smtp] from.  g_free it.
 */
char	*message_id_make(const char *survey, const char *respondent,
	    const char *kind, const char *step, const char *domain);

#endif
