/*
 * intake.c — one reply from bytes to a stored submission.
 */
#include <string.h>

#include "archive.h"
#include "file.h"
#include "identify.h"
#include "intake.h"
#include "log.h"
#include "reply.h"
#include "validate.h"

/* A raw message archived, waiting for its row in the raw table. */
struct message {
	char	sha256[ARCHIVE_SHA256_LEN];
	gint64	size;
	char	*path;
};

static void
message_free(gpointer v)
{
	struct message *m = v;

	g_free(m->path);
	g_free(m);
}

void
intake_init(struct intake *in, const struct config *c, struct store *s,
    gint64 now)
{
	in->config = c;
	in->store = s;
	in->sandbox = sandbox_new(&c->limits);
	in->now = now;
	in->messages = g_ptr_array_new_with_free_func(message_free);
	in->log = 0;
}

void
intake_clear(struct intake *in)
{
	sandbox_free(in->sandbox);
	in->sandbox = NULL;
	g_clear_pointer(&in->messages, g_ptr_array_unref);
}

int
intake_message_archive(struct intake *in, const char *name,
    const unsigned char *data, size_t len)
{
	struct message *m = g_new0(struct message, 1);
	char err[GRID_ERRLEN];

	archive_sha256(data, len, m->sha256);
	m->size = (gint64)len;
	if (archive_put(in->config->archive, data, len, m->sha256, &m->path,
	    err, sizeof(err)) == -1) {
		log_err("%s: cannot archive: %s", name, err);
		message_free(m);
		return -1;
	}
	g_ptr_array_add(in->messages, m);
	return 0;
}

/*
 * What is not a form answers nothing, whoever sent it: it stays out of
 * every respondent's state and waits among the unattributed replies.
 */
static void
reject(struct submission *sub, const char *lang, const char *reason)
{
	issues_add(&sub->issues, lang, ISSUE_NOT_A_FORM, NULL, NULL,
	    sub->filename ? sub->filename : "?", "", reason);
	g_free(sub->state);
	sub->state = g_strdup("not-a-form");
	g_clear_pointer(&sub->respondent, g_free);
	g_clear_pointer(&sub->identified_by, g_free);
}

/* A file over max-attachment-size is refused before any reader sees it. */
static int
intake_too_big(const struct intake *in, size_t len, char *err, size_t errlen)
{
	if (len <= in->config->max_attachment)
		return 0;
	g_snprintf(err, errlen, "the file has %zu bytes, over the limit of "
	    "%zu (max-attachment-size)", len, in->config->max_attachment);
	return 1;
}

static struct grid *
intake_parse(struct intake *in, const unsigned char *data, size_t len,
    char *err, size_t errlen)
{
	if (intake_too_big(in, len, err, errlen))
		return NULL;
	return sandbox_grid_read(in->sandbox, data, len, err, errlen);
}

static void
identity_apply(struct intake *in, const struct survey *sv,
    const struct reply *r, struct submission *sub, const char *respondent)
{
	struct identify_input id = { 0 };
	struct identify_result res;
	char *token_code = NULL;
	char *sender = NULL;

	if (r != NULL && r->token != NULL)
		token_code = store_token_respondent(in->store, sv->id, r->token);
	if (sub->sender != NULL)
		sender = g_ascii_strdown(sub->sender, -1);
	id.override = respondent;
	id.token_code = token_code;
	id.sender = sender;
	id.subject = sub->subject;
	id.form_code = r ? r->respondent : NULL;
	id.form_texts = r ? r->header_texts : NULL;
	identify_respondent(sv->roster, sv->organiser, &id, &res);
	g_free(sub->respondent);
	g_free(sub->identified_by);
	sub->respondent = res.respondent ? g_strdup(res.respondent->code) : NULL;
	sub->identified_by = res.respondent ? g_strdup(res.method) : NULL;
	if (res.mismatch)
		submission_flag_add(sub, "mismatch");
	g_free(token_code);
	g_free(sender);
}

static void
timing_flags(const struct survey *sv, struct submission *sub)
{
	if (sv->deadline != 0 && sub->received > sv->deadline)
		submission_flag_add(sub, "late");
	if (sv->closes != 0 && sub->received > sv->closes)
		submission_flag_add(sub, "after-close");
}

/* A reply from the right form, or the reason it is not one. */
static const char *
form_check(const struct survey *sv, const struct reply *r, guint located,
    struct submission *sub)
{
	const struct definition *d = sv->def;

	if (r->form_id != NULL && strcmp(r->form_id, d->form_id) != 0)
		return "it is a reply to another questionnaire";
	if (located == 0)
		return "no question of the form was found in it";
	if (r->version != NULL && strcmp(r->version, d->version) != 0)
		issues_add(&sub->issues, sv->language, ISSUE_VERSION, NULL,
		    NULL, r->version, "", d->version);
	return NULL;
}

/* Everything that follows from the grid, the clues and the definition. */
static void
intake_evaluate(struct intake *in, const struct survey *sv,
    const struct grid *g, const char *parse_err, struct submission *sub,
    const char *respondent)
{
	struct reply r;
	const char *why;
	guint located = 0;

	g_ptr_array_set_size(sub->answers, 0);
	issues_clear(&sub->issues);
	issues_init(&sub->issues);
	g_free(sub->flags);
	sub->flags = g_strdup("");
	memset(&r, 0, sizeof(r));
	if (g == NULL) {
		identity_apply(in, sv, NULL, sub, respondent);
		reject(sub, sv->language, parse_err);
	} else {
		located = reply_read(g, sv->def, sv->language, &r, &sub->issues);
		g_free(sub->form_id);
		g_free(sub->form_version);
		sub->form_id = g_strdup(r.form_id ? r.form_id : sv->def->form_id);
		sub->form_version = g_strdup(r.version);
		identity_apply(in, sv, &r, sub, respondent);
		if ((why = form_check(sv, &r, located, sub)) != NULL)
			reject(sub, sv->language, why);
		else {
			validate_reply(sv->def, &r, sv->language, sub);
			g_free(sub->state);
			sub->state = g_strdup(validate_state(&sub->issues));
			if (sub->answers->len == 0)
				submission_flag_add(sub, "blank");
		}
	}
	timing_flags(sv, sub);
	if (sub->respondent == NULL && strcmp(sub->state, "not-a-form") != 0) {
		issues_add(&sub->issues, sv->language, ISSUE_UNMATCHED, NULL,
		    NULL, sub->sender ? " — " : "", sub->sender ? sub->sender : "");
		g_free(sub->state);
		sub->state = g_strdup("unmatched");
	}
	reply_clear(&r);
}

static enum intake_result
intake_result_of(const struct submission *sub, int duplicate)
{
	if (duplicate)
		return INTAKE_DUPLICATE;
	return sub->respondent != NULL && strcmp(sub->state, "not-a-form") != 0 ?
	    INTAKE_STORED : INTAKE_REJECTED;
}

static int
messages_record(struct intake *in)
{
	const struct message *m;
	guint i;

	for (i = 0; i < in->messages->len; i++) {
		m = in->messages->pdata[i];
		if (store_raw_add(in->store, m->sha256, m->size, m->path,
		    in->now) == -1)
			return -1;
	}
	return 0;
}

int
intake_commit(struct intake *in, GPtrArray *subs, enum intake_result *results)
{
	struct submission *sub;
	char err[512];
	int duplicate;
	guint i;

	for (i = 0; i < subs->len; i++)
		results[i] = INTAKE_FAILED;
	if (archive_sync(in->config->archive, err, sizeof(err)) == -1) {
		log_err("%s", err);
		return -1;
	}
	if (store_begin(in->store) == -1)
		goto fail;
	if (messages_record(in) == -1) {
		store_rollback(in->store);
		goto fail;
	}
	for (i = 0; i < subs->len; i++) {
		sub = subs->pdata[i];
		if (store_raw_add(in->store, sub->sha256, sub->size,
		    sub->rawpath, in->now) == -1 ||
		    store_submission_add(in->store, sub, &duplicate) == -1 ||
		    (!duplicate && store_event_add(in->store, in->now,
		    sub->survey, sub->respondent, sub->id, "submission",
		    "intake", sub->state) == -1)) {
			store_rollback(in->store);
			goto fail;
		}
		results[i] = intake_result_of(sub, duplicate);
	}
	if (store_commit(in->store) == 0) {
		g_ptr_array_set_size(in->messages, 0);
		return 0;
	}
	store_rollback(in->store);
fail:
	g_ptr_array_set_size(in->messages, 0);
	log_err("cannot store: %s", store_error(in->store));
	for (i = 0; i < subs->len; i++)
		results[i] = INTAKE_FAILED;
	return -1;
}

/* A submission for a file, its bytes archived; NULL when they could not be. */
static struct submission *
intake_submission_begin(struct intake *in, const struct survey *sv,
    const struct intake_file *f)
{
	struct submission *sub = submission_new();
	char sha[ARCHIVE_SHA256_LEN], err[GRID_ERRLEN];

	archive_sha256(f->data, f->len, sha);
	sub->survey = g_strdup(sv->id);
	sub->sha256 = g_strdup(sha);
	sub->size = (gint64)f->len;
	sub->state = g_strdup("not-a-form");
	sub->source = g_strdup(f->source);
	sub->filename = g_strdup(f->filename);
	sub->sender = g_strdup(f->sender);
	sub->markers = f->markers;
	sub->subject = g_strdup(f->subject);
	sub->message_id = g_strdup(f->message_id);
	sub->received = f->received;
	if (archive_put(in->config->archive, f->data, f->len, sha,
	    &sub->rawpath, err, sizeof(err)) == -1) {
		log_err("%s: cannot archive: %s", f->filename, err);
		submission_free(sub);
		return NULL;
	}
	return sub;
}

struct prepare_batch {
	struct intake			*in;
	const struct survey		*sv;
	const struct intake_file	*files;
	struct submission		**subs;
	size_t				*index;		/* parser job → file */
};

/* Archives file i and works out its submission from what was read. */
static void
prepare_one(struct prepare_batch *b, size_t i, const struct grid *g,
    const char *err)
{
	const struct intake_file *f = &b->files[i];

	if ((b->subs[i] = intake_submission_begin(b->in, b->sv, f)) != NULL)
		intake_evaluate(b->in, b->sv, g, err, b->subs[i], f->respondent);
}

static void
prepare_done(void *arg, size_t job, struct grid *g, const char *err)
{
	struct prepare_batch *b = arg;

	prepare_one(b, b->index[job], g, err);
	grid_free(g);
}

void
intake_files_prepare(struct intake *in, const struct survey *sv,
    const struct intake_file *files, size_t n, struct submission **subs)
{
	struct prepare_batch b = { in, sv, files, subs, NULL };
	const unsigned char **data = g_new(const unsigned char *, n + 1);
	size_t *len = g_new(size_t, n + 1), i, jobs = 0;
	char err[GRID_ERRLEN];

	/* The archive is written while the children read, not before. */
	b.index = g_new(size_t, n + 1);
	for (i = 0; i < n; i++) {
		subs[i] = NULL;
		if (intake_too_big(in, files[i].len, err, sizeof(err))) {
			prepare_one(&b, i, NULL, err);
			continue;
		}
		data[jobs] = files[i].data;
		len[jobs] = files[i].len;
		b.index[jobs++] = i;
	}
	sandbox_read_many(in->sandbox, jobs, data, len, prepare_done, &b);
	g_free(b.index);
	g_free(data);
	g_free(len);
}

int
intake_submission_redo(struct intake *in, const struct survey *sv,
    struct submission *sub, const char *respondent)
{
	unsigned char *data;
	struct grid *g;
	char *path, err[GRID_ERRLEN];
	size_t len;

	if ((path = store_raw_path(in->store, sub->sha256)) == NULL) {
		log_err("submission %" G_GINT64_FORMAT ": its file is not in "
		    "the archive", sub->id);
		return -1;
	}
	if (file_read(path, in->config->max_message, &data, &len, err,
	    sizeof(err)) == -1) {
		log_err("submission %" G_GINT64_FORMAT ": %s", sub->id, err);
		g_free(path);
		return -1;
	}
	g_free(path);
	g = intake_parse(in, data, len, err, sizeof(err));
	g_free(data);
	intake_evaluate(in, sv, g, err, sub, respondent);
	grid_free(g);
	if (store_begin(in->store) == -1)
		return -1;
	if (store_submission_update(in->store, sub) == -1) {
		store_rollback(in->store);
		return -1;
	}
	return store_commit(in->store);
}
