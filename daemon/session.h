/*
 * session.h — who is logged in to the secretary's page: sessions behind
 * random 256-bit cookie ids, each with its CSRF token, and the lock-out
 * of a name and address after repeated failed logins.
 *
 * Kept in memory, shared by the web server's threads behind one mutex: a
 * restarted daemon asks everyone to log in again, which is acceptable for
 * one office.  Every function takes the time, so tests need no clock.
 */
#ifndef SURVEYD_SESSION_H
#define SURVEYD_SESSION_H

#include <glib.h>

#define SESSION_TOKEN_BYTES	32	/* 256 bits from getrandom(2) */
#define SESSION_TOKEN_LEN	(2 * SESSION_TOKEN_BYTES + 1)
#define SESSION_IDLE_SECONDS	(8 * 3600)
#define SESSION_MAX		1024	/* live sessions; bounds the memory */
#define SESSION_LOCK_FAILURES	5
#define SESSION_LOCK_SECONDS	(15 * 60)
#define SESSION_ATTEMPTS_MAX	16384	/* names+addresses with failures */

struct sessions;

/* A live session, copied out of the table. */
struct session {
	char	user[65];
	char	csrf[SESSION_TOKEN_LEN];
};

struct sessions	*sessions_new(void);
void		 sessions_free(struct sessions *);
/* A fresh session for user; id gets its cookie value.  -1 when full. */
int		 sessions_create(struct sessions *, const char *user,
		    gint64 now, char id[SESSION_TOKEN_LEN]);
/* 0 and *out filled when id is live (its idle time restarts); else -1. */
int		 sessions_lookup(struct sessions *, const char *id, gint64 now,
		    struct session *out);
void		 sessions_remove(struct sessions *, const char *id);

/* 1 while user at addr may not try again. */
int		 sessions_locked(struct sessions *, const char *user,
		    const char *addr, gint64 now);
void		 sessions_failure_add(struct sessions *, const char *user,
		    const char *addr, gint64 now);
void		 sessions_failure_clear(struct sessions *, const char *user,
		    const char *addr);

/* 64 hex digits of fresh randomness. */
void		 session_token_new(char out[SESSION_TOKEN_LEN]);
/* Equality in time independent of the contents; NULL never matches. */
int		 session_token_equal(const char *a, const char *b);

#endif
