/*
 * mailin.h — the intake batch every command feeds: plain files and whole
 * messages (from `import` of an .eml or from the IMAP poll) archived,
 * taken apart, read and stored the same way, with a report line per file.
 */
#ifndef SURVEYD_MAILIN_H
#define SURVEYD_MAILIN_H

#include <stddef.h>

#include <glib.h>

#include "config.h"
#include "intake.h"
#include "mime.h"

/*
 * A batch is read across the parser children and stored in one
 * transaction after one archive sync.  It is bounded in files and in
 * bytes, so memory stays flat however many files one run takes in; a
 * mail's files all go in one batch, with the mail itself.
 */
struct mailin_batch {
	GArray		*files;		/* of struct intake_file, into what follows */
	GArray		*owners;	/* of guint: each file's slot */
	GArray		*slots;		/* of struct mailin_slot */
	GPtrArray	*labels;	/* how the report names each file */
	GPtrArray	*buffers;	/* plain files' names and bytes */
	GPtrArray	*mails;		/* the mails the other files came from */
	size_t		 bytes;
	int		 worst;		/* EXIT_OK, EXIT_REJECTED or EXIT_RUNTIME */
	int		 log;		/* report to the log (the daemon), not stdout */
	/* Told each slot's outcome when the batch is stored, when set. */
	void		(*done)(void *arg, guint slot, int rc, const char *why);
	void		*done_arg;
};

/*
 * What the caller offered, a plain file or a whole mail, and what became
 * of it: the worst exit code of its files, and why it was refused.
 */
struct mailin_slot {
	int		 rc;
	GString		*why;		/* one line per refusal */
};

void	mailin_batch_init(struct mailin_batch *);
void	mailin_batch_free(struct mailin_batch *);
/* The worse of two exit codes: runtime beats rejected beats ok. */
int	mailin_worse(int, int);
/* Folds an exit code into the batch's. */
void	mailin_worst(struct mailin_batch *, int rc);
/* Stores what the batch holds and reports each file; empties it. */
void	mailin_flush(struct intake *, const struct survey *,
	    struct mailin_batch *);
/* Flushes first when len more bytes would overfill the batch. */
void	mailin_make_room(struct intake *, const struct survey *,
	    struct mailin_batch *, size_t len);
/* 1 when the batch holds as many files or bytes as it should. */
int	mailin_batch_full(const struct mailin_batch *);
/* Flushes when the batch holds as many files as it may. */
void	mailin_flush_full(struct intake *, const struct survey *,
	    struct mailin_batch *);
/*
 * A plain file: name and data (g_malloc'ed) are taken by the batch.
 * Returns its slot, numbered from 0 after each flush.
 */
guint	mailin_file(struct intake *, const char *label, char *name,
	    unsigned char *data, size_t len, const char *respondent,
	    struct mailin_batch *);
/*
 * A message: archived whole before it is read, then every possible reply
 * in it joins the batch.  data (g_malloc'ed) is taken.
 */
void	mailin_mail(struct intake *, const char *label, unsigned char *data,
	    size_t len, const char *respondent, struct mailin_batch *);
/*
 * mailin_mail in two steps, for a caller that looks at the mail between
 * them.  Open archives and parses data: EXIT_OK with *out set,
 * EXIT_REJECTED when the message is refused whole, EXIT_RUNTIME when it
 * could not be archived (both logged).  Add reports what is refused and
 * puts the files in the batch, which takes m; it returns the mail's slot,
 * numbered from 0 after each flush like files' and passed to done().
 */
int	mailin_mail_open(struct intake *, const char *label,
	    const unsigned char *data, size_t len, struct mail **out);
guint	mailin_mail_add(struct intake *, const char *label, struct mail *m,
	    const char *respondent, struct mailin_batch *);

#endif
