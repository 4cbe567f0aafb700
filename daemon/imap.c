/*
 * imap.c — the libcurl edge of the mailbox: requests, their answers
 * captured from libcurl's callbacks, and errors that name the server but
 * never the password.
 */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "imap.h"

#define IMAP_CONNECT_TIMEOUT	30	/* seconds */
#define IMAP_LOW_SPEED_TIME	60	/* seconds under 1 byte/s: dropped */
#define IMAP_ANSWER_MAX		(16u * 1024 * 1024)	/* a SEARCH's UIDs */

struct imap {
	CURL		*curl;
	char		*url;		/* imap[s]://host[:port]/FOLDER */
	char		*username;
	GByteArray	*body;		/* what the request wrote */
	GString		*lines;		/* the server's response lines */
	size_t		 max;		/* body bound of this request */
	int		 big;		/* the bound was passed */
	char		 curlerr[CURL_ERROR_SIZE];
};

static size_t
body_write(char *p, size_t size, size_t n, void *arg)
{
	struct imap *im = arg;
	size_t len = size * n;

	/* Returning short makes libcurl stop: the rest is never read. */
	if (im->body->len + len > im->max) {
		im->big = 1;
		return 0;
	}
	g_byte_array_append(im->body, (const guint8 *)p, (guint)len);
	return len;
}

static size_t
lines_write(char *p, size_t size, size_t n, void *arg)
{
	struct imap *im = arg;
	size_t len = size * n;

	if (im->lines->len + len <= IMAP_ANSWER_MAX)
		g_string_append_len(im->lines, p, (gssize)len);
	return len;
}

/*
 * Plain imap:// is allowed to a server on this machine only; anywhere
 * else STARTTLS is required, so the password never crosses a network in
 * clear.
 */
static int
url_is_loopback(const char *url)
{
	static const char *const local[] = {
		"imap://127.0.0.1", "imap://localhost", "imap://[::1]",
	};
	size_t i, len;

	for (i = 0; i < G_N_ELEMENTS(local); i++) {
		len = strlen(local[i]);
		if (strncmp(url, local[i], len) == 0 &&
		    (url[len] == ':' || url[len] == '/' || url[len] == '\0'))
			return 1;
	}
	return 0;
}

struct imap *
imap_new(const struct imap_config *c, const char *password)
{
	struct imap *im = g_new0(struct imap, 1);

	curl_global_init(CURL_GLOBAL_DEFAULT);
	im->curl = curl_easy_init();
	im->url = g_strdup(c->url);
	im->username = g_strdup(c->username ? c->username : "");
	/* The folder's name ends the url; a trailing slash would add a level. */
	while (g_str_has_suffix(im->url, "/"))
		im->url[strlen(im->url) - 1] = '\0';
	im->body = g_byte_array_new();
	im->lines = g_string_new(NULL);
	if (im->curl == NULL)
		return im;
	curl_easy_setopt(im->curl, CURLOPT_USERNAME, im->username);
	curl_easy_setopt(im->curl, CURLOPT_PASSWORD, password);
	curl_easy_setopt(im->curl, CURLOPT_USE_SSL, url_is_loopback(im->url) ?
	    (long)CURLUSESSL_NONE : (long)CURLUSESSL_ALL);
	curl_easy_setopt(im->curl, CURLOPT_CONNECTTIMEOUT,
	    (long)IMAP_CONNECT_TIMEOUT);
	curl_easy_setopt(im->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(im->curl, CURLOPT_LOW_SPEED_TIME,
	    (long)IMAP_LOW_SPEED_TIME);
	curl_easy_setopt(im->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(im->curl, CURLOPT_ERRORBUFFER, im->curlerr);
	curl_easy_setopt(im->curl, CURLOPT_WRITEFUNCTION, body_write);
	curl_easy_setopt(im->curl, CURLOPT_WRITEDATA, im);
	curl_easy_setopt(im->curl, CURLOPT_HEADERFUNCTION, lines_write);
	curl_easy_setopt(im->curl, CURLOPT_HEADERDATA, im);
	return im;
}

void
imap_free(struct imap *im)
{
	if (im == NULL)
		return;
	if (im->curl != NULL)
		curl_easy_cleanup(im->curl);
	curl_global_cleanup();
	g_free(im->url);
	g_free(im->username);
	g_byte_array_unref(im->body);
	g_string_free(im->lines, TRUE);
	g_free(im);
}

/*
 * One request on the cycle's connection.  libcurl logs in and selects
 * the url's folder on the first; command is NULL for a fetch by url.
 */
static int
imap_perform(struct imap *im, const char *url, const char *command,
    size_t max, char *err, size_t errlen)
{
	CURLcode rc;

	if (im->curl == NULL) {
		snprintf(err, errlen, "%s: cannot start libcurl", im->url);
		return -1;
	}
	g_byte_array_set_size(im->body, 0);
	g_string_truncate(im->lines, 0);
	im->max = max;
	im->big = 0;
	im->curlerr[0] = '\0';
	curl_easy_setopt(im->curl, CURLOPT_URL, url);
	curl_easy_setopt(im->curl, CURLOPT_CUSTOMREQUEST, command);
	if ((rc = curl_easy_perform(im->curl)) == CURLE_OK)
		return 0;
	/* libcurl's message names the server's answer, never the password. */
	snprintf(err, errlen, "%s: %s%s%s", im->url, curl_easy_strerror(rc),
	    im->curlerr[0] ? ": " : "", im->curlerr);
	g_strchomp(err);
	/* Say which account, so the admin knows which file to check. */
	if (rc == CURLE_LOGIN_DENIED)
		snprintf(err + strlen(err), errlen - strlen(err), " as '%s': "
		    "check [imap] username and password-file", im->username);
	return -1;
}

/* "* OK [UIDVALIDITY n]" from the SELECT libcurl sent first. */
static int
uidvalidity_parse(const char *lines, gint64 *out)
{
	const char *p = strstr(lines, "[UIDVALIDITY ");
	char *end;

	if (p == NULL)
		return -1;
	p += strlen("[UIDVALIDITY ");
	*out = g_ascii_strtoll(p, &end, 10);
	return end != p && *end == ']' && *out > 0 ? 0 : -1;
}

/* "* SEARCH 3 7 12", possibly over several answer lines. */
static void
search_parse(const GByteArray *body, GArray *uids)
{
	char *text = g_strndup((const char *)body->data, body->len);
	char **lines = g_strsplit(text, "\n", -1), **l, *p, *end;
	gint64 uid;

	for (l = lines; *l != NULL; l++) {
		if (!g_str_has_prefix(*l, "* SEARCH"))
			continue;
		for (p = *l + strlen("* SEARCH"); *p != '\0'; p = end) {
			uid = g_ascii_strtoll(p, &end, 10);
			if (end == p)
				break;
			if (uid > 0)
				g_array_append_val(uids, uid);
		}
	}
	g_strfreev(lines);
	g_free(text);
}

/* An IMAP date: "6-Jun-2023", in English whatever the locale. */
static char *
imap_date(gint64 t)
{
	static const char *const month[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	GDateTime *d = g_date_time_new_from_unix_utc(t);
	char *s;

	s = g_strdup_printf("%d-%s-%d", g_date_time_get_day_of_month(d),
	    month[g_date_time_get_month(d) - 1], g_date_time_get_year(d));
	g_date_time_unref(d);
	return s;
}

int
imap_search(struct imap *im, gint64 since, gint64 *uidvalidity, GArray *uids,
    char *err, size_t errlen)
{
	char *date = since > 0 ? imap_date(since) : NULL, *command;
	int rc;

	command = g_strdup_printf("UID SEARCH UNKEYWORD %s%s%s",
	    IMAP_DONE_KEYWORD, date ? " SINCE " : "", date ? date : "");
	rc = imap_perform(im, im->url, command, IMAP_ANSWER_MAX, err, errlen);
	g_free(command);
	g_free(date);
	if (rc == -1)
		return -1;
	if (uidvalidity_parse(im->lines->str, uidvalidity) == -1) {
		snprintf(err, errlen, "%s: the server named no UIDVALIDITY "
		    "for the folder", im->url);
		return -1;
	}
	search_parse(im->body, uids);
	return 0;
}

int
imap_fetch(struct imap *im, gint64 uidvalidity, gint64 uid, size_t max,
    unsigned char **out, size_t *len, int *big, char *err, size_t errlen)
{
	char *url;
	int rc;

	/* A recreated folder has another UIDVALIDITY: libcurl then refuses. */
	url = g_strdup_printf("%s;UIDVALIDITY=%" G_GINT64_FORMAT "/;UID=%"
	    G_GINT64_FORMAT, im->url, uidvalidity, uid);
	rc = imap_perform(im, url, NULL, max, err, errlen);
	g_free(url);
	*big = im->big;
	if (im->big)
		snprintf(err, errlen, "%s: UID %" G_GINT64_FORMAT ": the "
		    "message is over max-message-size (%zu bytes)", im->url,
		    uid, max);
	if (rc == -1 || im->big)
		return -1;
	*out = g_byte_array_steal(im->body, len);
	return 0;
}

int
imap_mark_done(struct imap *im, gint64 uid, char *err, size_t errlen)
{
	char *command;
	int rc;

	command = g_strdup_printf("UID STORE %" G_GINT64_FORMAT
	    " +FLAGS (\\Seen %s)", uid, IMAP_DONE_KEYWORD);
	rc = imap_perform(im, im->url, command, IMAP_ANSWER_MAX, err, errlen);
	g_free(command);
	return rc;
}
