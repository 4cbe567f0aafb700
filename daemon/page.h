/*
 * page.h — the secretary's pages as HTML: plain server-rendered markup
 * and CSS, no JavaScript, printable.  Each function appends one whole
 * page to a GString; the web server (web.c) decides which and sends it.
 *
 * Pages read the store inside one snapshot, so totals agree with rows
 * while intake goes on.  Every piece of data goes out through htmlout.h.
 */
#ifndef SURVEYD_PAGE_H
#define SURVEYD_PAGE_H

#include <glib.h>

#include "config.h"
#include "page_text.h"
#include "store.h"

/* What every page knows about the request it answers. */
struct page_ctx {
	const struct config	*config;
	struct store		*store;
	enum page_lang		 lang;
	const char		*path;		/* for the language switch */
	const char		*user;		/* NULL on the login page */
	const char		*csrf;		/* the session's or login's */
	int			 done;		/* an action just succeeded */
	gint64			 now;
};

void	page_login(GString *, const struct page_ctx *, int error);
void	page_surveys(GString *, const struct page_ctx *);
/* state and region filter the rows; NULL or "" shows all. */
void	page_survey(GString *, const struct page_ctx *, const struct survey *,
	    const char *state, const char *region);
void	page_respondent(GString *, const struct page_ctx *,
	    const struct survey *, const struct respondent *);
void	page_unmatched(GString *, const struct page_ctx *,
	    const struct survey *);
void	page_message(GString *, const struct page_ctx *, enum page_str);

/* The pieces the page files share. */
void	page_begin(GString *, const struct page_ctx *, const char *title);
void	page_end(GString *, const struct page_ctx *);
/* The hidden CSRF field every POST form carries. */
void	page_csrf(GString *, const struct page_ctx *);
void	page_time(GString *, gint64, GTimeZone *);
/* A coloured badge for a submission, respondent or review state. */
void	page_state(GString *, const struct page_ctx *, const char *state);
/* A submission's flags (late, mismatch...) in words, after a space. */
void	page_flags(GString *, const struct page_ctx *, const char *flags);
/* Issues as a list; a long one folded under its count. */
void	page_issues(GString *, const struct page_ctx *, const struct issues *);
/* href of a survey's page, and of a respondent's. */
void	page_href_survey(GString *, const struct survey *, const char *rest);
void	page_href_respondent(GString *, const struct survey *,
	    const char *code);

#endif
