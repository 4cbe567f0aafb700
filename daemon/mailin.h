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

/*
 * A batch is read across the parser children and stored in one
 * transaction after one archive sync.  It is bounded in files and in
 * bytes, so memory stays flat however many files one run takes in; a
 * mail's files all go in one batch, with the mail itself.
 */
struct mailin_batch {
	GArray		*files;		/* of struct intake_file, into what follows */
	GPtrArray	*labels;	/* how the report names each file */
	GPtrArray	*buffers;	/* plain files' names and bytes */
	GPtrArray	*mails;		/* the mails the other files came from */
	size_t		 bytes;
	int		 worst;		/* EXIT_OK, EXIT_REJECTED or EXIT_RUNTIME */
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
/* Flushes when the batch holds as many files as it may. */
void	mailin_flush_full(struct intake *, const struct survey *,
	    struct mailin_batch *);
/* A plain file: name and data (g_malloc'ed) are taken by the batch. */
void	mailin_file(struct intake *, const char *label, char *name,
	    unsigned char *data, size_t len, const char *respondent,
	    struct mailin_batch *);
/*
 * A message: archived whole before it is read, then every possible reply
 * in it joins the batch.  data (g_malloc'ed) is taken.
 */
void	mailin_mail(struct intake *, const char *label, unsigned char *data,
	    size_t len, const char *respondent, struct mailin_batch *);

#endif
