/*
 * imap.c — the libcurl edge of the mailbox: requests, their answers
 * captured from libcurl's callbacks, and errors that name the server but
 * never the password.
 */
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "imap.h"
#include "url.h"

#define IMAP_ANSWER_MAX		(16u * 1024 * 1024)	/* a SEARCH's UIDs */
#define IMAP_SET_MAX		1000	/* UIDs in one STORE, MOVE or COPY */
/*
 * UIDs searched at once: at most 20,000 results of 7 bytes each, well
 * within the read buffer asked of libcurl (IMAP_BUFFER).
 */
#define IMAP_SEARCH_WINDOW	20000
#define IMAP_BUFFER		(512L * 1024)

struct imap {
	CURL		*curl;
	char		*url;		/* imap[s]://host[:port]/FOLDER */
	char		*username;
	GByteArray	*body;		/* what the request wrote */
	GString		*lines;		/* the server's response lines */
	size_t		 max;		/* body bound of this request */
	int		 big;		/* the bound was passed */
	char		*caps;		/* CAPABILITY's answer, upper case */
	int		 created;	/* CREATE of the processed folder sent */
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
	/* A bearer token rides in AUTHENTICATE XOAUTH2, a password in LOGIN. */
	curl_easy_setopt(im->curl, c->xoauth2 ? CURLOPT_XOAUTH2_BEARER :
	    CURLOPT_PASSWORD, password);
	url_connection_set(im->curl, im->url, c->ca_file, (long)c->timeout,
	    im->curlerr);
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
	g_free(im->caps);
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
/* "[UIDVALIDITY n]", "[UIDNEXT n]" from the SELECT libcurl sent first. */
static int
select_code_parse(const char *lines, const char *code, gint64 *out)
{
	char *tag = g_strdup_printf("[%s ", code), *end;
	const char *p = strstr(lines, tag);

	if (p != NULL)
		p += strlen(tag);
	g_free(tag);
	if (p == NULL)
		return -1;
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

void
imap_folder_init(struct imap_folder *f)
{
	f->uidvalidity = 0;
	f->uids = g_array_new(FALSE, FALSE, sizeof(gint64));
	f->big = g_array_new(FALSE, FALSE, sizeof(gint64));
	f->unseen = g_array_new(FALSE, FALSE, sizeof(gint64));
}

void
imap_folder_clear(struct imap_folder *f)
{
	g_array_unref(f->uids);
	g_array_unref(f->big);
	g_array_unref(f->unseen);
}

/*
 * UID SEARCH for the messages not yet done, narrowed by extra, a window
 * of UIDs at a time: libcurl cuts an answer line longer than its buffer,
 * and a window bounds the line whatever the mailbox holds.
 */
static int
imap_search(struct imap *im, gint64 uidnext, const char *since,
    const char *extra, GArray *uids, char *err, size_t errlen)
{
	char *command;
	gint64 lo;
	int rc = 0;

	/*
	 * Only for SEARCH: with the large buffer libcurl counts a fetched
	 * message's first megabyte as response headers and refuses it.
	 */
	curl_easy_setopt(im->curl, CURLOPT_BUFFERSIZE, IMAP_BUFFER);
	for (lo = 1; rc == 0 && lo < uidnext; lo += IMAP_SEARCH_WINDOW) {
		command = g_strdup_printf("UID SEARCH UID %" G_GINT64_FORMAT
		    ":%" G_GINT64_FORMAT " UNKEYWORD %s%s%s%s", lo,
		    MIN(lo + IMAP_SEARCH_WINDOW, uidnext) - 1, IMAP_DONE_KEYWORD,
		    since ? " SINCE " : "", since ? since : "", extra);
		rc = imap_perform(im, im->url, command, IMAP_ANSWER_MAX, err,
		    errlen);
		g_free(command);
		if (rc == 0)
			search_parse(im->body, uids);
	}
	curl_easy_setopt(im->curl, CURLOPT_BUFFERSIZE, (long)CURL_MAX_WRITE_SIZE);
	return rc;
}

int
imap_folder_scan(struct imap *im, gint64 since, size_t max,
    struct imap_folder *f, char *err, size_t errlen)
{
	char *date = since > 0 ? imap_date(since) : NULL, *larger;
	gint64 uidnext;
	int rc;

	g_array_set_size(f->uids, 0);
	g_array_set_size(f->big, 0);
	g_array_set_size(f->unseen, 0);
	/* libcurl selects the folder before the first request: its answer. */
	rc = imap_perform(im, im->url, "NOOP", IMAP_ANSWER_MAX, err, errlen);
	if (rc == 0 && (select_code_parse(im->lines->str, "UIDVALIDITY",
	    &f->uidvalidity) == -1 || select_code_parse(im->lines->str,
	    "UIDNEXT", &uidnext) == -1)) {
		snprintf(err, errlen, "%s: the server named no UIDVALIDITY or "
		    "UIDNEXT for the folder", im->url);
		rc = -1;
	}
	if (rc == 0)
		rc = imap_search(im, uidnext, date, "", f->uids, err, errlen);
	/* Sizes by SEARCH, not FETCH: libcurl keeps a custom FETCH's first line only. */
	larger = g_strdup_printf(" LARGER %zu", max);
	if (rc == 0 && f->uids->len > 0)
		rc = imap_search(im, uidnext, date, larger, f->big, err, errlen);
	if (rc == 0 && f->uids->len > 0)
		rc = imap_search(im, uidnext, date, " UNSEEN", f->unseen, err,
		    errlen);
	g_free(larger);
	g_free(date);
	return rc;
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

/*
 * "3:5,9": the UIDs from *next on, sorted, as one set, stopping before the
 * command would grow past IMAP_SET_MAX UIDs; *next is moved past them.
 */
static char *
uid_set_make(const GArray *uids, guint *next)
{
	GString *set = g_string_new(NULL);
	gint64 first, last;
	guint i = *next, end = MIN(uids->len, *next + IMAP_SET_MAX);

	while (i < end) {
		first = last = g_array_index(uids, gint64, i++);
		while (i < end && g_array_index(uids, gint64, i) == last + 1)
			last = g_array_index(uids, gint64, i++);
		g_string_append_printf(set, "%s%" G_GINT64_FORMAT, set->len ?
		    "," : "", first);
		if (last != first)
			g_string_append_printf(set, ":%" G_GINT64_FORMAT, last);
	}
	*next = end;
	return g_string_free(set, FALSE);
}

/* One command per slice of uids: verb, the set, then rest. */
static int
imap_uids_command(struct imap *im, const GArray *uids, const char *verb,
    const char *rest, char *err, size_t errlen)
{
	char *set, *command;
	guint next = 0;
	int rc = 0;

	while (rc == 0 && next < uids->len) {
		set = uid_set_make(uids, &next);
		command = g_strdup_printf("UID %s %s%s", verb, set, rest);
		rc = imap_perform(im, im->url, command, IMAP_ANSWER_MAX, err,
		    errlen);
		g_free(command);
		g_free(set);
	}
	return rc;
}

int
imap_flags_change(struct imap *im, const GArray *uids, char sign,
    const char *flags, char *err, size_t errlen)
{
	char *change = g_strdup_printf(" %cFLAGS.SILENT (%s)", sign, flags);
	int rc;

	rc = imap_uids_command(im, uids, "STORE", change, err, errlen);
	g_free(change);
	return rc;
}

/* The server's capabilities after login, asked once per connection. */
static int
imap_capable(struct imap *im, const char *cap, char *err, size_t errlen)
{
	char *needle;
	int found;

	if (im->caps == NULL) {
		if (imap_perform(im, im->url, "CAPABILITY", IMAP_ANSWER_MAX,
		    err, errlen) == -1)
			return -1;
		im->caps = g_ascii_strup((const char *)im->body->data,
		    (gssize)im->body->len);
		g_strdelimit(im->caps, "\r\n", ' ');
	}
	needle = g_strdup_printf(" %s ", cap);
	found = strstr(im->caps, needle) != NULL;
	g_free(needle);
	return found;
}

/*
 * A run of non-ASCII characters in IMAP's modified UTF-7 (RFC 3501
 * 5.1.3): UTF-16 in base64 with ',' for '/', unpadded, between & and -.
 */
static void
mutf7_run(GString *out, const gunichar2 *u, glong n)
{
	guchar *be = g_new(guchar, n * 2);
	char *b64, *p;
	glong i;

	for (i = 0; i < n; i++) {
		be[2 * i] = u[i] >> 8;
		be[2 * i + 1] = u[i] & 0xff;
	}
	b64 = g_base64_encode(be, n * 2);
	for (p = b64; *p != '\0' && *p != '='; p++)
		if (*p == '/')
			*p = ',';
	*p = '\0';
	g_string_append_printf(out, "&%s-", b64);
	g_free(b64);
	g_free(be);
}

/* ' "Đã xử lý"' as the server spells it; the config refuses quotes. */
static char *
folder_quote(const char *folder)
{
	GString *out = g_string_new(" \"");
	gunichar2 *u = g_utf8_to_utf16(folder, -1, NULL, NULL, NULL);
	glong i, start;

	for (i = 0; u != NULL && u[i] != 0; ) {
		if (u[i] >= 0x20 && u[i] <= 0x7e) {
			if (u[i] == '&')
				g_string_append(out, "&-");
			else
				g_string_append_c(out, (char)u[i]);
			i++;
			continue;
		}
		for (start = i; u[i] != 0 && (u[i] < 0x20 || u[i] > 0x7e); i++)
			;
		mutf7_run(out, u + start, i - start);
	}
	g_free(u);
	g_string_append_c(out, '"');
	return g_string_free(out, FALSE);
}

int
imap_move(struct imap *im, const GArray *uids, const char *folder, char *err,
    size_t errlen)
{
	char *quoted, *create, ignored[IMAP_ERRLEN];
	int move, uidplus, rc;

	if (uids->len == 0)
		return 0;
	if ((move = imap_capable(im, "MOVE", err, errlen)) == -1 ||
	    (uidplus = imap_capable(im, "UIDPLUS", err, errlen)) == -1)
		return -1;
	quoted = folder_quote(folder);
	/* An existing folder makes CREATE fail; the move says the rest. */
	if (!im->created) {
		create = g_strdup_printf("CREATE%s", quoted);
		(void)imap_perform(im, im->url, create, IMAP_ANSWER_MAX,
		    ignored, sizeof(ignored));
		g_free(create);
		im->created = 1;
	}
	if (move)
		rc = imap_uids_command(im, uids, "MOVE", quoted, err, errlen);
	else if ((rc = imap_uids_command(im, uids, "COPY", quoted, err,
	    errlen)) == 0 && (rc = imap_flags_change(im, uids, '+',
	    "\\Deleted", err, errlen)) == 0)
		/* Without UIDPLUS, EXPUNGE also takes others' deleted mail. */
		rc = uidplus ? imap_uids_command(im, uids, "EXPUNGE", "", err,
		    errlen) : imap_perform(im, im->url, "EXPUNGE",
		    IMAP_ANSWER_MAX, err, errlen);
	g_free(quoted);
	return rc;
}
