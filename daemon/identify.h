/*
 * identify.h — who sent a reply, in DESIGN's order: --respondent → the
 * token in `_surveyd` → the sender's address in the roster → a [CODE] or
 * name in the subject → the name in the form → nobody (unmatched).
 *
 * The first that answers wins; any other that names someone else raises
 * the mismatch flag (provincial staff often answer from a personal address,
 * so a token of A from an address of B is accepted, and flagged).
 */
#ifndef SURVEYD_IDENTIFY_H
#define SURVEYD_IDENTIFY_H

#include <glib.h>

#include "roster.h"

struct identify_input {
	const char	*override;	/* --respondent, or an assignment */
	const char	*token_code;	/* the code the form's token belongs to */
	const char	*sender;	/* an address */
	const char	*subject;
	const char	*form_code;	/* the code `_surveyd` names */
	GPtrArray	*form_texts;	/* text near the top of the form */
};

struct identify_result {
	const struct respondent	*respondent;	/* NULL: unmatched */
	const char		*method;	/* option token sender subject form */
	int			 mismatch;
};

void	identify_respondent(const struct roster *, const char *organiser,
	    const struct identify_input *, struct identify_result *);

#endif
