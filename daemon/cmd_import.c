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

/* Files stored per transaction: one archive sync and one commit each. */
#define IMPORT_BATCH	64

struct import_batch {
	GPtrArray	*subs;		/* prepared, not yet stored */
	GPtrArray	*paths;
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
import_flush(struct intake *in, const struct survey *sv, struct import_batch *b)
{
	enum intake_result *results;
	guint i;

	if (b->subs->len == 0)
		return;
	results = g_new(enum intake_result, b->subs->len);
	intake_commit(in, b->subs, results);
	for (i = 0; i < b->subs->len; i++) {
		import_report(b->paths->pdata[i], results[i], b->subs->pdata[i], sv);
		worst_update(b, results[i] == INTAKE_FAILED ? EXIT_RUNTIME :
		    results[i] == INTAKE_REJECTED ? EXIT_REJECTED : EXIT_OK);
	}
	g_free(results);
	g_ptr_array_set_size(b->subs, 0);
	g_ptr_array_set_size(b->paths, 0);
}

static void
import_one(struct intake *in, const struct survey *sv, const char *path,
    const char *respondent, struct import_batch *b)
{
	struct intake_file f = { 0 };
	struct submission *sub;
	unsigned char *data;
	char err[600], *base;
	size_t len;

	if (file_read(path, in->config->max_message, &data, &len, err,
	    sizeof(err)) == -1) {
		log_err("%s", err);
		worst_update(b, EXIT_REJECTED);
		return;
	}
	base = g_path_get_basename(path);
	f.filename = base;
	f.data = data;
	f.len = len;
	f.source = "file";
	f.respondent = respondent;
	f.received = in->now;
	if ((sub = intake_file_prepare(in, sv, &f)) == NULL)
		worst_update(b, EXIT_RUNTIME);
	else {
		g_ptr_array_add(b->subs, sub);
		g_ptr_array_add(b->paths, g_strdup(path));
	}
	g_free(base);
	g_free(data);
	if (b->subs->len >= IMPORT_BATCH)
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
	b.subs = g_ptr_array_new_with_free_func((GDestroyNotify)submission_free);
	b.paths = g_ptr_array_new_with_free_func(g_free);
	b.worst = EXIT_OK;
	for (i = optind; i < argc; i++)
		import_one(&in, sv, argv[i], respondent, &b);
	import_flush(&in, sv, &b);
	intake_clear(&in);
	g_ptr_array_unref(b.subs);
	g_ptr_array_unref(b.paths);
	return b.worst;
}
