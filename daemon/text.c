/*
 * text.c — folding and whole-word matching for labels and names.
 */
#include <string.h>

#include "text.h"

/* Letters that carry no mark in Unicode and so survive decomposition. */
static gunichar
text_base_letter(gunichar c)
{
	switch (c) {
	case 0x0111:	/* đ */
	case 0x0110:	/* Đ */
		return 'd';
	default:
		return g_unichar_tolower(c);
	}
}

char *
text_fold(const char *utf8)
{
	GString *out;
	gchar *nfd;
	const gchar *p;
	gunichar c;
	int space = 0;

	out = g_string_sized_new(strlen(utf8));
	if ((nfd = g_utf8_normalize(utf8, -1, G_NORMALIZE_NFD)) == NULL)
		return g_string_free(out, FALSE);
	for (p = nfd; *p != '\0'; p = g_utf8_next_char(p)) {
		c = g_utf8_get_char(p);
		if (g_unichar_type(c) == G_UNICODE_NON_SPACING_MARK)
			continue;
		if (!g_unichar_isalnum(c)) {
			space = out->len > 0;
			continue;
		}
		if (space)
			g_string_append_c(out, ' ');
		space = 0;
		g_string_append_unichar(out, text_base_letter(c));
	}
	g_free(nfd);
	return g_string_free(out, FALSE);
}

int
text_has_phrase(const char *text, const char *phrase)
{
	size_t n = strlen(phrase);
	const char *p;

	if (n == 0)
		return 0;
	for (p = text; (p = strstr(p, phrase)) != NULL; p++)
		if ((p == text || p[-1] == ' ') &&
		    (p[n] == '\0' || p[n] == ' '))
			return 1;
	return 0;
}

static int
text_is_space(gunichar c)
{
	return g_unichar_isspace(c) || c == 0x00a0 || c == 0x2007 ||
	    c == 0x202f || c == 0xfeff;
}

char *
text_trim(const char *utf8)
{
	const char *start = utf8, *end, *p;

	while (*start != '\0' && text_is_space(g_utf8_get_char(start)))
		start = g_utf8_next_char(start);
	end = start;
	for (p = start; *p != '\0'; p = g_utf8_next_char(p))
		if (!text_is_space(g_utf8_get_char(p)))
			end = g_utf8_next_char(p);
	return g_strndup(start, (gsize)(end - start));
}

int
text_blank(const char *utf8)
{
	const char *p;

	for (p = utf8; *p != '\0'; p = g_utf8_next_char(p))
		if (!text_is_space(g_utf8_get_char(p)))
			return 0;
	return 1;
}
