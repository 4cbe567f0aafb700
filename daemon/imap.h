/*
 * imap.h — the IMAP mailbox over libcurl, kept thin: one handle (one
 * connection) per poll cycle, the folder selected once, messages searched,
 * fetched and flagged by UID.  Nothing here knows what a reply is.
 *
 * Custom requests only for answers that hold no message body (SEARCH,
 * STORE): libcurl keeps only a custom FETCH's first line, so a message
 * is fetched through the URL form .../FOLDER;UIDVALIDITY=v/;UID=n.
 */
#ifndef SURVEYD_IMAP_H
#define SURVEYD_IMAP_H

#include <stddef.h>

#include <glib.h>

#include "config.h"

/* The keyword that says surveyd is done with a message. */
#define IMAP_DONE_KEYWORD	"$surveyd"
#define IMAP_ERRLEN		512

struct imap;

/* A handle for one cycle; the password is copied into libcurl only. */
struct imap	*imap_new(const struct imap_config *, const char *password);
void		 imap_free(struct imap *);
/*
 * Logs in, selects the folder and finds the UIDs not yet done, received
 * on or after since (unix time; 0 for all).  -1 with err naming the url.
 */
int		 imap_search(struct imap *, gint64 since, gint64 *uidvalidity,
		    GArray *uids, char *err, size_t errlen);
/*
 * One message's bytes by UID, refused past max bytes.  -1 with err; *big
 * is 1 when the message was refused for its size.
 */
int		 imap_fetch(struct imap *, gint64 uidvalidity, gint64 uid,
		    size_t max, unsigned char **out, size_t *len, int *big,
		    char *err, size_t errlen);
/* Marks a message done: \Seen and IMAP_DONE_KEYWORD. */
int		 imap_mark_done(struct imap *, gint64 uid, char *err,
		    size_t errlen);

#endif
