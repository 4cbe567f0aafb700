/*
 * web_login.c — logging in and out: the login form with its own CSRF
 * token (a cookie it must match, as no session exists yet), the password
 * check against the users file, the lock-out, and the session cookie.
 */
#include <string.h>

#include "log.h"
#include "users.h"
#include "web_int.h"

#define WEB_COOKIE_FLAGS	"; Path=/; HttpOnly; SameSite=Strict"

/* The cookie's value when it is one of our tokens, else NULL. */
static const char *
login_token(const struct web_request *r, const char *name)
{
	const char *v = web_cookie(r, name);

	if (v == NULL || strlen(v) != SESSION_TOKEN_LEN - 1 ||
	    strspn(v, "0123456789abcdef") != SESSION_TOKEN_LEN - 1)
		return NULL;
	return v;
}

int
web_login_session(struct web_request *r)
{
	if (sessions_lookup(r->w->sessions, login_token(r, WEB_COOKIE_SESSION),
	    r->now, &r->session) == -1)
		return -1;
	r->ctx.user = r->session.user;
	r->ctx.csrf = r->session.csrf;
	return 0;
}

/* Secure only behind the TLS proxy: plain http on loopback must work. */
static char *
login_cookie(const struct web_request *r, const char *name, const char *value,
    const char *extra)
{
	return g_strconcat(name, "=", value, WEB_COOKIE_FLAGS,
	    r->w->config->web.behind_proxy ? "; Secure" : "", extra, NULL);
}

static enum MHD_Result
login_form(struct web_request *r, unsigned status, int error)
{
	char fresh[SESSION_TOKEN_LEN], *cookie = NULL;
	const char *token = login_token(r, WEB_COOKIE_LOGIN);
	GString *out = g_string_new(NULL);
	enum MHD_Result rc;

	if (token == NULL) {
		session_token_new(fresh);
		token = fresh;
		cookie = login_cookie(r, WEB_COOKIE_LOGIN, fresh, "");
	}
	r->ctx.csrf = token;
	page_login(out, &r->ctx, error);
	rc = web_reply_html(r, status, out, cookie);
	g_free(cookie);
	return rc;
}

static enum MHD_Result
login_locked(struct web_request *r)
{
	return login_form(r, MHD_HTTP_TOO_MANY_REQUESTS, PT_LOGIN_LOCKED);
}

enum MHD_Result
web_login_get(struct web_request *r)
{
	if (web_login_session(r) == 0)
		return web_reply_redirect(r, "/", NULL);
	return login_form(r, MHD_HTTP_OK, -1);
}

static enum MHD_Result
login_succeed(struct web_request *r, const char *user)
{
	char id[SESSION_TOKEN_LEN], *cookie;
	enum MHD_Result rc;

	sessions_failure_clear(r->w->sessions, user, r->addr);
	if (sessions_create(r->w->sessions, user, r->now, id) == -1) {
		log_err("web: %d sessions are open; %s cannot log in",
		    SESSION_MAX, user);
		return web_reply_page(r, MHD_HTTP_SERVICE_UNAVAILABLE,
		    PT_FAILED);
	}
	g_strlcpy(r->session.user, user, sizeof(r->session.user));
	web_event(r, NULL, NULL, 0, "login", r->addr);
	cookie = login_cookie(r, WEB_COOKIE_SESSION, id, "");
	rc = web_reply_redirect(r, "/", cookie);
	g_free(cookie);
	return rc;
}

enum MHD_Result
web_login_post(struct web_request *r)
{
	const char *user = web_form(r, "user"), *pw = web_form(r, "password");
	struct sessions *ss = r->w->sessions;
	char err[512];
	int ok;

	if (!session_token_equal(web_form(r, "csrf"),
	    login_token(r, WEB_COOKIE_LOGIN)))
		return web_reply_page(r, MHD_HTTP_FORBIDDEN, PT_FORBIDDEN);
	if (user == NULL || pw == NULL || !users_name_valid(user) ||
	    strlen(pw) > USERS_PASSWORD_MAX)
		return login_form(r, MHD_HTTP_FORBIDDEN, PT_LOGIN_WRONG);
	/* A locked name is not even checked: guessing learns nothing. */
	if (sessions_locked(ss, user, r->addr, r->now))
		return login_locked(r);
	if ((ok = users_password_check(r->w->config->web.users, user, pw, err,
	    sizeof(err))) == -1) {
		log_err("web: users file: %s", err);
		return web_reply_failed(r);
	}
	if (ok)
		return login_succeed(r, user);
	sessions_failure_add(ss, user, r->addr, r->now);
	g_strlcpy(r->session.user, user, sizeof(r->session.user));
	web_event(r, NULL, NULL, 0, "login-failed", r->addr);
	log_warn("web: failed login for %s from %s", user, r->addr);
	if (sessions_locked(ss, user, r->addr, r->now))
		return login_locked(r);
	return login_form(r, MHD_HTTP_FORBIDDEN, PT_LOGIN_WRONG);
}

enum MHD_Result
web_logout(struct web_request *r)
{
	char *cookie;
	enum MHD_Result rc;

	sessions_remove(r->w->sessions, login_token(r, WEB_COOKIE_SESSION));
	web_event(r, NULL, NULL, 0, "logout", r->addr);
	cookie = login_cookie(r, WEB_COOKIE_SESSION, "", "; Max-Age=0");
	rc = web_reply_redirect(r, "/login", cookie);
	g_free(cookie);
	return rc;
}
