/*
 * cmd_import.c — `surveyd import [--survey ID] [--respondent CODE] FILE...`:
 * the intake pipeline for files that did not come by IMAP (the
 * government document-exchange system, a USB stick, a typed-in form, a
 * saved .eml, which is taken apart as a polled message is).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "file.h"
#include "intake.h"
#include "log.h"
#include "mime.h"

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

static void
import_report(const char *path, enum intake_result r,
    const struct submission *sub, const struct survey *sv)
{
	const struct respondent *who = sub->respondent ?
	    roster_find(sv->roster, sub->respondent) : NULL;
	guint i;

	printf("%s: %s submission %" G_GINT64_FORMAT ": %s", path,
	    result_word(r), sub->id, sub->state);
	if (who != NULL)
		printf(" (%s %s)", who->code, who->name);
	if (*sub->flags)
		printf(" [%s]", sub->flags);
	printf("\n");
	if (r == INTAKE_DUPLICATE)
		return;
	for (i = 0; i < sub->issues.v->len; i++) {
		const struct issue *is = sub->issues.v->pdata[i];

		/* Rejections are errors: stderr, one line, naming the file. */
		if (issue_code_weight(is->code) == ISSUE_REJECTED)
			log_err("%s: %s", path, is->message);
		else
			printf("  %s\n", is->message);
	}
}

/*
 * A batch is read across the parser children and stored in one
 * transaction after one archive sync.  It is bounded in files and in
 * bytes, so memory stays flat however many files one run imports; a
 * mail's files all go in one batch, with the mail itself.
 */
#define IMPORT_BATCH_FILES	64
#define IMPORT_BATCH_BYTES	(64u * 1024 * 1024)

struct import_batch {
	GArray		*files;		/* of struct intake_file, into what follows */
	GPtrArray	*labels;	/* how the report names each file */
	GPtrArray	*buffers;	/* plain files' names and bytes */
	GPtrArray	*mails;		/* the mails the other files came from */
	size_t		 bytes;
	int		 worst;
};

static void
worst_update(struct import_batch *b, int rc)
{
	/* Runtime failure outranks rejection: it needs the admin. */
	if (rc == EXIT_RUNTIME || (rc == EXIT_REJECTED && b->worst == EXIT_OK))
		b->worst = rc;
}

static void
batch_clear(struct import_batch *b)
{
	g_array_set_size(b->files, 0);
	g_ptr_array_set_size(b->labels, 0);
	g_ptr_array_set_size(b->buffers, 0);
	g_ptr_array_set_size(b->mails, 0);
	b->bytes = 0;
}

static void
import_flush(struct intake *in, const struct survey *sv, struct import_batch *b)
{
	struct submission **subs;
	enum intake_result *results, *sres;
	GPtrArray *stored;
	guint i, k, *where, n = b->files->len;

	/* A mail with nothing to store still has its own row to commit. */
	if (n == 0 && in->messages->len == 0)
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
	if (intake_commit(in, stored, sres) == -1 && n == 0)
		worst_update(b, EXIT_RUNTIME);
	for (k = 0; k < stored->len; k++)
		results[where[k]] = sres[k];
	for (i = 0; i < n; i++) {
		if (subs[i] != NULL)
			import_report(b->labels->pdata[i], results[i], subs[i], sv);
		worst_update(b, results[i] == INTAKE_FAILED ? EXIT_RUNTIME :
		    results[i] == INTAKE_REJECTED ? EXIT_REJECTED : EXIT_OK);
		submission_free(subs[i]);
	}
	g_ptr_array_unref(stored);
	g_free(sres);
	g_free(where);
	g_free(results);
	g_free(subs);
	batch_clear(b);
}

/* Stores what the batch holds when len more bytes would overfill it. */
static void
batch_make_room(struct intake *in, const struct survey *sv,
    struct import_batch *b, size_t len)
{
	if (b->files->len > 0 && b->bytes + len > IMPORT_BATCH_BYTES)
		import_flush(in, sv, b);
}

/* Adds a file whose bytes the batch already holds; label is taken. */
static void
batch_add(struct import_batch *b, const struct intake_file *f, char *label)
{
	g_array_append_val(b->files, *f);
	g_ptr_array_add(b->labels, label);
	b->bytes += f->len;
}

static void
batch_flush_full(struct intake *in, const struct survey *sv,
    struct import_batch *b)
{
	if (b->files->len >= IMPORT_BATCH_FILES)
		import_flush(in, sv, b);
}

static void
import_file(struct intake *in, const char *path, unsigned char *data,
    size_t len, const char *respondent, struct import_batch *b)
{
	struct intake_file f = { 0 };
	char *name = g_path_get_basename(path);

	g_ptr_array_add(b->buffers, name);
	g_ptr_array_add(b->buffers, data);
	f.filename = name;
	f.data = data;
	f.len = len;
	f.source = "file";
	f.respondent = respondent;
	f.received = in->now;
	batch_add(b, &f, g_strdup(path));
}

/* What of a mail cannot be stored, one line each on stderr. */
static void
import_refusals_report(const char *path, const struct mail *m)
{
	const struct mail_part *p;
	GString *names;
	guint i;

	for (i = 0; i < m->refused->len; i++) {
		p = m->refused->pdata[i];
		log_err("%s (attachment %s): %s", path, p->filename, p->reason);
	}
	if (m->candidates->len > 0 || m->refused->len > 0)
		return;
	if (m->others->len == 0) {
		log_err("%s: the message has no spreadsheet (it has no "
		    "attachment)", path);
		return;
	}
	names = g_string_new(NULL);
	for (i = 0; i < m->others->len; i++)
		g_string_append_printf(names, "%s%s", i ? ", " : "",
		    (const char *)m->others->pdata[i]);
	log_err("%s: the message has no spreadsheet (it has: %s)", path,
	    names->str);
	g_string_free(names, TRUE);
}

/* A mail's possible replies join the batch; the batch keeps the mail. */
static void
import_mail_files(struct intake *in, const char *path, struct mail *m,
    const char *respondent, struct import_batch *b)
{
	const struct mail_part *p;
	struct intake_file f = { 0 };
	guint i;

	f.source = "mail";
	f.sender = m->sender;
	f.subject = m->subject;
	f.message_id = m->message_id;
	f.respondent = respondent;
	f.received = in->now;
	for (i = 0; i < m->candidates->len; i++) {
		p = m->candidates->pdata[i];
		f.filename = p->filename;
		f.data = p->data;
		f.len = p->len;
		batch_add(b, &f, g_strdup_printf("%s (attachment %s)", path,
		    p->filename));
	}
	g_ptr_array_add(b->mails, m);
}

/*
 * A message, as a polled one is taken: archived whole before it is read,
 * then every possible reply in it through the same batch as plain files.
 */
static void
import_mail(struct intake *in, const char *path, unsigned char *data,
    size_t len, const char *respondent, struct import_batch *b)
{
	struct mime_limits l;
	struct mail *m;
	char err[GRID_ERRLEN];

	if (intake_message_archive(in, path, data, len) == -1) {
		g_free(data);
		worst_update(b, EXIT_RUNTIME);
		return;
	}
	mime_limits_init(&l, in->config->max_message, in->config->max_attachment);
	m = mail_parse(data, len, &l, err, sizeof(err));
	g_free(data);
	if (m == NULL) {
		log_err("%s: %s", path, err);
		worst_update(b, EXIT_REJECTED);
		return;
	}
	import_refusals_report(path, m);
	if (m->refused->len > 0 || m->candidates->len == 0)
		worst_update(b, EXIT_REJECTED);
	import_mail_files(in, path, m, respondent, b);
}

static void
import_one(struct intake *in, const struct survey *sv, const char *path,
    const char *respondent, struct import_batch *b)
{
	unsigned char *data;
	char err[600];
	size_t len;

	if (file_read(path, in->config->max_message, &data, &len, err,
	    sizeof(err)) == -1) {
		log_err("%s", err);
		worst_update(b, EXIT_REJECTED);
		return;
	}
	/* A mail's files are no bigger than the mail: room for it is enough. */
	batch_make_room(in, sv, b, len);
	if (mail_looks_like(data, len))
		import_mail(in, path, data, len, respondent, b);
	else
		import_file(in, path, data, len, respondent, b);
	batch_flush_full(in, sv, b);
}

int
cmd_import(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "survey", required_argument, NULL, 's' },
		{ "respondent", required_argument, NULL, 'r' },
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	const char *survey = NULL, *respondent = NULL, *now = NULL;
	struct survey *sv;
	struct intake in;
	struct import_batch b;
	gint64 t;
	int c, i, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': survey = optarg; break;
		case 'r': respondent = optarg; break;
		case 'n': now = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		log_err("import: no file given");
		return EXIT_USAGE;
	}
	if ((rc = cmd_config_open(env)) != EXIT_OK)
		return rc;
	if ((sv = cmd_survey(env, survey)) == NULL || cmd_now(sv, now, &t) == -1)
		return EXIT_USAGE;
	if (respondent != NULL && roster_find(sv->roster, respondent) == NULL) {
		log_err("--respondent '%s': no such code in %s", respondent,
		    sv->roster_path);
		return EXIT_USAGE;
	}
	if ((rc = cmd_store_open(env)) != EXIT_OK)
		return rc;
	intake_init(&in, env->config, env->store, t);
	b.files = g_array_new(FALSE, TRUE, sizeof(struct intake_file));
	b.labels = g_ptr_array_new_with_free_func(g_free);
	b.buffers = g_ptr_array_new_with_free_func(g_free);
	b.mails = g_ptr_array_new_with_free_func((GDestroyNotify)mail_free);
	b.bytes = 0;
	b.worst = EXIT_OK;
	for (i = optind; i < argc; i++)
		import_one(&in, sv, argv[i], respondent, &b);
	import_flush(&in, sv, &b);
	intake_clear(&in);
	g_array_unref(b.files);
	g_ptr_array_unref(b.labels);
	g_ptr_array_unref(b.buffers);
	g_ptr_array_unref(b.mails);
	return b.worst;
}
