/*
 * mailin.c — the intake batch shared by `import` and `poll`: files and
 * messages join it, it is stored in one transaction, each file reported.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "mailin.h"
#include "mime.h"

#define MAILIN_BATCH_FILES	64
#define MAILIN_BATCH_BYTES	(64u * 1024 * 1024)

static struct mailin_slot *
slot_at(struct mailin_batch *b, guint i)
{
	return &g_array_index(b->slots, struct mailin_slot, i);
}

static guint
slot_new(struct mailin_batch *b, int rc)
{
	struct mailin_slot s = { rc, g_string_new(NULL) };

	mailin_worst(b, rc);
	g_array_append_val(b->slots, s);
	return b->slots->len - 1;
}

/* A refusal, said on stderr and kept with its slot for the caller. */
static void
slot_refuse(struct mailin_batch *b, guint slot, const char *label,
    const char *why)
{
	log_err("%s: %s", label, why);
	g_string_append_printf(slot_at(b, slot)->why, "%s: %s\n", label, why);
}

static void
slots_clear(struct mailin_batch *b)
{
	guint i;

	for (i = 0; i < b->slots->len; i++)
		g_string_free(slot_at(b, i)->why, TRUE);
	g_array_set_size(b->slots, 0);
}

static const char *
result_word(enum intake_result r)
{
	switch (r) {
	case INTAKE_DUPLICATE:
		return "duplicate of";
	case INTAKE_FAILED:
		return "not stored (store failed):";
	default:
		return "stored as";
	}
}

/*
 * A file's outcome: printed for a command's caller, or, in the daemon,
 * logged with the journal fields that find it again (SURVEY=, RESPONDENT=).
 */
static void
mailin_report(struct mailin_batch *b, guint file, enum intake_result r,
    const struct submission *sub, const struct survey *sv)
{
	const char *label = b->labels->pdata[file];
	const struct respondent *who = sub->respondent ?
	    roster_find(sv->roster, sub->respondent) : NULL;
	GString *line = g_string_new(NULL), *more = g_string_new(NULL);
	guint i;

	g_string_append_printf(line, "%s: %s submission %" G_GINT64_FORMAT
	    ": %s", label, result_word(r), sub->id, sub->state);
	if (who != NULL)
		g_string_append_printf(line, " (%s %s)", who->code, who->name);
	if (*sub->flags)
		g_string_append_printf(line, " [%s]", sub->flags);
	for (i = 0; r != INTAKE_DUPLICATE && i < sub->issues.v->len; i++) {
		const struct issue *is = sub->issues.v->pdata[i];

		/* Rejections are errors: stderr, one line, naming the file. */
		if (issue_code_weight(is->code) == ISSUE_REJECTED)
			slot_refuse(b, g_array_index(b->owners, guint, file),
			    label, is->message);
		else
			g_string_append_printf(more, b->log ? "; %s" :
			    "\n  %s", is->message);
	}
	if (b->log)
		log_fields(LOG_LEVEL_INFO, sv->id, sub->respondent,
		    sub->message_id, "%s%s%s", line->str, more->len ? " —" :
		    "", more->len ? more->str + 1 : "");
	else
		printf("%s%s\n", line->str, more->str);
	g_string_free(more, TRUE);
	g_string_free(line, TRUE);
}

void
mailin_batch_init(struct mailin_batch *b)
{
	b->files = g_array_new(FALSE, TRUE, sizeof(struct intake_file));
	b->owners = g_array_new(FALSE, FALSE, sizeof(guint));
	b->slots = g_array_new(FALSE, FALSE, sizeof(struct mailin_slot));
	b->done = NULL;
	b->done_arg = NULL;
	b->log = 0;
	b->labels = g_ptr_array_new_with_free_func(g_free);
	b->buffers = g_ptr_array_new_with_free_func(g_free);
	b->mails = g_ptr_array_new_with_free_func((GDestroyNotify)mail_free);
	b->bytes = 0;
	b->worst = EXIT_OK;
}

void
mailin_batch_free(struct mailin_batch *b)
{
	g_array_unref(b->files);
	g_array_unref(b->owners);
	slots_clear(b);
	g_array_unref(b->slots);
	g_ptr_array_unref(b->labels);
	g_ptr_array_unref(b->buffers);
	g_ptr_array_unref(b->mails);
}

int
mailin_worse(int a, int b)
{
	/* Runtime failure outranks rejection: it needs the admin. */
	if (a == EXIT_RUNTIME || b == EXIT_RUNTIME)
		return EXIT_RUNTIME;
	return a == EXIT_REJECTED || b == EXIT_REJECTED ? EXIT_REJECTED : EXIT_OK;
}

void
mailin_worst(struct mailin_batch *b, int rc)
{
	b->worst = mailin_worse(b->worst, rc);
}

static void
batch_clear(struct mailin_batch *b)
{
	g_array_set_size(b->files, 0);
	g_array_set_size(b->owners, 0);
	slots_clear(b);
	g_ptr_array_set_size(b->labels, 0);
	g_ptr_array_set_size(b->buffers, 0);
	g_ptr_array_set_size(b->mails, 0);
	b->bytes = 0;
}

/* A file's outcome is its slot's too. */
static void
file_outcome(struct mailin_batch *b, guint i, int rc)
{
	struct mailin_slot *s = slot_at(b, g_array_index(b->owners, guint, i));

	mailin_worst(b, rc);
	s->rc = mailin_worse(s->rc, rc);
}

/* Nothing was stored: every slot must be tried again. */
static void
slots_fail(struct mailin_batch *b)
{
	guint i;

	mailin_worst(b, EXIT_RUNTIME);
	for (i = 0; i < b->slots->len; i++)
		slot_at(b, i)->rc = EXIT_RUNTIME;
}

static void
slots_tell(struct mailin_batch *b)
{
	struct mailin_slot *s;
	guint i;

	for (i = 0; b->done != NULL && i < b->slots->len; i++) {
		s = slot_at(b, i);
		b->done(b->done_arg, i, s->rc, s->why->str);
	}
}

void
mailin_flush(struct intake *in, const struct survey *sv, struct mailin_batch *b)
{
	struct submission **subs;
	enum intake_result *results, *sres;
	GPtrArray *stored;
	guint i, k, *where, n = b->files->len;

	/* A mail with nothing to store still has its own row to commit. */
	if (n == 0 && in->messages->len == 0 && b->slots->len == 0)
		return;
	subs = g_new0(struct submission *, n);
	results = g_new(enum intake_result, n);
	where = g_new(guint, n);
	intake_files_prepare(in, sv, (struct intake_file *)b->files->data, n,
	    subs);
	/* Files that could not even be archived are not stored: failed. */
	stored = g_ptr_array_new();
	for (i = 0; i < n; i++) {
		results[i] = INTAKE_FAILED;
		if (subs[i] != NULL) {
			where[stored->len] = i;
			g_ptr_array_add(stored, subs[i]);
		}
	}
	sres = g_new(enum intake_result, stored->len + 1);
	if (intake_commit(in, stored, sres) == -1)
		slots_fail(b);
	for (k = 0; k < stored->len; k++)
		results[where[k]] = sres[k];
	for (i = 0; i < n; i++) {
		if (subs[i] != NULL)
			mailin_report(b, i, results[i], subs[i], sv);
		file_outcome(b, i, results[i] == INTAKE_FAILED ? EXIT_RUNTIME :
		    results[i] == INTAKE_REJECTED ? EXIT_REJECTED : EXIT_OK);
		submission_free(subs[i]);
	}
	slots_tell(b);
	g_ptr_array_unref(stored);
	g_free(sres);
	g_free(where);
	g_free(results);
	g_free(subs);
	batch_clear(b);
}

void
mailin_make_room(struct intake *in, const struct survey *sv,
    struct mailin_batch *b, size_t len)
{
	if (b->files->len > 0 && b->bytes + len > MAILIN_BATCH_BYTES)
		mailin_flush(in, sv, b);
}

int
mailin_batch_full(const struct mailin_batch *b)
{
	return b->files->len >= MAILIN_BATCH_FILES ||
	    b->bytes >= MAILIN_BATCH_BYTES;
}

void
mailin_flush_full(struct intake *in, const struct survey *sv,
    struct mailin_batch *b)
{
	if (b->files->len >= MAILIN_BATCH_FILES)
		mailin_flush(in, sv, b);
}

/* Adds a file whose bytes the batch already holds; label is taken. */
static void
batch_add(struct mailin_batch *b, const struct intake_file *f, char *label,
    guint slot)
{
	g_array_append_val(b->files, *f);
	g_array_append_val(b->owners, slot);
	g_ptr_array_add(b->labels, label);
	b->bytes += f->len;
}

guint
mailin_file(struct intake *in, const char *label, char *name,
    unsigned char *data, size_t len, const char *respondent,
    struct mailin_batch *b)
{
	struct intake_file f = { 0 };
	guint slot = slot_new(b, EXIT_OK);

	g_ptr_array_add(b->buffers, name);
	g_ptr_array_add(b->buffers, data);
	f.filename = name;
	f.data = data;
	f.len = len;
	f.source = "file";
	f.respondent = respondent;
	f.received = in->now;
	batch_add(b, &f, g_strdup(label), slot);
	return slot;
}

/* What of a mail cannot be stored, one line each, kept with its slot. */
static void
refusals_report(struct mailin_batch *b, guint slot, const char *label,
    const struct mail *m)
{
	const struct mail_part *p;
	GString *why;
	char *where;
	guint i;

	for (i = 0; i < m->refused->len; i++) {
		p = m->refused->pdata[i];
		where = g_strdup_printf("%s (attachment %s)", label, p->filename);
		slot_refuse(b, slot, where, p->reason);
		g_free(where);
	}
	if (m->candidates->len > 0 || m->refused->len > 0)
		return;
	why = g_string_new("the message has no spreadsheet (it has");
	if (m->others->len == 0)
		g_string_append(why, " no attachment");
	else
		g_string_append(why, ": ");
	for (i = 0; i < m->others->len; i++)
		g_string_append_printf(why, "%s%s", i ? ", " : "",
		    (const char *)m->others->pdata[i]);
	g_string_append_c(why, ')');
	slot_refuse(b, slot, label, why->str);
	g_string_free(why, TRUE);
}

/* A mail's possible replies join the batch; the batch keeps the mail. */
static void
mail_files_add(struct intake *in, const char *label, struct mail *m,
    const char *respondent, guint slot, struct mailin_batch *b)
{
	const struct mail_part *p;
	struct intake_file f = { 0 };
	guint i;

	f.source = "mail";
	f.sender = m->sender;
	f.subject = m->subject;
	f.message_id = m->message_id;
	f.markers = m->markers;
	f.respondent = respondent;
	f.received = in->now;
	for (i = 0; i < m->candidates->len; i++) {
		p = m->candidates->pdata[i];
		f.filename = p->filename;
		f.data = p->data;
		f.len = p->len;
		batch_add(b, &f, g_strdup_printf("%s (attachment %s)", label,
		    p->filename), slot);
	}
	g_ptr_array_add(b->mails, m);
}

int
mailin_mail_open(struct intake *in, const char *label,
    const unsigned char *data, size_t len, struct mail **out)
{
	struct mime_limits l;
	char err[GRID_ERRLEN];

	*out = NULL;
	if (intake_message_archive(in, label, data, len) == -1)
		return EXIT_RUNTIME;
	mime_limits_init(&l, in->config->max_message, in->config->max_attachment);
	if ((*out = mail_parse(data, len, &l, err, sizeof(err))) == NULL) {
		log_err("%s: %s", label, err);
		return EXIT_REJECTED;
	}
	return EXIT_OK;
}

guint
mailin_mail_add(struct intake *in, const char *label, struct mail *m,
    const char *respondent, struct mailin_batch *b)
{
	guint slot = slot_new(b, m->refused->len > 0 ||
	    m->candidates->len == 0 ? EXIT_REJECTED : EXIT_OK);

	refusals_report(b, slot, label, m);
	mail_files_add(in, label, m, respondent, slot, b);
	return slot;
}

void
mailin_mail(struct intake *in, const char *label, unsigned char *data,
    size_t len, const char *respondent, struct mailin_batch *b)
{
	struct mail *m;
	int rc;

	rc = mailin_mail_open(in, label, data, len, &m);
	g_free(data);
	if (rc != EXIT_OK) {
		mailin_worst(b, rc);
		return;
	}
	mailin_mail_add(in, label, m, respondent, b);
}
