/*
 * cmd_import.c — `surveyd import [--survey ID] [--respondent CODE] FILE...`:
 * the intake pipeline for files that did not come by mail (the
 * government document-exchange system, a USB stick, a typed-in form).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "file.h"
#include "intake.h"
#include "log.h"

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
 * bytes, so memory stays flat however many files one run imports.
 */
#define IMPORT_BATCH_FILES	64
#define IMPORT_BATCH_BYTES	(64u * 1024 * 1024)

struct import_batch {
	GArray		*files;		/* of struct intake_file, data owned */
	GPtrArray	*paths;
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
	struct intake_file *f;
	guint i;

	for (i = 0; i < b->files->len; i++) {
		f = &g_array_index(b->files, struct intake_file, i);
		g_free((char *)f->filename);
		g_free((unsigned char *)f->data);
	}
	g_array_set_size(b->files, 0);
	g_ptr_array_set_size(b->paths, 0);
	b->bytes = 0;
}

static void
import_flush(struct intake *in, const struct survey *sv, struct import_batch *b)
{
	struct submission **subs;
	enum intake_result *results, *sres;
	GPtrArray *stored;
	guint i, k, *where, n = b->files->len;

	if (n == 0)
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
	intake_commit(in, stored, sres);
	for (k = 0; k < stored->len; k++)
		results[where[k]] = sres[k];
	for (i = 0; i < n; i++) {
		if (subs[i] != NULL)
			import_report(b->paths->pdata[i], results[i], subs[i], sv);
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

static void
import_one(struct intake *in, const struct survey *sv, const char *path,
    const char *respondent, struct import_batch *b)
{
	struct intake_file f = { 0 };
	unsigned char *data;
	char err[600];
	size_t len;

	if (file_read(path, in->config->max_message, &data, &len, err,
	    sizeof(err)) == -1) {
		log_err("%s", err);
		worst_update(b, EXIT_REJECTED);
		return;
	}
	if (b->files->len > 0 && b->bytes + len > IMPORT_BATCH_BYTES)
		import_flush(in, sv, b);
	f.filename = g_path_get_basename(path);
	f.data = data;
	f.len = len;
	f.source = "file";
	f.respondent = respondent;
	f.received = in->now;
	g_array_append_val(b->files, f);
	g_ptr_array_add(b->paths, g_strdup(path));
	b->bytes += len;
	if (b->files->len >= IMPORT_BATCH_FILES)
		import_flush(in, sv, b);
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
	b.paths = g_ptr_array_new_with_free_func(g_free);
	b.bytes = 0;
	b.worst = EXIT_OK;
	for (i = optind; i < argc; i++)
		import_one(&in, sv, argv[i], respondent, &b);
	import_flush(&in, sv, &b);
	intake_clear(&in);
	g_array_unref(b.files);
	g_ptr_array_unref(b.paths);
	return b.worst;
}
