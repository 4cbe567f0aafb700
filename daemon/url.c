/*
 * url.c — the host part of a server's URL, compared with this machine's
 * names.  Nothing is resolved: a name that only resolves to loopback is
 * not taken for it.
 */
#include <string.h>

#include <glib.h>

#include "url.h"

int
url_is_loopback(const char *url)
{
	static const char *const local[] = {
		"127.0.0.1", "localhost", "[::1]",
	};
	const char *host = strstr(url, "://");
	size_t i, len;

	if (host == NULL)
		return 0;
	host += 3;
	for (i = 0; i < G_N_ELEMENTS(local); i++) {
		len = strlen(local[i]);
		if (g_ascii_strncasecmp(host, local[i], len) == 0 &&
		    (host[len] == ':' || host[len] == '/' || host[len] == '\0'))
			return 1;
	}
	return 0;
}
