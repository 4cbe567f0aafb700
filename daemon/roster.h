/*
 * roster.h — who is asked: one CSV per survey with the header
 * code,name,region,emails and optionally cc,language,aliases.
 *
 * It is read by the same CSV reader as replies, because the secretary
 * keeps it in Excel, which saves it with ';' and in cp1258.  Nothing here
 * assumes 63 (or 34) entries.
 */
#ifndef SURVEYD_ROSTER_H
#define SURVEYD_ROSTER_H

#include <glib.h>

#include "problem.h"

struct respondent {
	char	*code;
	char	*name;
	char	*region;
	char	**emails;	/* NULL-terminated, lowercased; first gets the mail */
	char	**cc;
	char	*language;	/* "vi" or "en" */
	char	**aliases;
	char	**folded;	/* name and aliases folded (text.h), for matching */
};

struct roster {
	char			*path;
	struct respondent	*v;
	guint			 n;
};

/* NULL when the roster has errors; every problem is added to p. */
struct roster		*roster_load(const char *path, struct problems *p);
void			 roster_free(struct roster *);
const struct respondent	*roster_find(const struct roster *, const char *code);
/* The respondent one of whose addresses (emails or cc) is addr. */
const struct respondent	*roster_find_address(const struct roster *, const char *addr);

#endif
