/*
 * json.c — JSON string escaping.
 */
#include "json.h"

void
json_string(GString *out, const char *s)
{
	const unsigned char *p;

	if (s == NULL) {
		g_string_append(out, "null");
		return;
	}
	g_string_append_c(out, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':  g_string_append(out, "\\\""); break;
		case '\\': g_string_append(out, "\\\\"); break;
		case '\n': g_string_append(out, "\\n"); break;
		case '\r': g_string_append(out, "\\r"); break;
		case '\t': g_string_append(out, "\\t"); break;
		default:
			if (*p < 0x20)
				g_string_append_printf(out, "\\u%04x", *p);
			else
				g_string_append_c(out, (char)*p);
		}
	}
	g_string_append_c(out, '"');
}

void
json_key(GString *out, int *first, const char *key)
{
	if (!*first)
		g_string_append_c(out, ',');
	*first = 0;
	json_string(out, key);
	g_string_append_c(out, ':');
}
