/*
 * intake.h — the pipeline every reply goes through, whether it came by
 * mail, from the spool or from `surveyd import`: archive the bytes, read
 * them in the parser child, find the fields, identify the respondent,
 * validate, store.  Nothing a respondent sent is lost: a file that cannot
 * be read is still archived and recorded as not-a-form with the reason.
 */
#ifndef SURVEYD_INTAKE_H
#define SURVEYD_INTAKE_H

#include <glib.h>

#include "config.h"
#include "sandbox.h"
#include "store.h"

struct intake {
	const struct config	*config;
	struct store		*store;
	struct sandbox		*sandbox;
	gint64			 now;
	GPtrArray		*messages;	/* archived, for the next commit */
	int			 log;		/* the daemon's: report to the log */
};

/* One file offered for intake, and what is known about how it came. */
struct intake_file {
	const char		*filename;
	const unsigned char	*data;
	size_t			 len;
	const char		*source;	/* "file" or "mail" */
	const char		*sender;
	const char		*subject;
	const char		*message_id;
	unsigned		 markers;	/* MAIL_AUTO_SUBMITTED ...: no reply */
	const char		*respondent;	/* --respondent, or NULL */
	gint64			 received;
};

enum intake_result {
	INTAKE_STORED,		/* attributed: accepted, incomplete or invalid */
	INTAKE_DUPLICATE,	/* this survey already has these bytes */
	INTAKE_REJECTED,	/* stored as unmatched or not-a-form */
	INTAKE_FAILED,		/* nothing stored: the store or disk failed */
};

void			intake_init(struct intake *, const struct config *,
			    struct store *, gint64 now);
void			intake_clear(struct intake *);
/*
 * Archives a whole message before anything is read from it; the next
 * intake_commit records it in the same transaction as its files.  -1
 * (logged) when it could not be archived.
 */
int			 intake_message_archive(struct intake *, const char *name,
			    const unsigned char *, size_t);
/*
 * Archives files and works out their submissions, without storing them
 * yet, reading the files across the parser children while the answers of
 * those already read are checked.  subs[i] (caller frees) is NULL where
 * file i could not be archived (logged).
 */
void			 intake_files_prepare(struct intake *, const struct survey *,
			    const struct intake_file *, size_t n,
			    struct submission **subs);
/*
 * Stores prepared submissions in one transaction, after one sync of the
 * archive: a batch of files costs one fsync, not one each.  Fills
 * results[i] for subs[i]; the messages archived since the last commit
 * are recorded with them.  -1 when the store failed (all INTAKE_FAILED).
 */
int			 intake_commit(struct intake *, GPtrArray *subs,
			    enum intake_result *results);
/*
 * Reads a stored submission's file again and re-derives everything from
 * it against the current definition and roster; respondent, when not
 * NULL, is an assignment that beats every other clue.
 */
int			intake_submission_redo(struct intake *,
			    const struct survey *, struct submission *,
			    const char *respondent);

#endif
