/*
 * htmlout.h — writing HTML into a GString: every piece of text that came
 * from a respondent, a roster or a URL goes through html_text(), which
 * escapes it; only literals of the page code go in raw.
 */
#ifndef SURVEYD_HTMLOUT_H
#define SURVEYD_HTMLOUT_H

#include <glib.h>

/* Literal markup written by the page code; never data. */
void	html_raw(GString *, const char *);
/* Text or an attribute value: & < > " ' escaped; NULL writes nothing. */
void	html_text(GString *, const char *);
void	html_int(GString *, gint64);
/* A URL path segment or query value, percent-encoded (then safe in HTML). */
void	html_url_part(GString *, const char *);
/* <a href="HREF">TEXT</a> with HREF already built from html_url_part(). */
void	html_link(GString *, const char *href, const char *text);

#endif
