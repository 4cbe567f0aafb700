/*
 * web.c — the HTTP server: starting and stopping libmicrohttpd, taking a
 * request in (its form fields, bounded), knowing who sends it, routing it
 * to a page or an action, and the replies with their safety headers.
 *
 * Nothing from the URL names a file: routes carry survey ids, roster
 * codes and submission numbers, each looked up in the config or store.
 */
#include <sys/socket.h>

#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "web_int.h"

/* No scripts, no frames, no outside resources; forms post only here. */
#define WEB_CSP	"default-src 'none'; style-src 'unsafe-inline'; " \
		"img-src 'self' data:; form-action 'self'; " \
		"frame-ancestors 'none'; base-uri 'none'"
/* The language cookie's attributes: kept a year. */
#define WEB_LANG_COOKIE	"; Path=/; SameSite=Strict; Max-Age=31536000"

const char *
web_form(const struct web_request *r, const char *name)
{
	GString *v;

	if (r->form == NULL || (v = g_hash_table_lookup(r->form, name)) == NULL)
		return NULL;
	return v->str;
}

const char *
web_query(const struct web_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
	    name);
}

const char *
web_cookie(const struct web_request *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

char *
web_actor(const struct web_request *r)
{
	return g_strconcat("web:", r->session.user, NULL);
}

int
web_event(struct web_request *r, const char *survey, const char *respondent,
    gint64 submission, const char *kind, const char *detail)
{
	struct store *st = r->ctx.store;
	char *actor = web_actor(r);
	int rc = -1;

	if (store_begin(st) == 0) {
		if ((rc = store_event_add(st, r->now, survey, respondent,
		    submission, kind, actor, detail)) == 0)
			rc = store_commit(st);
		else
			store_rollback(st);
	}
	if (rc == -1)
		log_err("web: recording %s by %s: %s", kind, actor,
		    store_error(st));
	g_free(actor);
	return rc;
}

static void
web_headers_add(struct web_request *r, struct MHD_Response *resp,
    const char *cookie)
{
	MHD_add_response_header(resp, "Content-Security-Policy", WEB_CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	/* Pages show personal data and change by the minute. */
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (cookie != NULL)
		MHD_add_response_header(resp, "Set-Cookie", cookie);
	if (r->lang_cookie != NULL)
		MHD_add_response_header(resp, "Set-Cookie", r->lang_cookie);
}

static enum MHD_Result
web_send(struct web_request *r, unsigned status, struct MHD_Response *resp,
    const char *cookie)
{
	enum MHD_Result rc;

	if (resp == NULL)
		return MHD_NO;
	web_headers_add(r, resp, cookie);
	rc = MHD_queue_response(r->conn, status, resp);
	MHD_destroy_response(resp);
	return rc;
}

enum MHD_Result
web_reply_html(struct web_request *r, unsigned status, GString *body,
    const char *cookie)
{
	struct MHD_Response *resp;
	size_t len = body->len;

	resp = MHD_create_response_from_buffer_with_free_callback(len,
	    g_string_free(body, FALSE), g_free);
	if (resp != NULL)
		MHD_add_response_header(resp, "Content-Type",
		    "text/html; charset=utf-8");
	return web_send(r, status, resp, cookie);
}

enum MHD_Result
web_reply_page(struct web_request *r, unsigned status, enum page_str message)
{
	GString *out = g_string_new(NULL);

	page_message(out, &r->ctx, message);
	return web_reply_html(r, status, out, NULL);
}

enum MHD_Result
web_reply_failed(struct web_request *r)
{
	return web_reply_page(r, MHD_HTTP_INTERNAL_SERVER_ERROR, PT_FAILED);
}

enum MHD_Result
web_reply_redirect(struct web_request *r, const char *location,
    const char *cookie)
{
	struct MHD_Response *resp;

	resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (resp != NULL)
		MHD_add_response_header(resp, "Location", location);
	return web_send(r, MHD_HTTP_SEE_OTHER, resp, cookie);
}

enum MHD_Result
web_reply_file(struct web_request *r, int fd, const char *type,
    const char *filename)
{
	struct MHD_Response *resp;
	char *escaped, *disp;
	off_t size;

	if ((size = lseek(fd, 0, SEEK_END)) == -1) {
		close(fd);
		return web_reply_failed(r);
	}
	if ((resp = MHD_create_response_from_fd((uint64_t)size, fd)) == NULL) {
		close(fd);
		return MHD_NO;
	}
	/* RFC 6266: any name, percent-encoded, never breaks the header. */
	escaped = g_uri_escape_string(filename, NULL, FALSE);
	disp = g_strdup_printf("attachment; filename=\"download\"; "
	    "filename*=UTF-8''%s", escaped);
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Content-Disposition", disp);
	g_free(disp);
	g_free(escaped);
	return web_send(r, MHD_HTTP_OK, resp, NULL);
}

/* --- who sends the request -------------------------------------------- */

static void
web_address(struct web_request *r)
{
	const union MHD_ConnectionInfo *ci;
	const char *fwd, *last;

	g_strlcpy(r->addr, "?", sizeof(r->addr));
	/* Behind a proxy every peer is the proxy: it names the client. */
	if (r->w->config->web.behind_proxy && (fwd =
	    MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    "X-Forwarded-For")) != NULL) {
		last = strrchr(fwd, ',');
		g_strlcpy(r->addr, last ? last + 1 : fwd, sizeof(r->addr));
		g_strstrip(r->addr);
		return;
	}
	ci = MHD_get_connection_info(r->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci != NULL && ci->client_addr != NULL)
		getnameinfo(ci->client_addr, ci->client_addr->sa_family ==
		    AF_INET6 ? sizeof(struct sockaddr_in6) :
		    sizeof(struct sockaddr_in), r->addr, sizeof(r->addr), NULL,
		    0, NI_NUMERICHOST);
}

/* ?lang= wins and is remembered in a cookie; then the cookie; then vi. */
static void
web_lang(struct web_request *r)
{
	const char *q = web_query(r, "lang");
	const char *c = web_cookie(r, WEB_COOKIE_LANG);

	if (q != NULL && (strcmp(q, "en") == 0 || strcmp(q, "vi") == 0)) {
		r->lang_cookie = strcmp(q, "en") == 0 ?
		    WEB_COOKIE_LANG "=en" WEB_LANG_COOKIE :
		    WEB_COOKIE_LANG "=vi" WEB_LANG_COOKIE;
		c = q;
	}
	r->ctx.lang = c != NULL && strcmp(c, "en") == 0 ? PAGE_EN : PAGE_VI;
}

/* --- routing ---------------------------------------------------------- */

static const struct survey *
route_survey(struct web_request *r, const char *id)
{
	const struct config *c = r->w->config;
	guint i;

	for (i = 0; i < c->nsurveys; i++)
		if (strcmp(c->surveys[i].id, id) == 0)
			return &c->surveys[i];
	return NULL;
}

static enum MHD_Result
route_survey_get(struct web_request *r, const struct survey *sv, char **seg,
    guint n)
{
	const struct respondent *resp;
	GString *out = g_string_new(NULL);

	if (n == 2)
		page_survey(out, &r->ctx, sv, web_query(r, "state"),
		    web_query(r, "region"));
	else if (n == 3 && strcmp(seg[2], "unmatched") == 0)
		page_unmatched(out, &r->ctx, sv);
	else if (n == 4 && strcmp(seg[2], "r") == 0 &&
	    (resp = roster_find(sv->roster, seg[3])) != NULL)
		page_respondent(out, &r->ctx, sv, resp);
	else {
		g_string_free(out, TRUE);
		if (n == 3 && strcmp(seg[2], "workbook.xlsx") == 0)
			return web_action_workbook(r, sv);
		return web_reply_page(r, MHD_HTTP_NOT_FOUND, PT_NOT_FOUND);
	}
	return web_reply_html(r, MHD_HTTP_OK, out, NULL);
}

static gint64
route_id(const char *s)
{
	char *end;
	gint64 id = g_ascii_strtoll(s, &end, 10);

	return *s != '\0' && *end == '\0' && id > 0 ? id : 0;
}

/* A logged-in request whose CSRF token has been checked. */
static enum MHD_Result
route(struct web_request *r, char **seg, guint n)
{
	const struct survey *sv = NULL;
	GString *out;
	gint64 id;

	if (n >= 2 && strcmp(seg[0], "s") == 0)
		sv = route_survey(r, seg[1]);
	if (!r->post && n == 0) {
		out = g_string_new(NULL);
		page_surveys(out, &r->ctx);
		return web_reply_html(r, MHD_HTTP_OK, out, NULL);
	}
	if (!r->post && sv != NULL)
		return route_survey_get(r, sv, seg, n);
	if (!r->post && n == 3 && strcmp(seg[0], "sub") == 0 &&
	    (id = route_id(seg[1])) != 0 && (strcmp(seg[2], "file") == 0 ||
	    strcmp(seg[2], "mail") == 0))
		return web_action_file(r, id, strcmp(seg[2], "mail") == 0);
	if (r->post && n == 1 && strcmp(seg[0], "logout") == 0)
		return web_logout(r);
	if (r->post && sv != NULL && n == 3 && strcmp(seg[2], "assign") == 0)
		return web_action_assign(r, sv);
	if (r->post && sv != NULL && n == 3 && strcmp(seg[2], "review") == 0)
		return web_action_review(r, sv);
	if (r->post && sv != NULL && n == 5 && strcmp(seg[2], "r") == 0 &&
	    (strcmp(seg[4], "resend") == 0 || strcmp(seg[4], "remind") == 0))
		return web_action_mail(r, sv, seg[3], seg[4]);
	return web_reply_page(r, MHD_HTTP_NOT_FOUND, PT_NOT_FOUND);
}

/* The path's segments, empty ones dropped: "/s/a/" is s, a. */
static char **
route_split(const char *url, guint *n)
{
	char **seg = g_strsplit(url, "/", -1), **in, **out;

	for (in = out = seg; *in != NULL; in++) {
		if (**in == '\0')
			g_free(*in);
		else
			*out++ = *in;
	}
	*out = NULL;
	*n = (guint)(out - seg);
	return seg;
}

static enum MHD_Result
web_dispatch(struct web_request *r)
{
	enum MHD_Result rc;
	char **seg;
	guint n;

	seg = route_split(r->url, &n);
	if (n == 1 && strcmp(seg[0], "login") == 0)
		rc = r->post ? web_login_post(r) : web_login_get(r);
	else if (web_login_session(r) == -1)
		/* Strangers see the login page, and their posts fail. */
		rc = r->post ? web_reply_page(r, MHD_HTTP_FORBIDDEN,
		    PT_FORBIDDEN) : web_reply_redirect(r, "/login", NULL);
	else if (r->post && !session_token_equal(web_form(r, "csrf"),
	    r->session.csrf))
		rc = web_reply_page(r, MHD_HTTP_FORBIDDEN, PT_FORBIDDEN);
	else
		rc = route(r, seg, n);
	g_strfreev(seg);
	return rc;
}

/* --- the request's life ----------------------------------------------- */

static enum MHD_Result
web_post_field(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *type, const char *encoding,
    const char *data, uint64_t off, size_t size)
{
	struct web_request *r = cls;
	GString *v;

	(void)kind; (void)filename; (void)type; (void)encoding; (void)off;
	if ((v = g_hash_table_lookup(r->form, key)) == NULL) {
		v = g_string_new(NULL);
		g_hash_table_insert(r->form, g_strdup(key), v);
	}
	g_string_append_len(v, data, (gssize)size);
	return MHD_YES;
}

static void
form_value_free(gpointer v)
{
	g_string_free(v, TRUE);
}

static struct web_request *
web_request_new(struct web *w, struct MHD_Connection *conn, const char *url,
    const char *method)
{
	struct web_request *r = g_new0(struct web_request, 1);

	r->w = w;
	r->conn = conn;
	r->url = url;
	r->method = method;
	r->post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
	if (r->post) {
		r->form = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
		    form_value_free);
		/* NULL for a body that is not a form: it then has no token. */
		r->pp = MHD_create_post_processor(conn, WEB_POST_BUFFER,
		    web_post_field, r);
	}
	return r;
}

static void
web_request_done(void *cls, struct MHD_Connection *conn, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct web_request *r = *con_cls;

	(void)cls; (void)conn; (void)toe;
	if (r == NULL)
		return;
	if (r->pp != NULL)
		MHD_destroy_post_processor(r->pp);
	if (r->form != NULL)
		g_hash_table_unref(r->form);
	g_free(r);
	*con_cls = NULL;
}

/* Borrows a store connection for the request: none is used by two. */
static enum MHD_Result
web_serve(struct web_request *r)
{
	enum MHD_Result rc;

	r->now = g_get_real_time() / G_USEC_PER_SEC;
	web_address(r);
	web_lang(r);
	r->ctx.config = r->w->config;
	r->ctx.path = r->url;
	r->ctx.done = web_query(r, "done") != NULL;
	r->ctx.now = r->now;
	r->ctx.store = g_async_queue_pop(r->w->stores);
	rc = web_dispatch(r);
	g_async_queue_push(r->w->stores, r->ctx.store);
	return rc;
}

static enum MHD_Result
web_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **con_cls)
{
	struct web_request *r = *con_cls;

	(void)version;
	if (r == NULL) {
		if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
		    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0 &&
		    strcmp(method, MHD_HTTP_METHOD_POST) != 0)
			return MHD_NO;
		*con_cls = web_request_new(cls, conn, url, method);
		return MHD_YES;
	}
	if (*upload_size != 0) {
		r->posted += *upload_size;
		if (r->posted > WEB_POST_MAX)
			r->too_big = 1;
		else if (r->pp != NULL)
			MHD_post_process(r->pp, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->too_big)
		return web_send(r, MHD_HTTP_CONTENT_TOO_LARGE,
		    MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT), NULL);
	return web_serve(r);
}

static void
web_log(void *cls, const char *fmt, va_list ap)
{
	char *s = g_strdup_vprintf(fmt, ap);

	(void)cls;
	log_warn("web: %s", g_strchomp(s));
	g_free(s);
}

/* --- start and stop --------------------------------------------------- */

static int
web_stores_open(struct web *w, char *err, size_t errlen)
{
	struct store *st;
	int i;

	w->stores = g_async_queue_new();
	for (i = 0; i < WEB_THREADS; i++) {
		if ((st = store_open(w->config->database, err, errlen)) == NULL)
			return -1;
		g_async_queue_push(w->stores, st);
	}
	return 0;
}

/*
 * The server's threads inherit a mask blocking the daemon's signals, so
 * SIGTERM and SIGHUP reach the main loop's ppoll(), not a web worker.
 */
static void
web_threads_quiet(sigset_t *old)
{
	sigset_t block;

	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &block, old);
}

static int
web_listen(struct web *w, char *err, size_t errlen)
{
	const struct web_config *wc = &w->config->web;
	struct addrinfo hints = { 0 }, *ai;
	sigset_t old;
	char port[16];
	int rc;

	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	g_snprintf(port, sizeof(port), "%d", wc->port);
	if ((rc = getaddrinfo(wc->host, port, &hints, &ai)) != 0) {
		g_snprintf(err, errlen, "[web] listen=%s: %s", wc->listen,
		    gai_strerror(rc));
		return -1;
	}
	web_threads_quiet(&old);
	w->mhd = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD |
	    MHD_USE_ERROR_LOG | (ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0),
	    (uint16_t)wc->port, NULL, NULL, web_access, w,
	    /* First, or MHD logs the options before it to stderr itself. */
	    MHD_OPTION_EXTERNAL_LOGGER, web_log, NULL,
	    MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)WEB_THREADS,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)WEB_CONNECTIONS_MAX,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)WEB_TIMEOUT,
	    MHD_OPTION_NOTIFY_COMPLETED, web_request_done, NULL,
	    MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	freeaddrinfo(ai);
	if (w->mhd == NULL) {
		g_snprintf(err, errlen, "[web] listen=%s: cannot listen there "
		    "(in use, or not this machine's address?)", wc->listen);
		return -1;
	}
	return 0;
}

struct web *
web_start(const struct config *c, char *err, size_t errlen)
{
	struct web *w;

	*err = '\0';
	if (c->web.listen == NULL)
		return NULL;
	w = g_new0(struct web, 1);
	w->config = c;
	w->sessions = sessions_new();
	if (web_stores_open(w, err, errlen) == -1 ||
	    web_listen(w, err, errlen) == -1) {
		web_stop(w);
		return NULL;
	}
	log_info("web: the secretary's page is at http://%s/", c->web.listen);
	return w;
}

void
web_stop(struct web *w)
{
	struct store *st;

	if (w == NULL)
		return;
	if (w->mhd != NULL)
		MHD_stop_daemon(w->mhd);
	if (w->stores != NULL) {
		while ((st = g_async_queue_try_pop(w->stores)) != NULL)
			store_close(st);
		g_async_queue_unref(w->stores);
	}
	sessions_free(w->sessions);
	g_free(w);
}
