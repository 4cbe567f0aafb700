/*
 * issue.h — what is wrong with a reply, in plain words, naming the field
 * and the cell.
 *
 * An issue's message is written in the survey's language when it is found,
 * because it goes straight to the secretary (status, the workbook) and to
 * the respondent (the acknowledgement asking for a fix).  The code says
 * what kind of problem it is, so the state follows from the list.
 */
#ifndef SURVEYD_ISSUE_H
#define SURVEYD_ISSUE_H

#include <glib.h>

enum issue_code {
	ISSUE_REQUIRED,		/* required field empty */
	ISSUE_NOT_NUMBER,
	ISSUE_NOT_WHOLE,
	ISSUE_AMBIGUOUS,
	ISSUE_NOT_DATE,
	ISSUE_CONSTRAINT,
	ISSUE_CHOICE,
	ISSUE_ERROR_VALUE,	/* #REF! and friends */
	ISSUE_NO_VALUE,		/* a formula never calculated */
	ISSUE_UNKNOWN_FIELD,	/* the reply has a field the definition lacks */
	ISSUE_MISSING_FIELD,	/* the definition has a field the reply lacks */
	ISSUE_MISSING_REQUIRED,	/* ... and it is a required one */
	ISSUE_VERSION,		/* made with another version of the form */
	ISSUE_NOT_A_FORM,	/* the file could not be read as a reply */
	ISSUE_UNMATCHED,	/* nobody in the roster sent it */
	ISSUE_CODE_COUNT
};

/* What an issue does to the state of the submission. */
enum issue_weight {
	ISSUE_WARNING,		/* said, but the reply stays accepted */
	ISSUE_INCOMPLETE,
	ISSUE_INVALID,
	ISSUE_REJECTED,
};

struct issue {
	enum issue_code	 code;
	char		*field;		/* field name, or NULL */
	char		*cell;		/* "E7", "'Phiếu'!E7", or NULL */
	char		*message;
};

struct issues {
	GPtrArray	*v;		/* of struct issue * */
};

void			 issues_init(struct issues *);
void			 issues_clear(struct issues *);
/*
 * Adds an issue; the message is the catalogue's text for code in lang
 * ("vi" or "en"), formatted with the arguments that code takes.
 */
void			 issues_add(struct issues *, const char *lang,
			    enum issue_code, const char *field, const char *cell, ...);
/* Adds an issue with a ready message (read back from the store). */
void			 issues_add_raw(struct issues *, enum issue_code,
			    const char *field, const char *cell, const char *message);
enum issue_weight	 issue_code_weight(enum issue_code);
const char		*issue_code_name(enum issue_code);
enum issue_code		 issue_code_parse(const char *);

#endif
