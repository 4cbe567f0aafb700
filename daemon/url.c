/*
 * url.c — the host part of a server's URL, compared with this machine's
 * names, and the connection settings IMAP and SMTP share.  Nothing is
 * resolved: a name that only resolves to loopback is not taken for it.
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

void
url_connection_set(CURL *curl, const char *url, const char *ca_file,
    long timeout, char *errbuf)
{
	if (ca_file != NULL)
		curl_easy_setopt(curl, CURLOPT_CAINFO, ca_file);
	/*
	 * Plain text must not carry a password across a network; to a server
	 * on this machine STARTTLS is used when offered.  Certificates are
	 * verified either way.
	 */
	curl_easy_setopt(curl, CURLOPT_USE_SSL, url_is_loopback(url) ?
	    (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
	/*
	 * The greeting and each reply wait at most timeout (libcurl's own
	 * default is two minutes); a transfer under a byte a second for as
	 * long is a dead connection.
	 */
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, timeout);
	curl_easy_setopt(curl, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(curl, CURLOPT_LOW_SPEED_TIME, timeout);
	/* The daemon has its own signal handlers; libcurl must not use SIGALRM. */
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
}
