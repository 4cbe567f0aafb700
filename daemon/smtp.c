/*
 * smtp.c — the libcurl edge of sending: the session's handle, the
 * server's replies read from libcurl's debug callback (the only place
 * libcurl shows each RCPT's answer), their sorting into what happened to
 * each recipient, the reconnect after a session quota, and the pace.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <glib.h>

#include "message.h"
#include "smtp.h"
#include "url.h"

#define SMTP_QUOTA_CODE		452	/* "4.5.3 Too many messages" */
#define USEC_PER_MINUTE		(60 * G_USEC_PER_SEC)

/* libcurl 8.2 fixed the option's spelling; Debian 12 has the old one. */
#ifdef CURLOPT_MAIL_RCPT_ALLOWFAILS
#define SMTP_RCPT_ALLOWFAILS	CURLOPT_MAIL_RCPT_ALLOWFAILS
#else
#define SMTP_RCPT_ALLOWFAILS	CURLOPT_MAIL_RCPT_ALLLOWFAILS
#endif

/* Where the conversation is, so each reply is put to its command. */
enum smtp_phase {
	PHASE_HELLO,		/* greeting, EHLO, STARTTLS, AUTH */
	PHASE_MAIL,
	PHASE_RCPT,
	PHASE_DATA,		/* DATA sent, 354 awaited */
	PHASE_BODY,		/* the body going, the final reply awaited */
	PHASE_DONE,
};

struct smtp {
	CURL			*curl;
	char			*url;
	char			*username;
	gint64			 interval;	/* microseconds between mails */
	gint64			 last;		/* monotonic time of the last */
	/* The message in flight. */
	const unsigned char	*data;
	size_t			 len, off;
	enum smtp_phase		 phase;
	struct smtp_result	*results;
	size_t			 nrcpt, rcpt;	/* RCPTs sent so far */
	struct smtp_result	 mail, end;	/* MAIL FROM's and the final */
	struct smtp_result	 said;		/* the latest reply, any command's */
	int			 body_gone;	/* 354 came: the body went */
	char			 curlerr[CURL_ERROR_SIZE];
};

const char *
smtp_outcome_name(enum smtp_outcome o)
{
	static const char *const names[] = {
		"sent", "temporary", "permanent", "unknown",
	};

	return o <= SMTP_UNKNOWN ? names[o] : "?";
}

static size_t
body_read(char *buf, size_t size, size_t n, void *arg)
{
	struct smtp *s = arg;
	size_t len = MIN(size * n, s->len - s->off);

	memcpy(buf, s->data + s->off, len);
	s->off += len;
	return len;
}

/* The verb of a command line libcurl sent: what the next reply answers. */
static void
command_seen(struct smtp *s, const char *p, size_t n)
{
	if (n >= 5 && g_ascii_strncasecmp(p, "MAIL ", 5) == 0)
		s->phase = PHASE_MAIL;
	else if (n >= 5 && g_ascii_strncasecmp(p, "RCPT ", 5) == 0)
		s->phase = PHASE_RCPT;
	else if (n >= 4 && g_ascii_strncasecmp(p, "DATA", 4) == 0)
		s->phase = PHASE_DATA;
	else	/* EHLO, AUTH, RSET, QUIT: their replies decide nothing */
		s->phase = PHASE_HELLO;
}

static void
result_set(struct smtp_result *r, int code, const char *line, size_t n)
{
	size_t len = MIN(n, sizeof(r->reply) - 1);

	/* libcurl's buffer has no NUL: copy, never read past n. */
	r->code = code;
	memcpy(r->reply, line, len);
	r->reply[len] = '\0';
	g_strchomp(r->reply);
	r->outcome = code < 400 ? SMTP_SENT : code < 500 ? SMTP_TEMPORARY :
	    SMTP_PERMANENT;
}

/* A reply's last line ("250 ok", not "250-SIZE"), put to its command. */
static void
reply_seen(struct smtp *s, const char *line, size_t n)
{
	int code;

	if (n < 3 || !g_ascii_isdigit(line[0]) || (n > 3 && line[3] != ' ' &&
	    line[3] != '\r' && line[3] != '\n'))
		return;
	code = atoi(line);
	result_set(&s->said, code, line, n);
	switch (s->phase) {
	case PHASE_MAIL:
		result_set(&s->mail, code, line, n);
		break;
	case PHASE_RCPT:
		if (s->rcpt < s->nrcpt)
			result_set(&s->results[s->rcpt++], code, line, n);
		break;
	case PHASE_DATA:
		s->phase = code == 354 ? PHASE_BODY : PHASE_DONE;
		s->body_gone = code == 354;
		if (code != 354)
			result_set(&s->end, code, line, n);
		break;
	case PHASE_BODY:
		result_set(&s->end, code, line, n);
		s->phase = PHASE_DONE;
		break;
	default:
		break;
	}
}

/* Commands out and replies in, a line at a time; AUTH's is never kept. */
static int
debug_seen(CURL *curl, curl_infotype type, char *data, size_t size,
    void *arg)
{
	struct smtp *s = arg;
	const char *p = data, *end = data + size, *eol;

	(void)curl;
	if (type != CURLINFO_HEADER_IN && type != CURLINFO_HEADER_OUT)
		return 0;
	for (; p < end; p = eol + 1) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		if (type == CURLINFO_HEADER_OUT)
			command_seen(s, p, (size_t)(eol - p));
		else
			reply_seen(s, p, (size_t)(eol - p));
	}
	return 0;
}

/*
 * libcurl says EHLO with the url's path, "localhost" without one, which
 * some servers hold against a sender: say the domain of from instead.
 */
static void
smtp_url_set(struct smtp *s, const struct smtp_config *c)
{
	const char *host = strstr(s->url, "://");
	char *domain = c->from ? message_address_domain(c->from) : NULL, *url;

	if (domain != NULL && host != NULL && strchr(host + 3, '/') == NULL) {
		url = g_strdup_printf("%s/%s", s->url, domain);
		curl_easy_setopt(s->curl, CURLOPT_URL, url);
		g_free(url);
	} else
		curl_easy_setopt(s->curl, CURLOPT_URL, s->url);
	g_free(domain);
}

struct smtp *
smtp_new(const struct smtp_config *c, const char *password)
{
	struct smtp *s = g_new0(struct smtp, 1);

	curl_global_init(CURL_GLOBAL_DEFAULT);
	s->curl = curl_easy_init();
	s->url = g_strdup(c->url);
	s->username = g_strdup(c->username ? c->username : "");
	if (c->rate_per_minute > 0)
		s->interval = USEC_PER_MINUTE / c->rate_per_minute;
	if (s->curl == NULL)
		return s;
	smtp_url_set(s, c);
	if (c->username != NULL) {
		curl_easy_setopt(s->curl, CURLOPT_USERNAME, c->username);
		curl_easy_setopt(s->curl, CURLOPT_PASSWORD, password);
	}
	url_connection_set(s->curl, s->url, c->ca_file, (long)c->timeout,
	    s->curlerr);
	/* One connection: a reconnect closes the spent one. */
	curl_easy_setopt(s->curl, CURLOPT_MAXCONNECTS, 1L);
	curl_easy_setopt(s->curl, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(s->curl, CURLOPT_READFUNCTION, body_read);
	curl_easy_setopt(s->curl, CURLOPT_READDATA, s);
	curl_easy_setopt(s->curl, SMTP_RCPT_ALLOWFAILS, 1L);
	curl_easy_setopt(s->curl, CURLOPT_DEBUGFUNCTION, debug_seen);
	curl_easy_setopt(s->curl, CURLOPT_DEBUGDATA, s);
	/* Verbose only feeds debug_seen: nothing is printed, or logged. */
	curl_easy_setopt(s->curl, CURLOPT_VERBOSE, 1L);
	return s;
}

void
smtp_free(struct smtp *s)
{
	if (s == NULL)
		return;
	if (s->curl != NULL)
		curl_easy_cleanup(s->curl);
	curl_global_cleanup();
	g_free(s->url);
	g_free(s->username);
	g_free(s);
}

/* Waits until rate-per-minute allows the next mail. */
static void
smtp_pace(struct smtp *s)
{
	gint64 now = g_get_monotonic_time();

	if (s->last != 0 && now < s->last + s->interval)
		g_usleep((gulong)(s->last + s->interval - now));
	s->last = g_get_monotonic_time();
}

static CURLcode
smtp_perform(struct smtp *s, const char *from_addr,
    const char *const *rcpts, size_t nrcpt, struct smtp_result *results)
{
	struct curl_slist *list = NULL;
	char *from = g_strdup_printf("<%s>", from_addr), *to;
	CURLcode rc;
	size_t i;

	for (i = 0; i < nrcpt; i++) {
		to = g_strdup_printf("<%s>", rcpts[i]);
		list = curl_slist_append(list, to);
		g_free(to);
	}
	memset(results, 0, nrcpt * sizeof(*results));
	memset(&s->mail, 0, sizeof(s->mail));
	memset(&s->end, 0, sizeof(s->end));
	memset(&s->said, 0, sizeof(s->said));
	s->results = results;
	s->nrcpt = nrcpt;
	s->rcpt = 0;
	s->off = 0;
	s->phase = PHASE_HELLO;
	s->body_gone = 0;
	s->curlerr[0] = '\0';
	curl_easy_setopt(s->curl, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, list);
	curl_easy_setopt(s->curl, CURLOPT_INFILESIZE_LARGE, (curl_off_t)s->len);
	rc = curl_easy_perform(s->curl);
	curl_easy_setopt(s->curl, CURLOPT_MAIL_RCPT, NULL);
	curl_slist_free_all(list);
	g_free(from);
	return rc;
}

/* A spent session: MAIL refused with 4xx on a connection reused. */
static int
smtp_quota_spent(struct smtp *s, CURLcode rc)
{
	long connects = 0;

	curl_easy_getinfo(s->curl, CURLINFO_NUM_CONNECTS, &connects);
	return rc != CURLE_OK && connects == 0 &&
	    s->mail.code == SMTP_QUOTA_CODE;
}

/*
 * The message's fate when libcurl failed: the reply that stopped it
 * decides, and with none, whether the body had gone (the server may
 * have it) or not (it surely has not).
 */
static enum smtp_outcome
smtp_failure(struct smtp *s, struct smtp_result **why)
{
	*why = s->end.code ? &s->end : s->mail.code >= 400 ? &s->mail : NULL;
	if (*why != NULL)
		return (*why)->outcome;
	return s->body_gone ? SMTP_UNKNOWN : SMTP_TEMPORARY;
}

/* Recipients the server had not refused share the message's fate. */
static void
results_finish(struct smtp_result *results, size_t nrcpt,
    enum smtp_outcome o, const struct smtp_result *why)
{
	size_t i;

	for (i = 0; i < nrcpt; i++) {
		if (results[i].code >= 400)
			continue;
		if (why != NULL)
			results[i] = *why;
		results[i].outcome = o;
	}
}

static enum smtp_outcome
smtp_outcome(struct smtp *s, CURLcode rc, struct smtp_result *results,
    size_t nrcpt, char *err, size_t errlen)
{
	struct smtp_result *why;
	enum smtp_outcome o;
	size_t i, refused = 0, permanent = 0;

	/* libcurl succeeds when one recipient took it; each has its reply. */
	if (rc == CURLE_OK)
		return SMTP_SENT;
	o = smtp_failure(s, &why);
	results_finish(results, nrcpt, o, why);
	for (i = 0; i < nrcpt; i++) {
		refused += results[i].code >= 400;
		permanent += results[i].outcome == SMTP_PERMANENT;
	}
	/* Every recipient refused: the message is as bad as the mildest. */
	if (refused == nrcpt)
		o = permanent == nrcpt ? SMTP_PERMANENT : SMTP_TEMPORARY;
	snprintf(err, errlen, "%s: %s%s%s", s->url, curl_easy_strerror(rc),
	    s->curlerr[0] ? ": " : "", s->curlerr);
	g_strchomp(err);
	if (rc == CURLE_LOGIN_DENIED)
		snprintf(err + strlen(err), errlen - strlen(err), " as '%s': "
		    "check [smtp] username and password-file", s->username);
	/* A refusal at the greeting or EHLO is only in the server's words. */
	if (why == NULL && s->said.code >= 400)
		snprintf(err + strlen(err), errlen - strlen(err),
		    " (the server said \"%s\")", s->said.reply);
	return o;
}

enum smtp_outcome
smtp_send(struct smtp *s, const char *from_addr, const char *const *rcpts,
    size_t nrcpt, const unsigned char *data, size_t len,
    struct smtp_result *results, char *err, size_t errlen)
{
	CURLcode rc;

	if (s->curl == NULL || nrcpt == 0) {
		snprintf(err, errlen, "%s: %s", s->url, s->curl == NULL ?
		    "cannot start libcurl" : "no recipient");
		memset(results, 0, nrcpt * sizeof(*results));
		results_finish(results, nrcpt, SMTP_TEMPORARY, NULL);
		return SMTP_TEMPORARY;
	}
	s->data = data;
	s->len = len;
	smtp_pace(s);
	rc = smtp_perform(s, from_addr, rcpts, nrcpt, results);
	if (smtp_quota_spent(s, rc)) {
		curl_easy_setopt(s->curl, CURLOPT_FRESH_CONNECT, 1L);
		rc = smtp_perform(s, from_addr, rcpts, nrcpt, results);
		curl_easy_setopt(s->curl, CURLOPT_FRESH_CONNECT, 0L);
	}
	return smtp_outcome(s, rc, results, nrcpt, err, errlen);
}
