/*
 * session.c — the session table, CSRF tokens and the login lock-out.
 */
#include <sys/random.h>

#include <stdio.h>
#include <string.h>

#include "session.h"

struct live {
	struct session	s;
	gint64		seen;
};

struct attempts {
	int	failures;
	gint64	until;		/* locked until, once at the limit */
};

struct sessions {
	GMutex		 lock;
	GHashTable	*live;		/* id → struct live */
	GHashTable	*attempts;	/* "user\naddr" → struct attempts */
};

struct sessions *
sessions_new(void)
{
	struct sessions *ss = g_new0(struct sessions, 1);

	g_mutex_init(&ss->lock);
	ss->live = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	ss->attempts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    g_free);
	return ss;
}

void
sessions_free(struct sessions *ss)
{
	if (ss == NULL)
		return;
	g_hash_table_unref(ss->live);
	g_hash_table_unref(ss->attempts);
	g_mutex_clear(&ss->lock);
	g_free(ss);
}

void
session_token_new(char out[SESSION_TOKEN_LEN])
{
	unsigned char b[SESSION_TOKEN_BYTES];
	size_t i;

	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		g_error("getrandom failed");
	for (i = 0; i < sizeof(b); i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

int
session_token_equal(const char *a, const char *b)
{
	unsigned char d = 0;
	size_t i;

	if (a == NULL || b == NULL || strlen(a) != SESSION_TOKEN_LEN - 1 ||
	    strlen(b) != SESSION_TOKEN_LEN - 1)
		return 0;
	for (i = 0; i < SESSION_TOKEN_LEN - 1; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return d == 0;
}

static gboolean
live_expired(gpointer key, gpointer value, gpointer now)
{
	(void)key;
	return ((struct live *)value)->seen + SESSION_IDLE_SECONDS <
	    *(gint64 *)now;
}

int
sessions_create(struct sessions *ss, const char *user, gint64 now,
    char id[SESSION_TOKEN_LEN])
{
	struct live *l;
	int rc = -1;

	g_mutex_lock(&ss->lock);
	if (g_hash_table_size(ss->live) >= SESSION_MAX)
		g_hash_table_foreach_remove(ss->live, live_expired, &now);
	if (g_hash_table_size(ss->live) < SESSION_MAX) {
		l = g_new0(struct live, 1);
		g_strlcpy(l->s.user, user, sizeof(l->s.user));
		session_token_new(l->s.csrf);
		l->seen = now;
		session_token_new(id);
		g_hash_table_replace(ss->live, g_strdup(id), l);
		rc = 0;
	}
	g_mutex_unlock(&ss->lock);
	return rc;
}

int
sessions_lookup(struct sessions *ss, const char *id, gint64 now,
    struct session *out)
{
	struct live *l;
	int rc = -1;

	if (id == NULL)
		return -1;
	g_mutex_lock(&ss->lock);
	if ((l = g_hash_table_lookup(ss->live, id)) != NULL) {
		if (l->seen + SESSION_IDLE_SECONDS < now)
			g_hash_table_remove(ss->live, id);
		else {
			l->seen = now;
			*out = l->s;
			rc = 0;
		}
	}
	g_mutex_unlock(&ss->lock);
	return rc;
}

void
sessions_remove(struct sessions *ss, const char *id)
{
	if (id == NULL)
		return;
	g_mutex_lock(&ss->lock);
	g_hash_table_remove(ss->live, id);
	g_mutex_unlock(&ss->lock);
}

static char *
attempts_key(const char *user, const char *addr)
{
	return g_strconcat(user, "\n", addr, NULL);
}

/* Called with the lock held. */
static struct attempts *
attempts_get(struct sessions *ss, const char *user, const char *addr,
    gint64 now)
{
	struct attempts *a;
	char *key = attempts_key(user, addr);

	if ((a = g_hash_table_lookup(ss->attempts, key)) != NULL &&
	    a->failures >= SESSION_LOCK_FAILURES && a->until <= now) {
		/* The lock has run out: a clean slate. */
		g_hash_table_remove(ss->attempts, key);
		a = NULL;
	}
	g_free(key);
	return a;
}

static gboolean
attempts_expired(gpointer key, gpointer value, gpointer now)
{
	const struct attempts *a = value;

	(void)key;
	return a->failures < SESSION_LOCK_FAILURES ||
	    a->until <= *(gint64 *)now;
}

int
sessions_locked(struct sessions *ss, const char *user, const char *addr,
    gint64 now)
{
	struct attempts *a;
	int locked;

	g_mutex_lock(&ss->lock);
	a = attempts_get(ss, user, addr, now);
	locked = a != NULL && a->failures >= SESSION_LOCK_FAILURES;
	g_mutex_unlock(&ss->lock);
	return locked;
}

void
sessions_failure_add(struct sessions *ss, const char *user, const char *addr,
    gint64 now)
{
	struct attempts *a;

	g_mutex_lock(&ss->lock);
	if ((a = attempts_get(ss, user, addr, now)) == NULL) {
		/* Forget the unlocked counts first when the table is full. */
		if (g_hash_table_size(ss->attempts) >= SESSION_ATTEMPTS_MAX)
			g_hash_table_foreach_remove(ss->attempts,
			    attempts_expired, &now);
		a = g_new0(struct attempts, 1);
		g_hash_table_replace(ss->attempts, attempts_key(user, addr), a);
	}
	if (++a->failures == SESSION_LOCK_FAILURES)
		a->until = now + SESSION_LOCK_SECONDS;
	g_mutex_unlock(&ss->lock);
}

void
sessions_failure_clear(struct sessions *ss, const char *user, const char *addr)
{
	char *key = attempts_key(user, addr);

	g_mutex_lock(&ss->lock);
	g_hash_table_remove(ss->attempts, key);
	g_mutex_unlock(&ss->lock);
	g_free(key);
}
