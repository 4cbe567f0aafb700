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
/* What a cycle finds in the folder; every array holds gint64 UIDs. */
struct imap_folder {
	gint64	 uidvalidity;
	GArray	*uids;		/* not yet done, received since the cut */
	GArray	*big;		/* of those, RFC822.SIZE over the limit */
	GArray	*unseen;	/* of those, not \Seen before we fetched */
};

void		 imap_folder_init(struct imap_folder *);
void		 imap_folder_clear(struct imap_folder *);
/*
 * Logs in, selects the folder and finds the UIDs not yet done, received
 * on or after since (unix time; 0 for all), and which of them are over
 * max bytes or unread, without fetching any.  -1 with err naming the url.
 */
int		 imap_folder_scan(struct imap *, gint64 since, size_t max,
		    struct imap_folder *, char *err, size_t errlen);
/*
 * One message's bytes by UID, refused past max bytes.  -1 with err; *big
 * is 1 when the message was refused for its size.
 */
int		 imap_fetch(struct imap *, gint64 uidvalidity, gint64 uid,
		    size_t max, unsigned char **out, size_t *len, int *big,
		    char *err, size_t errlen);
/*
 * Adds (sign '+') or removes ('-') flags on every UID of uids in as few
 * commands as their ranges allow: "\\Seen " IMAP_DONE_KEYWORD marks done.
 */
int		 imap_flags_change(struct imap *, const GArray *uids, char sign,
		    const char *flags, char *err, size_t errlen);
/*
 * Moves the messages to folder, creating it when missing: MOVE where the
 * server offers it, else COPY, \Deleted and an expunge of those UIDs only.
 */
int		 imap_move(struct imap *, const GArray *uids, const char *folder,
		    char *err, size_t errlen);

#endif
