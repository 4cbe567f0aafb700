/*
 * template.h — the mail texts an administrator edits: one file per kind
 * of mail in a survey's templates folder (templates/vi/, templates/en/),
 * checked whole at config load and filled in when a mail is built.
 *
 * A template file is UTF-8 (a BOM and CRLF line ends are accepted):
 *
 *	# comment lines, only at the top
 *	Subject: the subject, with {placeholders}
 *	(one blank line)
 *	the body, any number of lines, with {placeholders}
 *
 * {{ and }} stand for a literal brace.  The placeholders are a fixed set
 * (enum template_var); each kind allows only those it can be given
 * (template_kind_allows), so a template that loads always renders.
 * Values are inserted as they are, never expanded again.
 *
 *	{respondent}	the respondent's name from the roster
 *	{code}		the respondent's roster code
 *	{token}		the code printed in the respondent's form
 *	{survey_title}	the questionnaire's title
 *	{organiser}	the name of the union running the survey
 *	{deadline}	the deadline, as the caller formats it (30/06/2023)
 *	{days_left}	whole days until the deadline
 *	{filename}	the file a reply carried (acknowledgements)
 *	{received}	when the reply arrived (acknowledgements)
 *	{issues}	what to fix, one per line (ack-fix)
 *	{sender}	the unknown sender's address (ack-unmatched)
 *	{date}		the day a digest is about
 *	{accepted}	respondents with an accepted answer (digest)
 *	{pending}	respondents still to answer (digest)
 *	{total}		respondents in the roster (digest)
 */
#ifndef SURVEYD_TEMPLATE_H
#define SURVEYD_TEMPLATE_H

#include <stddef.h>

#include "problem.h"

#define TEMPLATE_MAX		(64 * 1024)	/* bytes of a template file */
#define TEMPLATE_ERRLEN		512

enum template_kind {
	TEMPLATE_FORM,			/* form.txt: the blank form attached */
	TEMPLATE_ACK_ACCEPTED,		/* ack-accepted.txt */
	TEMPLATE_ACK_FIX,		/* ack-fix.txt: issues, the form again */
	TEMPLATE_ACK_UNMATCHED,		/* ack-unmatched.txt: who are you? */
	TEMPLATE_REMINDER,		/* reminder.txt */
	TEMPLATE_REMINDER_LATE,		/* reminder-late.txt: cc the roster's cc */
	TEMPLATE_DIGEST,		/* digest.txt: to the secretary */
	TEMPLATE_KINDS
};

enum template_var {
	TEMPLATE_RESPONDENT,
	TEMPLATE_CODE,
	TEMPLATE_TOKEN,
	TEMPLATE_SURVEY_TITLE,
	TEMPLATE_ORGANISER,
	TEMPLATE_DEADLINE,
	TEMPLATE_DAYS_LEFT,
	TEMPLATE_FILENAME,
	TEMPLATE_RECEIVED,
	TEMPLATE_ISSUES,
	TEMPLATE_SENDER,
	TEMPLATE_DATE,
	TEMPLATE_ACCEPTED,
	TEMPLATE_PENDING,
	TEMPLATE_TOTAL,
	TEMPLATE_VARS
};

struct template;

/* Every kind's template of one folder; config.c keeps one per survey. */
struct template_set {
	struct template	*kind[TEMPLATE_KINDS];
};

/* "form", "ack-fix"...: the file is dir/NAME.txt. */
const char	*template_kind_name(enum template_kind);
/* "respondent", "days_left"...: what goes between the braces. */
const char	*template_var_name(enum template_var);
/* 1 when a template of kind may use the placeholder. */
int		 template_kind_allows(enum template_kind, enum template_var);
/* SURVEYD_DATADIR "/templates/" language; g_free it. */
char		*template_dir_default(const char *language);

/*
 * Reads and checks dir/NAME.txt: NULL when it is wrong, with every
 * problem added to p as "PATH:LINE: ...".
 */
struct template	*template_load(const char *dir, enum template_kind,
		    struct problems *);
void		 template_free(struct template *);
/* The file it was read from. */
const char	*template_path(const struct template *);

/* Every kind of dir; 0, or -1 when any failed (all problems in p). */
int		 template_set_load(struct template_set *, const char *dir,
		    struct problems *);
void		 template_set_clear(struct template_set *);

/*
 * Fills the template in: values[v] for each {v}, NULL standing for an
 * empty value.  *subject and *body are g_free'd by the caller; the body
 * has LF line ends.  -1 with err filled when a value would put a line
 * break into the subject (a header injection), nothing allocated then.
 */
int		 template_render(const struct template *,
		    const char *const values[TEMPLATE_VARS], char **subject,
		    char **body, char *err, size_t errlen);

#endif
