/*
 * web_int.h — what the web server's files share: the server, one request
 * as it goes through, and the replies.  web.c receives and routes,
 * web_login.c logs people in and out, web_action.c does what the buttons
 * ask; the HTML comes from page*.c.
 */
#ifndef SURVEYD_WEB_INT_H
#define SURVEYD_WEB_INT_H

#include <microhttpd.h>

#include "page.h"
#include "session.h"
#include "web.h"

/* MHD workers, and store connections: one each. */
#define WEB_THREADS		4
#define WEB_CONNECTIONS_MAX	512
#define WEB_TIMEOUT		30	/* seconds an idle connection is kept */
#define WEB_POST_MAX		(16 * 1024)
#define WEB_POST_BUFFER		4096
#define WEB_NOTE_MAX		500	/* characters in a review note */
#define WEB_ADDR_LEN		64
#define WEB_COOKIE_SESSION	"surveyd_session"
#define WEB_COOKIE_LOGIN	"surveyd_login"	/* the login form's CSRF */
#define WEB_COOKIE_LANG		"surveyd_lang"

struct web {
	const struct config	*config;
	struct MHD_Daemon	*mhd;
	struct sessions		*sessions;
	GAsyncQueue		*stores;	/* idle connections */
};

struct web_request {
	struct web		*w;
	struct MHD_Connection	*conn;
	const char		*method;
	const char		*url;
	int			 post;
	struct MHD_PostProcessor *pp;
	GHashTable		*form;		/* name → GString */
	size_t			 posted;
	int			 too_big;
	/* Known once the whole request is in. */
	gint64			 now;
	char			 addr[WEB_ADDR_LEN];
	struct session		 session;
	const char		*lang_cookie;	/* to set, or NULL */
	struct page_ctx		 ctx;
};

/* A form field (POST), or NULL. */
const char	*web_form(const struct web_request *, const char *name);
/* A query argument (GET), or NULL. */
const char	*web_query(const struct web_request *, const char *name);
const char	*web_cookie(const struct web_request *, const char *name);
/* "web:USER", the actor events record. */
char		*web_actor(const struct web_request *);
/* Records an action of the request's user in the event log. */
int		 web_event(struct web_request *, const char *survey,
		    const char *respondent, gint64 submission, const char *kind,
		    const char *detail);

/* Replies: each sends and frees what it is given; cookie is a whole
 * Set-Cookie value or NULL. */
enum MHD_Result	 web_reply_html(struct web_request *, unsigned status,
		    GString *, const char *cookie);
enum MHD_Result	 web_reply_page(struct web_request *, unsigned status,
		    enum page_str message);
/* 500, the log says why. */
enum MHD_Result	 web_reply_failed(struct web_request *);
/* 303 See Other. */
enum MHD_Result	 web_reply_redirect(struct web_request *, const char *location,
		    const char *cookie);
/* An open file, as an attachment named filename (any bytes). */
enum MHD_Result	 web_reply_file(struct web_request *, int fd, const char *type,
		    const char *filename);

/* web_login.c */
enum MHD_Result	 web_login_get(struct web_request *);
enum MHD_Result	 web_login_post(struct web_request *);
enum MHD_Result	 web_logout(struct web_request *);
/* Fills r->session from the cookie; 0 when logged in. */
int		 web_login_session(struct web_request *);

/* web_action.c */
enum MHD_Result	 web_action_workbook(struct web_request *,
		    const struct survey *);
enum MHD_Result	 web_action_file(struct web_request *, gint64 submission,
		    int mail);
enum MHD_Result	 web_action_assign(struct web_request *, const struct survey *);
enum MHD_Result	 web_action_review(struct web_request *, const struct survey *);
/* "resend" the form or "remind" now: queued for the daemon to send. */
enum MHD_Result	 web_action_mail(struct web_request *, const struct survey *,
		    const char *code, const char *what);

#endif
