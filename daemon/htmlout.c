/*
 * htmlout.c — the HTML-escaping writer every page uses.
 */
#include <string.h>

#include "htmlout.h"

void
html_raw(GString *out, const char *s)
{
	g_string_append(out, s);
}

void
html_text(GString *out, const char *s)
{
	const char *run, *ent;

	if (s == NULL)
		return;
	/* Copy runs of plain bytes at once: pages are mostly plain text. */
	for (run = s; *s != '\0'; s++) {
		switch (*s) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default: continue;
		}
		g_string_append_len(out, run, s - run);
		g_string_append(out, ent);
		run = s + 1;
	}
	g_string_append_len(out, run, s - run);
}

void
html_int(GString *out, gint64 n)
{
	g_string_append_printf(out, "%" G_GINT64_FORMAT, n);
}

void
html_url_part(GString *out, const char *s)
{
	if (s != NULL)
		g_string_append_uri_escaped(out, s, NULL, FALSE);
}

void
html_link(GString *out, const char *href, const char *text)
{
	html_raw(out, "<a href=\"");
	html_text(out, href);
	html_raw(out, "\">");
	html_text(out, text);
	html_raw(out, "</a>");
}
