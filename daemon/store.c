/*
 * store.c — the SQLite store: schema and migrations, and every statement
 * surveyd runs, all with bound parameters.
 */
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <sqlite3.h>

#include "store.h"

struct store {
	sqlite3		*db;
	GHashTable	*stmts;		/* SQL text (static) → prepared statement */
	char		 err[512];
};

/*
 * Each entry moves the schema one version up; PRAGMA user_version says
 * where a database is.  Never edit a shipped entry: add the next one.
 */
static const char *migrations[] = {
	/* 1: the first schema */
	"CREATE TABLE respondent ("
	"  survey TEXT NOT NULL, code TEXT NOT NULL, token TEXT NOT NULL UNIQUE,"
	"  created INTEGER NOT NULL, PRIMARY KEY (survey, code));"
	"CREATE TABLE raw ("
	"  sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, path TEXT NOT NULL,"
	"  created INTEGER NOT NULL);"
	"CREATE TABLE submission ("
	"  id INTEGER PRIMARY KEY, survey TEXT NOT NULL, sha256 TEXT NOT NULL,"
	"  respondent TEXT, state TEXT NOT NULL, source TEXT NOT NULL,"
	"  filename TEXT, sender TEXT, subject TEXT, message_id TEXT,"
	"  received INTEGER NOT NULL, form_id TEXT, form_version TEXT,"
	"  identified_by TEXT, flags TEXT NOT NULL DEFAULT '',"
	"  UNIQUE (survey, sha256));"
	"CREATE INDEX submission_respondent ON submission (survey, respondent);"
	"CREATE TABLE answer ("
	"  submission INTEGER NOT NULL REFERENCES submission(id) ON DELETE CASCADE,"
	"  field TEXT NOT NULL, value TEXT NOT NULL, cell TEXT,"
	"  PRIMARY KEY (submission, field));"
	"CREATE TABLE issue ("
	"  submission INTEGER NOT NULL REFERENCES submission(id) ON DELETE CASCADE,"
	"  seq INTEGER NOT NULL, code TEXT NOT NULL, field TEXT, cell TEXT,"
	"  message TEXT NOT NULL, PRIMARY KEY (submission, seq));"
	"CREATE TABLE outbox ("
	"  id INTEGER PRIMARY KEY, survey TEXT NOT NULL, respondent TEXT NOT NULL,"
	"  kind TEXT NOT NULL, step TEXT NOT NULL, message_id TEXT NOT NULL UNIQUE,"
	"  state TEXT NOT NULL DEFAULT 'queued', attempts INTEGER NOT NULL DEFAULT 0,"
	"  created INTEGER NOT NULL, sent INTEGER, error TEXT,"
	"  UNIQUE (survey, respondent, kind, step));"
	"CREATE TABLE event ("
	"  id INTEGER PRIMARY KEY, time INTEGER NOT NULL, survey TEXT,"
	"  respondent TEXT, submission INTEGER, kind TEXT NOT NULL,"
	"  actor TEXT NOT NULL, detail TEXT);",
	/* 2: every message polled from a mailbox, so none is taken twice */
	"CREATE TABLE mailbox_message ("
	"  mailbox TEXT NOT NULL, uidvalidity INTEGER NOT NULL,"
	"  uid INTEGER NOT NULL, message_id TEXT, sha256 TEXT NOT NULL,"
	"  state TEXT NOT NULL, time INTEGER NOT NULL,"
	"  UNIQUE (mailbox, uidvalidity, uid));"
	"CREATE INDEX mailbox_message_sha256 ON mailbox_message (mailbox, sha256);",
	/* 3: a recreated mailbox's mail found again by Message-ID */
	"CREATE INDEX mailbox_message_id ON mailbox_message (mailbox, message_id);",
	/* 4: the secretary's review of a submission (web page), as ODK Central's */
	"CREATE TABLE review ("
	"  submission INTEGER PRIMARY KEY REFERENCES submission(id) ON DELETE CASCADE,"
	"  state TEXT NOT NULL, note TEXT, actor TEXT NOT NULL, time INTEGER NOT NULL);",
	/*
	 * 5: outgoing mail: the built mail kept in the archive before it is
	 * sent, its addressees, when to try again; a reply's loop markers.
	 */
	"ALTER TABLE outbox ADD COLUMN recipients TEXT;"
	"ALTER TABLE outbox ADD COLUMN sha256 TEXT;"
	"ALTER TABLE outbox ADD COLUMN next_attempt INTEGER NOT NULL DEFAULT 0;"
	"CREATE INDEX outbox_due ON outbox (state, next_attempt);"
	"ALTER TABLE submission ADD COLUMN markers INTEGER NOT NULL DEFAULT 0;",
};

#define STORE_SCHEMA_VERSION	((int)G_N_ELEMENTS(migrations))

static int
store_fail(struct store *s, const char *what)
{
	snprintf(s->err, sizeof(s->err), "%s: %s", what, sqlite3_errmsg(s->db));
	return -1;
}

const char *
store_error(const struct store *s)
{
	return s->err;
}

static int
store_exec(struct store *s, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(s->err, sizeof(s->err), "%s", msg ? msg : "error");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

int
store_begin(struct store *s)
{
	return store_exec(s, "BEGIN IMMEDIATE");
}

int
store_snapshot_begin(struct store *s)
{
	/* A deferred transaction takes its snapshot at the first read. */
	return store_exec(s, "BEGIN DEFERRED");
}

int
store_commit(struct store *s)
{
	return store_exec(s, "COMMIT");
}

void
store_rollback(struct store *s)
{
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

static int
store_version(struct store *s)
{
	sqlite3_stmt *st;
	int v = -1;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int
store_migrate(struct store *s)
{
	char pragma[64];
	int v;

	if (store_begin(s) == -1)
		return -1;
	if ((v = store_version(s)) < 0) {
		store_rollback(s);
		return store_fail(s, "reading the schema version");
	}
	if (v > STORE_SCHEMA_VERSION) {
		store_rollback(s);
		snprintf(s->err, sizeof(s->err), "the database has schema "
		    "version %d, newer than this surveyd knows (%d)", v,
		    STORE_SCHEMA_VERSION);
		return -1;
	}
	for (; v < STORE_SCHEMA_VERSION; v++) {
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", v + 1);
		if (store_exec(s, migrations[v]) == -1 ||
		    store_exec(s, pragma) == -1) {
			store_rollback(s);
			return -1;
		}
	}
	return store_commit(s);
}

static void
stmt_free(gpointer st)
{
	sqlite3_finalize(st);
}

struct store *
store_open(const char *path, char *err, size_t errlen)
{
	struct store *s = g_new0(struct store, 1);

	s->stmts = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
	    stmt_free);
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, sqlite3_errmsg(s->db));
		store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
	/*
	 * synchronous=NORMAL in WAL mode loses no committed transaction on a
	 * crash of the process, only possibly the last ones on power loss;
	 * mail stays on the server until after the commit anyway.
	 */
	if (store_exec(s, "PRAGMA journal_mode=WAL") == -1 ||
	    store_exec(s, "PRAGMA synchronous=NORMAL") == -1 ||
	    store_exec(s, "PRAGMA foreign_keys=ON") == -1 ||
	    store_migrate(s) == -1) {
		snprintf(err, errlen, "%s: %s", path, s->err);
		store_close(s);
		return NULL;
	}
	return s;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	if (s->stmts != NULL)
		g_hash_table_unref(s->stmts);
	sqlite3_close(s->db);
	g_free(s);
}

/* --- statements ------------------------------------------------------- */

/*
 * Statements are prepared once per store and kept: intake stores a dozen
 * rows per reply, and preparing each again cost more than running it.
 * The SQL is always a string literal, so its address names it.  Every use
 * ends with stmt_release(), which makes the statement ready for the next.
 */
static sqlite3_stmt *
stmt(struct store *s, const char *sql)
{
	sqlite3_stmt *st;

	if ((st = g_hash_table_lookup(s->stmts, sql)) != NULL)
		return st;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
	    NULL) != SQLITE_OK) {
		store_fail(s, "preparing a statement");
		return NULL;
	}
	g_hash_table_insert(s->stmts, (gpointer)sql, st);
	return st;
}

static void
stmt_release(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

static void
bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

static char *
column_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);

	return t ? g_strdup((const char *)t) : NULL;
}

/* Runs a statement that returns no rows, then finalizes it. */
static int
stmt_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);

	stmt_release(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(s, what);
	return 0;
}

/* --- respondents ------------------------------------------------------ */

static void
token_new(char out[33])
{
	unsigned char b[16];
	size_t i;

	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		g_error("getrandom failed");
	for (i = 0; i < sizeof(b); i++)
		snprintf(out + 2 * i, 3, "%02x", b[i]);
}

int
store_respondents_sync(struct store *s, const char *survey,
    const struct roster *ro)
{
	sqlite3_stmt *st;
	char token[33];
	guint i;

	if (store_begin(s) == -1)
		return -1;
	for (i = 0; i < ro->n; i++) {
		if ((st = stmt(s, "INSERT INTO respondent (survey, code, token,"
		    " created) VALUES (?, ?, ?, strftime('%s','now'))"
		    " ON CONFLICT (survey, code) DO NOTHING")) == NULL)
			goto fail;
		token_new(token);
		bind_text(st, 1, survey);
		bind_text(st, 2, ro->v[i].code);
		bind_text(st, 3, token);
		if (stmt_done(s, st, "adding a respondent") == -1)
			goto fail;
	}
	return store_commit(s);
fail:
	store_rollback(s);
	return -1;
}

/* The first column of the first row; b is bound only where sql has ?2. */
static char *
query_text(struct store *s, const char *sql, const char *a, const char *b)
{
	sqlite3_stmt *st;
	char *v = NULL;

	if ((st = stmt(s, sql)) == NULL)
		return NULL;
	bind_text(st, 1, a);
	if (sqlite3_bind_parameter_count(st) > 1)
		bind_text(st, 2, b);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = column_text(st, 0);
	stmt_release(st);
	return v;
}

char *
store_token_respondent(struct store *s, const char *survey, const char *token)
{
	return query_text(s, "SELECT code FROM respondent WHERE survey = ? AND"
	    " token = lower(?)", survey, token);
}

char *
store_respondent_token(struct store *s, const char *survey, const char *code)
{
	return query_text(s, "SELECT token FROM respondent WHERE survey = ? AND"
	    " code = ?", survey, code);
}

char *
store_raw_path(struct store *s, const char *sha256)
{
	return query_text(s, "SELECT path FROM raw WHERE sha256 = ?", sha256,
	    NULL);
}

int
store_raw_add(struct store *s, const char *sha256, gint64 size,
    const char *path, gint64 now)
{
	sqlite3_stmt *st;

	if ((st = stmt(s, "INSERT INTO raw (sha256, size, path, created)"
	    " VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING")) == NULL)
		return -1;
	bind_text(st, 1, sha256);
	sqlite3_bind_int64(st, 2, size);
	bind_text(st, 3, path);
	sqlite3_bind_int64(st, 4, now);
	return stmt_done(s, st, "recording a raw file");
}

/* --- mailbox messages ------------------------------------------------- */

char *
store_mailbox_state(struct store *s, const char *mailbox, gint64 uidvalidity,
    gint64 uid)
{
	sqlite3_stmt *st;
	char *v = NULL;

	if ((st = stmt(s, "SELECT state FROM mailbox_message WHERE mailbox = ?"
	    " AND uidvalidity = ? AND uid = ?")) == NULL)
		return NULL;
	bind_text(st, 1, mailbox);
	sqlite3_bind_int64(st, 2, uidvalidity);
	sqlite3_bind_int64(st, 3, uid);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = column_text(st, 0);
	stmt_release(st);
	return v;
}

char *
store_mailbox_state_of(struct store *s, const char *mailbox,
    const char *sha256)
{
	return query_text(s, "SELECT state FROM mailbox_message WHERE"
	    " mailbox = ? AND sha256 = ? LIMIT 1", mailbox, sha256);
}

gint64
store_mailbox_uidvalidity(struct store *s, const char *mailbox)
{
	sqlite3_stmt *st;
	gint64 v = 0;

	if ((st = stmt(s, "SELECT uidvalidity FROM mailbox_message WHERE"
	    " mailbox = ? ORDER BY time DESC, rowid DESC LIMIT 1")) == NULL)
		return 0;
	bind_text(st, 1, mailbox);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	stmt_release(st);
	return v;
}

char *
store_mailbox_state_by_id(struct store *s, const char *mailbox,
    gint64 uidvalidity, const char *message_id)
{
	sqlite3_stmt *st;
	char *v = NULL;

	if ((st = stmt(s, "SELECT state FROM mailbox_message WHERE mailbox = ?"
	    " AND uidvalidity <> ? AND message_id = ? LIMIT 1")) == NULL)
		return NULL;
	bind_text(st, 1, mailbox);
	sqlite3_bind_int64(st, 2, uidvalidity);
	bind_text(st, 3, message_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = column_text(st, 0);
	stmt_release(st);
	return v;
}

int
store_outbox_sent_id(struct store *s, const char *message_id)
{
	char *v = query_text(s, "SELECT survey FROM outbox WHERE"
	    " message_id = ?", message_id, NULL);
	int found = v != NULL;

	g_free(v);
	return found;
}

int
store_mailbox_message_add(struct store *s, const struct mailbox_message *m)
{
	sqlite3_stmt *st;

	if ((st = stmt(s, "INSERT INTO mailbox_message (mailbox, uidvalidity,"
	    " uid, message_id, sha256, state, time) VALUES (?, ?, ?, ?, ?, ?, ?)"
	    " ON CONFLICT (mailbox, uidvalidity, uid) DO UPDATE SET"
	    " state = excluded.state, time = excluded.time")) == NULL)
		return -1;
	bind_text(st, 1, m->mailbox);
	sqlite3_bind_int64(st, 2, m->uidvalidity);
	sqlite3_bind_int64(st, 3, m->uid);
	bind_text(st, 4, m->message_id);
	bind_text(st, 5, m->sha256);
	bind_text(st, 6, m->state);
	sqlite3_bind_int64(st, 7, m->time);
	return stmt_done(s, st, "recording a mailbox message");
}

/* --- outbox ----------------------------------------------------------- */

int
store_outbox_add(struct store *s, const struct outbox_row *o)
{
	sqlite3_stmt *st;

	/* The key is the idempotency: a mail planned twice is queued once. */
	if ((st = stmt(s, "INSERT INTO outbox (survey, respondent, kind, step,"
	    " message_id, state, created, recipients, sha256, next_attempt,"
	    " error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	    " ON CONFLICT DO NOTHING")) == NULL)
		return -1;
	bind_text(st, 1, o->survey);
	bind_text(st, 2, o->respondent);
	bind_text(st, 3, o->kind);
	bind_text(st, 4, o->step);
	bind_text(st, 5, o->message_id);
	bind_text(st, 6, o->state);
	sqlite3_bind_int64(st, 7, o->created);
	bind_text(st, 8, o->recipients);
	bind_text(st, 9, o->sha256);
	sqlite3_bind_int64(st, 10, o->next_attempt);
	bind_text(st, 11, o->error);
	if (stmt_done(s, st, "queueing a mail") == -1)
		return -1;
	return sqlite3_changes(s->db) > 0;
}

int
store_outbox_exists(struct store *s, const char *survey, const char *respondent,
    const char *kind, const char *step)
{
	sqlite3_stmt *st;
	int found;

	if ((st = stmt(s, "SELECT 1 FROM outbox WHERE survey = ? AND"
	    " respondent = ? AND kind = ? AND step = ?")) == NULL)
		return 0;
	bind_text(st, 1, survey);
	bind_text(st, 2, respondent);
	bind_text(st, 3, kind);
	bind_text(st, 4, step);
	found = sqlite3_step(st) == SQLITE_ROW;
	stmt_release(st);
	return found;
}

GArray *
store_ack_pending(struct store *s, const char *survey, gint64 since)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	sqlite3_stmt *st;
	gint64 id;

	if ((st = stmt(s, "SELECT id FROM submission s WHERE survey = ? AND"
	    " source = 'mail' AND received >= ? AND NOT EXISTS (SELECT 1 FROM"
	    " outbox o WHERE o.survey = s.survey AND o.kind = 'ack' AND"
	    " o.step = CAST(s.id AS TEXT)) ORDER BY id")) == NULL) {
		g_array_unref(ids);
		return NULL;
	}
	bind_text(st, 1, survey);
	sqlite3_bind_int64(st, 2, since);
	while (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		g_array_append_val(ids, id);
	}
	stmt_release(st);
	return ids;
}

static void
outbox_row_read(sqlite3_stmt *st, struct outbox_row *o)
{
	o->id = sqlite3_column_int64(st, 0);
	o->survey = column_text(st, 1);
	o->respondent = column_text(st, 2);
	o->kind = column_text(st, 3);
	o->step = column_text(st, 4);
	o->message_id = column_text(st, 5);
	o->state = column_text(st, 6);
	o->created = sqlite3_column_int64(st, 7);
	o->recipients = column_text(st, 8);
	o->sha256 = column_text(st, 9);
	o->next_attempt = sqlite3_column_int64(st, 10);
	o->error = column_text(st, 11);
	o->attempts = sqlite3_column_int(st, 12);
	o->sent = sqlite3_column_int64(st, 13);
}

#define OUTBOX_COLUMNS	"id, survey, respondent, kind, step, message_id," \
	" state, created, recipients, sha256, next_attempt, error, attempts," \
	" coalesce(sent, 0)"

void
outbox_row_free(struct outbox_row *o)
{
	if (o == NULL)
		return;
	g_free((char *)o->survey);
	g_free((char *)o->respondent);
	g_free((char *)o->kind);
	g_free((char *)o->step);
	g_free((char *)o->message_id);
	g_free((char *)o->state);
	g_free((char *)o->recipients);
	g_free((char *)o->sha256);
	g_free((char *)o->error);
	g_free(o);
}

/* Rows of one query, each a g_new'ed struct outbox_row. */
static GPtrArray *
outbox_rows(struct store *s, sqlite3_stmt *st)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)outbox_row_free);
	struct outbox_row *o;
	int rc;

	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		o = g_new0(struct outbox_row, 1);
		outbox_row_read(st, o);
		g_ptr_array_add(rows, o);
	}
	if (rc != SQLITE_DONE) {
		store_fail(s, "reading the outbox");
		g_ptr_array_unref(rows);
		rows = NULL;
	}
	stmt_release(st);
	return rows;
}

int
store_outbox_any_due(struct store *s, gint64 now)
{
	sqlite3_stmt *st;
	int due;

	if ((st = stmt(s, "SELECT 1 FROM outbox WHERE state = 'queued' AND"
	    " next_attempt <= ? LIMIT 1")) == NULL)
		return 1;
	sqlite3_bind_int64(st, 1, now);
	due = sqlite3_step(st) == SQLITE_ROW;
	stmt_release(st);
	return due;
}

GPtrArray *
store_outbox_due(struct store *s, gint64 now, int limit)
{
	sqlite3_stmt *st;

	if ((st = stmt(s, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE"
	    " state = 'queued' AND next_attempt <= ? ORDER BY id LIMIT ?")) == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int(st, 2, limit);
	return outbox_rows(s, st);
}

GPtrArray *
store_outbox_list(struct store *s, const char *survey, const char *kind)
{
	sqlite3_stmt *st;

	if ((st = stmt(s, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE"
	    " survey = ? AND (?2 IS NULL OR kind = ?2) ORDER BY id")) == NULL)
		return NULL;
	bind_text(st, 1, survey);
	bind_text(st, 2, kind);
	return outbox_rows(s, st);
}

int
store_outbox_result(struct store *s, gint64 id, const char *state,
    gint64 sent, gint64 next_attempt, const char *error)
{
	sqlite3_stmt *st;

	if ((st = stmt(s, "UPDATE outbox SET state = ?, sent = nullif(?, 0),"
	    " next_attempt = ?, error = ?, attempts = attempts + 1"
	    " WHERE id = ?")) == NULL)
		return -1;
	bind_text(st, 1, state);
	sqlite3_bind_int64(st, 2, sent);
	sqlite3_bind_int64(st, 3, next_attempt);
	bind_text(st, 4, error);
	sqlite3_bind_int64(st, 5, id);
	return stmt_done(s, st, "recording a mail's outcome");
}

int
store_outbox_bounce(struct store *s, const char *message_id, const char *why)
{
	sqlite3_stmt *st;

	if ((st = stmt(s, "UPDATE outbox SET state = 'bounced', error = ?"
	    " WHERE message_id = ?")) == NULL)
		return -1;
	bind_text(st, 1, why);
	bind_text(st, 2, message_id);
	if (stmt_done(s, st, "recording a bounce") == -1)
		return -1;
	return sqlite3_changes(s->db) > 0;
}

gint64
store_outbox_last_to(struct store *s, const char *kind, const char *address)
{
	sqlite3_stmt *st;
	gint64 v = 0;

	if ((st = stmt(s, "SELECT max(created) FROM outbox WHERE kind = ? AND"
	    " recipients = lower(?)")) == NULL)
		return 0;
	bind_text(st, 1, kind);
	bind_text(st, 2, address);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	stmt_release(st);
	return v;
}

/* --- submissions ------------------------------------------------------ */

static void
answer_free(gpointer p)
{
	struct answer *a = p;

	g_free(a->field);
	g_free(a->value);
	g_free(a->cell);
	g_free(a);
}

struct submission *
submission_new(void)
{
	struct submission *sub = g_new0(struct submission, 1);

	sub->answers = g_ptr_array_new_with_free_func(answer_free);
	sub->flags = g_strdup("");
	issues_init(&sub->issues);
	return sub;
}

void
submission_free(struct submission *sub)
{
	if (sub == NULL)
		return;
	g_free(sub->survey);
	g_free(sub->sha256);
	g_free(sub->rawpath);
	g_free(sub->respondent);
	g_free(sub->state);
	g_free(sub->source);
	g_free(sub->filename);
	g_free(sub->sender);
	g_free(sub->subject);
	g_free(sub->message_id);
	g_free(sub->form_id);
	g_free(sub->form_version);
	g_free(sub->identified_by);
	g_free(sub->flags);
	g_ptr_array_unref(sub->answers);
	issues_clear(&sub->issues);
	g_free(sub);
}

void
submission_answer_add(struct submission *sub, const char *field,
    const char *value, const char *cell)
{
	struct answer *a = g_new0(struct answer, 1);

	a->field = g_strdup(field);
	a->value = g_strdup(value);
	a->cell = g_strdup(cell);
	g_ptr_array_add(sub->answers, a);
}

void
submission_flag_add(struct submission *sub, const char *flag)
{
	char *n;

	n = *sub->flags ? g_strconcat(sub->flags, " ", flag, NULL) :
	    g_strdup(flag);
	g_free(sub->flags);
	sub->flags = n;
}

static int
submission_details_insert(struct store *s, const struct submission *sub)
{
	sqlite3_stmt *st;
	const struct answer *a;
	const struct issue *is;
	guint i;

	for (i = 0; i < sub->answers->len; i++) {
		a = sub->answers->pdata[i];
		if ((st = stmt(s, "INSERT INTO answer (submission, field, value,"
		    " cell) VALUES (?, ?, ?, ?)")) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, sub->id);
		bind_text(st, 2, a->field);
		bind_text(st, 3, a->value);
		bind_text(st, 4, a->cell);
		if (stmt_done(s, st, "storing an answer") == -1)
			return -1;
	}
	for (i = 0; i < sub->issues.v->len; i++) {
		is = sub->issues.v->pdata[i];
		if ((st = stmt(s, "INSERT INTO issue (submission, seq, code,"
		    " field, cell, message) VALUES (?, ?, ?, ?, ?, ?)")) == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, sub->id);
		sqlite3_bind_int(st, 2, (int)i);
		bind_text(st, 3, issue_code_name(is->code));
		bind_text(st, 4, is->field);
		bind_text(st, 5, is->cell);
		bind_text(st, 6, is->message);
		if (stmt_done(s, st, "storing an issue") == -1)
			return -1;
	}
	return 0;
}

int
store_submission_add(struct store *s, struct submission *sub, int *duplicate)
{
	sqlite3_stmt *st;
	int rc;

	*duplicate = 0;
	if ((st = stmt(s, "INSERT INTO submission (survey, sha256, respondent,"
	    " state, source, filename, sender, subject, message_id, received,"
	    " form_id, form_version, identified_by, flags, markers) VALUES (?,"
	    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (survey, sha256)"
	    " DO NOTHING RETURNING id")) == NULL)
		return -1;
	bind_text(st, 1, sub->survey);
	bind_text(st, 2, sub->sha256);
	bind_text(st, 3, sub->respondent);
	bind_text(st, 4, sub->state);
	bind_text(st, 5, sub->source);
	bind_text(st, 6, sub->filename);
	bind_text(st, 7, sub->sender);
	bind_text(st, 8, sub->subject);
	bind_text(st, 9, sub->message_id);
	sqlite3_bind_int64(st, 10, sub->received);
	bind_text(st, 11, sub->form_id);
	bind_text(st, 12, sub->form_version);
	bind_text(st, 13, sub->identified_by);
	bind_text(st, 14, sub->flags);
	sqlite3_bind_int(st, 15, (int)sub->markers);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		sub->id = sqlite3_column_int64(st, 0);
	stmt_release(st);
	if (rc == SQLITE_DONE) {
		/* The UNIQUE constraint said no: this file is already here. */
		*duplicate = 1;
		if ((st = stmt(s, "SELECT id FROM submission WHERE survey = ?"
		    " AND sha256 = ?")) == NULL)
			return -1;
		bind_text(st, 1, sub->survey);
		bind_text(st, 2, sub->sha256);
		if (sqlite3_step(st) == SQLITE_ROW)
			sub->id = sqlite3_column_int64(st, 0);
		stmt_release(st);
		return 0;
	}
	if (rc != SQLITE_ROW)
		return store_fail(s, "storing a submission");
	return submission_details_insert(s, sub);
}

int
store_submission_update(struct store *s, const struct submission *sub)
{
	sqlite3_stmt *st;

	if ((st = stmt(s, "UPDATE submission SET respondent = ?, state = ?,"
	    " flags = ?, identified_by = ?, form_version = ? WHERE id = ?")) == NULL)
		return -1;
	bind_text(st, 1, sub->respondent);
	bind_text(st, 2, sub->state);
	bind_text(st, 3, sub->flags);
	bind_text(st, 4, sub->identified_by);
	bind_text(st, 5, sub->form_version);
	sqlite3_bind_int64(st, 6, sub->id);
	if (stmt_done(s, st, "updating a submission") == -1)
		return -1;
	if ((st = stmt(s, "DELETE FROM answer WHERE submission = ?")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, sub->id);
	if (stmt_done(s, st, "replacing answers") == -1)
		return -1;
	if ((st = stmt(s, "DELETE FROM issue WHERE submission = ?")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, sub->id);
	if (stmt_done(s, st, "replacing issues") == -1)
		return -1;
	return submission_details_insert(s, sub);
}

static void
submission_details_load(struct store *s, struct submission *sub)
{
	sqlite3_stmt *st;

	if ((st = stmt(s, "SELECT field, value, cell FROM answer WHERE"
	    " submission = ? ORDER BY rowid")) != NULL) {
		sqlite3_bind_int64(st, 1, sub->id);
		while (sqlite3_step(st) == SQLITE_ROW)
			submission_answer_add(sub,
			    (const char *)sqlite3_column_text(st, 0),
			    (const char *)sqlite3_column_text(st, 1),
			    (const char *)sqlite3_column_text(st, 2));
		stmt_release(st);
	}
	store_submission_issues(s, sub->id, &sub->issues);
}

struct submission *
store_submission_load(struct store *s, gint64 id)
{
	sqlite3_stmt *st;
	struct submission *sub = NULL;

	if ((st = stmt(s, "SELECT survey, sha256, respondent, state, source,"
	    " filename, sender, subject, message_id, received, form_id,"
	    " form_version, identified_by, flags, markers FROM submission"
	    " WHERE id = ?")) == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW) {
		sub = submission_new();
		sub->id = id;
		sub->survey = column_text(st, 0);
		sub->sha256 = column_text(st, 1);
		sub->respondent = column_text(st, 2);
		sub->state = column_text(st, 3);
		sub->source = column_text(st, 4);
		sub->filename = column_text(st, 5);
		sub->sender = column_text(st, 6);
		sub->subject = column_text(st, 7);
		sub->message_id = column_text(st, 8);
		sub->received = sqlite3_column_int64(st, 9);
		sub->form_id = column_text(st, 10);
		sub->form_version = column_text(st, 11);
		sub->identified_by = column_text(st, 12);
		g_free(sub->flags);
		sub->flags = column_text(st, 13);
		sub->markers = (unsigned)sqlite3_column_int(st, 14);
	}
	stmt_release(st);
	if (sub != NULL)
		submission_details_load(s, sub);
	return sub;
}

static GArray *
query_ids(struct store *s, const char *sql, const char *survey)
{
	sqlite3_stmt *st;
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	gint64 id;

	if ((st = stmt(s, sql)) == NULL)
		return ids;
	bind_text(st, 1, survey);
	while (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		g_array_append_val(ids, id);
	}
	stmt_release(st);
	return ids;
}

GArray *
store_submission_ids(struct store *s, const char *survey)
{
	return query_ids(s, "SELECT id FROM submission WHERE survey = ?"
	    " ORDER BY id", survey);
}

GArray *
store_unmatched_ids(struct store *s, const char *survey)
{
	return query_ids(s, "SELECT id FROM submission WHERE survey = ? AND"
	    " respondent IS NULL ORDER BY received DESC, id DESC", survey);
}

int
store_event_add(struct store *s, gint64 now, const char *survey,
    const char *respondent, gint64 submission, const char *kind,
    const char *actor, const char *detail)
{
	sqlite3_stmt *st;

	if ((st = stmt(s, "INSERT INTO event (time, survey, respondent,"
	    " submission, kind, actor, detail) VALUES (?, ?, ?, ?, ?, ?, ?)")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, now);
	bind_text(st, 2, survey);
	bind_text(st, 3, respondent);
	if (submission > 0)
		sqlite3_bind_int64(st, 4, submission);
	else
		sqlite3_bind_null(st, 4);
	bind_text(st, 5, kind);
	bind_text(st, 6, actor);
	bind_text(st, 7, detail);
	return stmt_done(s, st, "logging an event");
}

/* --- status ----------------------------------------------------------- */

/*
 * A mail to the respondent's current address bounced or failed: the
 * secretary should phone.  "Sent" proves nothing (a bounce comes later),
 * so only a mail to another address, after the roster was fixed, clears
 * it.  The address is the first recipient (a late reminder adds cc).
 */
static int
address_failing(struct store *s, const char *survey, const char *code)
{
	char *v = query_text(s, "WITH m AS (SELECT id, state, CASE WHEN"
	    " instr(recipients, ',') > 0 THEN substr(recipients, 1,"
	    " instr(recipients, ',') - 1) ELSE recipients END AS addr FROM"
	    " outbox WHERE survey = ? AND respondent = ?2 AND recipients IS"
	    " NOT NULL) SELECT 1 FROM m WHERE state IN ('bounced', 'failed')"
	    " AND addr = (SELECT addr FROM m ORDER BY id DESC LIMIT 1) LIMIT 1",
	    survey, code);
	int failing = v != NULL;

	g_free(v);
	return failing;
}

int
store_respondent_status(struct store *s, const char *survey, const char *code,
    struct respondent_status *rs)
{
	sqlite3_stmt *st;

	memset(rs, 0, sizeof(*rs));
	/*
	 * "Latest" is by receipt time, then by id: a mail received earlier
	 * but imported later does not supersede a newer reply.
	 */
	if ((st = stmt(s, "SELECT"
	    " (SELECT id FROM submission WHERE survey = ?1 AND respondent = ?2"
	    "   ORDER BY received DESC, id DESC LIMIT 1),"
	    " (SELECT id FROM submission WHERE survey = ?1 AND respondent = ?2"
	    "   AND state = 'accepted' ORDER BY received DESC, id DESC LIMIT 1),"
	    " (SELECT count(*) FROM submission WHERE survey = ?1 AND respondent = ?2),"
	    " (SELECT max(received) FROM submission WHERE survey = ?1 AND respondent = ?2),"
	    " (SELECT count(*) FROM outbox WHERE survey = ?1 AND respondent = ?2"
	    "   AND kind = 'reminder' AND state IN ('sent', 'bounced')),"
	    " (SELECT min(received) FROM submission WHERE survey = ?1 AND respondent = ?2)")) == NULL)
		return -1;
	bind_text(st, 1, survey);
	bind_text(st, 2, code);
	if (sqlite3_step(st) != SQLITE_ROW) {
		stmt_release(st);
		return store_fail(s, "reading the status");
	}
	rs->latest = sqlite3_column_int64(st, 0);
	rs->answer = sqlite3_column_int64(st, 1);
	rs->submissions = sqlite3_column_int64(st, 2);
	rs->last_reply = sqlite3_column_int64(st, 3);
	rs->reminders_sent = sqlite3_column_int64(st, 4);
	rs->first_reply = sqlite3_column_int64(st, 5);
	stmt_release(st);
	if (rs->latest != 0) {
		if ((st = stmt(s, "SELECT state, flags FROM submission WHERE"
		    " id = ?")) != NULL) {
			sqlite3_bind_int64(st, 1, rs->latest);
			if (sqlite3_step(st) == SQLITE_ROW) {
				rs->state = column_text(st, 0);
				rs->flags = column_text(st, 1);
			}
			stmt_release(st);
		}
	}
	if (rs->state == NULL)
		rs->state = g_strdup("pending");
	if (rs->flags == NULL)
		rs->flags = g_strdup("");
	if (address_failing(s, survey, code)) {
		char *f = g_strconcat(rs->flags, *rs->flags ? " " : "",
		    "address-failing", NULL);

		g_free(rs->flags);
		rs->flags = f;
	}
	return 0;
}

void
respondent_status_clear(struct respondent_status *rs)
{
	g_free(rs->state);
	g_free(rs->flags);
}

int
store_backup(struct store *s, const char *path)
{
	sqlite3_stmt *st;

	if ((st = stmt(s, "VACUUM INTO ?")) == NULL)
		return -1;
	bind_text(st, 1, path);
	return stmt_done(s, st, "backing up");
}

/* --- web page: reviews, a respondent's mail, mail problems ------------- */

int
store_review_set(struct store *s, gint64 submission, const char *state,
    const char *note, const char *actor, gint64 now)
{
	sqlite3_stmt *st;

	if ((st = stmt(s, "INSERT INTO review (submission, state, note, actor,"
	    " time) VALUES (?, ?, ?, ?, ?) ON CONFLICT (submission) DO UPDATE"
	    " SET state = excluded.state, note = excluded.note,"
	    " actor = excluded.actor, time = excluded.time")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, submission);
	bind_text(st, 2, state);
	bind_text(st, 3, note);
	bind_text(st, 4, actor);
	sqlite3_bind_int64(st, 5, now);
	return stmt_done(s, st, "recording a review");
}

int
store_review_get(struct store *s, gint64 submission, struct review *r)
{
	sqlite3_stmt *st;

	memset(r, 0, sizeof(*r));
	if ((st = stmt(s, "SELECT state, note, actor, time FROM review WHERE"
	    " submission = ?")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, submission);
	if (sqlite3_step(st) == SQLITE_ROW) {
		r->state = column_text(st, 0);
		r->note = column_text(st, 1);
		r->actor = column_text(st, 2);
		r->time = sqlite3_column_int64(st, 3);
	}
	stmt_release(st);
	if (r->state == NULL)
		r->state = g_strdup(STORE_REVIEW_RECEIVED);
	return 0;
}

void
review_clear(struct review *r)
{
	g_free(r->state);
	g_free(r->note);
	g_free(r->actor);
}

GPtrArray *
store_respondent_mails(struct store *s, const char *survey, const char *code)
{
	sqlite3_stmt *st;

	if ((st = stmt(s, "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE"
	    " survey = ? AND respondent = ? ORDER BY id")) == NULL)
		return NULL;
	bind_text(st, 1, survey);
	bind_text(st, 2, code);
	return outbox_rows(s, st);
}

static void
survey_row_free(gpointer p)
{
	struct survey_status_row *row = p;

	respondent_status_clear(&row->st);
	issues_clear(&row->issues);
	g_free(row);
}

/*
 * The latest submission of each respondent, with its figures: one scan
 * in (respondent, newest first) order, so the first row of a respondent
 * is its latest and its first accepted one is its answer, as
 * store_respondent_status() has them.
 */
static int
survey_rows_latest(struct store *s, const char *survey, GHashTable *rows,
    GHashTable *by_latest)
{
	struct survey_status_row *row;
	const char *who, *state;
	sqlite3_stmt *st;
	gint64 received;

	if ((st = stmt(s, "SELECT respondent, id, state, flags, received FROM"
	    " submission WHERE survey = ? AND respondent IS NOT NULL"
	    " ORDER BY respondent, received DESC, id DESC")) == NULL)
		return -1;
	bind_text(st, 1, survey);
	while (sqlite3_step(st) == SQLITE_ROW) {
		who = (const char *)sqlite3_column_text(st, 0);
		received = sqlite3_column_int64(st, 4);
		if ((row = g_hash_table_lookup(rows, who)) == NULL) {
			row = g_new0(struct survey_status_row, 1);
			issues_init(&row->issues);
			row->st.latest = sqlite3_column_int64(st, 1);
			row->st.state = column_text(st, 2);
			row->st.flags = column_text(st, 3);
			row->st.last_reply = received;
			g_hash_table_replace(rows, g_strdup(who), row);
			g_hash_table_insert(by_latest, &row->st.latest, row);
		}
		row->st.submissions++;
		row->st.first_reply = received;
		state = (const char *)sqlite3_column_text(st, 2);
		if (row->st.answer == 0 && strcmp(state, "accepted") == 0)
			row->st.answer = sqlite3_column_int64(st, 1);
	}
	stmt_release(st);
	return 0;
}

/* Reminders sent and failed mail, per respondent, from the outbox. */
static int
survey_rows_mail(struct store *s, const char *survey, GHashTable *rows)
{
	struct survey_status_row *row;
	sqlite3_stmt *st;

	if ((st = stmt(s, "SELECT respondent, sum(kind = 'reminder' AND"
	    " state = 'sent'), sum(error IS NOT NULL OR state IN ('failed',"
	    " 'bounced')) FROM outbox WHERE survey = ? GROUP BY respondent")) == NULL)
		return -1;
	bind_text(st, 1, survey);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if ((row = g_hash_table_lookup(rows,
		    (const char *)sqlite3_column_text(st, 0))) == NULL) {
			row = g_new0(struct survey_status_row, 1);
			issues_init(&row->issues);
			g_hash_table_replace(rows, column_text(st, 0), row);
		}
		row->st.reminders_sent = sqlite3_column_int64(st, 1);
		row->mail_problems = sqlite3_column_int64(st, 2);
	}
	stmt_release(st);
	return 0;
}

/* The issues of every latest submission, in one pass. */
static int
survey_rows_issues(struct store *s, const char *survey, GHashTable *by_latest)
{
	struct survey_status_row *row;
	sqlite3_stmt *st;
	gint64 id;
	char *code;

	if ((st = stmt(s, "SELECT issue.submission, code, field, cell, message"
	    " FROM issue JOIN submission ON submission.id = issue.submission"
	    " WHERE submission.survey = ? AND submission.respondent IS NOT NULL"
	    " ORDER BY issue.submission, seq")) == NULL)
		return -1;
	bind_text(st, 1, survey);
	while (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if ((row = g_hash_table_lookup(by_latest, &id)) == NULL)
			continue;
		code = column_text(st, 1);
		issues_add_raw(&row->issues, issue_code_parse(code),
		    (const char *)sqlite3_column_text(st, 2),
		    (const char *)sqlite3_column_text(st, 3),
		    (const char *)sqlite3_column_text(st, 4));
		g_free(code);
	}
	stmt_release(st);
	return 0;
}

GHashTable *
store_survey_status(struct store *s, const char *survey)
{
	GHashTable *rows, *by_latest;
	int rc;

	rows = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
	    survey_row_free);
	by_latest = g_hash_table_new(g_int64_hash, g_int64_equal);
	rc = survey_rows_latest(s, survey, rows, by_latest);
	if (rc == 0)
		rc = survey_rows_mail(s, survey, rows);
	if (rc == 0)
		rc = survey_rows_issues(s, survey, by_latest);
	g_hash_table_unref(by_latest);
	if (rc == -1) {
		g_hash_table_unref(rows);
		return NULL;
	}
	return rows;
}

gint64
store_survey_answered(struct store *s, const char *survey)
{
	sqlite3_stmt *st;
	gint64 n = 0;

	if ((st = stmt(s, "SELECT count(DISTINCT respondent) FROM submission"
	    " WHERE survey = ? AND state = 'accepted' AND respondent IS NOT"
	    " NULL")) == NULL)
		return 0;
	bind_text(st, 1, survey);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	stmt_release(st);
	return n;
}

GArray *
store_respondent_submission_ids(struct store *s, const char *survey,
    const char *code)
{
	GArray *ids = g_array_new(FALSE, FALSE, sizeof(gint64));
	sqlite3_stmt *st;
	gint64 id;

	if ((st = stmt(s, "SELECT id FROM submission WHERE survey = ? AND"
	    " respondent = ? ORDER BY received DESC, id DESC")) == NULL)
		return ids;
	bind_text(st, 1, survey);
	bind_text(st, 2, code);
	while (sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		g_array_append_val(ids, id);
	}
	stmt_release(st);
	return ids;
}

int
store_submission_issues(struct store *s, gint64 submission, struct issues *is)
{
	sqlite3_stmt *st;
	char *code;

	if ((st = stmt(s, "SELECT code, field, cell, message FROM issue WHERE"
	    " submission = ? ORDER BY seq")) == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, submission);
	while (sqlite3_step(st) == SQLITE_ROW) {
		code = column_text(st, 0);
		issues_add_raw(is, issue_code_parse(code),
		    (const char *)sqlite3_column_text(st, 1),
		    (const char *)sqlite3_column_text(st, 2),
		    (const char *)sqlite3_column_text(st, 3));
		g_free(code);
	}
	stmt_release(st);
	return 0;
}

char *
store_submission_mail_path(struct store *s, gint64 submission)
{
	sqlite3_stmt *st;
	char *v = NULL;

	if ((st = stmt(s, "SELECT raw.path FROM submission JOIN mailbox_message"
	    " m ON m.message_id = submission.message_id JOIN raw ON"
	    " raw.sha256 = m.sha256 WHERE submission.id = ? LIMIT 1")) == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, submission);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = column_text(st, 0);
	stmt_release(st);
	return v;
}
