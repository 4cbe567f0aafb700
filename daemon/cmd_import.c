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
#include "mailin.h"
#include "mime.h"

static void
import_one(struct intake *in, const struct survey *sv, const char *path,
    const char *respondent, struct mailin_batch *b)
{
	unsigned char *data;
	char err[600];
	size_t len;

	if (file_read(path, in->config->max_message, &data, &len, err,
	    sizeof(err)) == -1) {
		log_err("%s", err);
		mailin_worst(b, EXIT_REJECTED);
		return;
	}
	/* A mail's files are no bigger than the mail: room for it is enough. */
	mailin_make_room(in, sv, b, len);
	if (mail_looks_like(data, len))
		mailin_mail(in, path, data, len, respondent, b);
	else
		mailin_file(in, path, g_path_get_basename(path), data, len,
		    respondent, b);
	mailin_flush_full(in, sv, b);
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
	struct mailin_batch b;
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
	mailin_batch_init(&b);
	for (i = optind; i < argc; i++)
		import_one(&in, sv, argv[i], respondent, &b);
	mailin_flush(&in, sv, &b);
	intake_clear(&in);
	mailin_batch_free(&b);
	return b.worst;
}
