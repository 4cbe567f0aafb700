/*
 * cmd_form.c — `surveyd form [--survey ID] (--respondent CODE | --all)
 * -o PATH`: blank personalised forms, each carrying its respondent's token
 * from the store.  With --all, PATH is a folder (created when missing) of
 * <code>-<name_ascii>.xlsx; with --respondent, PATH is the file, or an
 * existing folder to put that file in.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "file.h"
#include "form.h"
#include "log.h"
#include "text.h"

#define FORM_USAGE \
	"usage: surveyd form [--survey ID] (--respondent CODE | --all) -o PATH"

/* "01-hanoi.xlsx": the name folded to lowercase ASCII, spaces dropped. */
static char *
form_file_name(const struct respondent *r)
{
	char *folded = text_fold(r->name), *name;
	GString *ascii = g_string_new(NULL);
	const char *p;

	for (p = folded; *p != '\0'; p++)
		if (g_ascii_isalnum(*p))
			g_string_append_c(ascii, *p);
	name = g_strdup_printf("%s-%s.xlsx", r->code, ascii->str);
	g_string_free(ascii, TRUE);
	g_free(folded);
	return name;
}

static int
form_one(struct cmd_env *env, const struct survey *sv,
    const struct respondent *r, const char *path)
{
	char err[1024], *token;

	token = store_respondent_token(env->store, sv->id, r->code);
	if (token == NULL) {
		log_err("form: no token for respondent %s in %s: %s", r->code,
		    env->config->database, store_error(env->store));
		return EXIT_RUNTIME;
	}
	if (form_write(sv, r, token, path, err, sizeof(err)) == -1) {
		log_err("form: %s", err);
		g_free(token);
		return EXIT_RUNTIME;
	}
	printf("%s\n", path);
	g_free(token);
	return EXIT_OK;
}

/* The respondent's file inside folder. */
static int
form_into(struct cmd_env *env, const struct survey *sv,
    const struct respondent *r, const char *folder)
{
	char *name = form_file_name(r), *path;
	int rc;

	path = g_build_filename(folder, name, NULL);
	rc = form_one(env, sv, r, path);
	g_free(path);
	g_free(name);
	return rc;
}

static int
form_all(struct cmd_env *env, const struct survey *sv, const char *folder)
{
	guint i;
	int rc = EXIT_OK;

	if (file_mkdirs(folder, 0750) == -1) {
		log_err("form: cannot create the folder %s: %s", folder,
		    g_strerror(errno));
		return EXIT_RUNTIME;
	}
	/* One unwritable file means the next fails alike: stop at the first. */
	for (i = 0; i < sv->roster->n && rc == EXIT_OK; i++)
		rc = form_into(env, sv, &sv->roster->v[i], folder);
	return rc;
}

int
cmd_form(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "survey", required_argument, NULL, 's' },
		{ "respondent", required_argument, NULL, 'r' },
		{ "all", no_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 }
	};
	const char *survey = NULL, *code = NULL, *out = NULL;
	const struct respondent *r = NULL;
	struct survey *sv;
	int c, all = 0, rc;

	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (c) {
		case 's': survey = optarg; break;
		case 'r': code = optarg; break;
		case 'a': all = 1; break;
		case 'o': out = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (out == NULL || optind != argc || all == (code != NULL)) {
		log_err(FORM_USAGE);
		return EXIT_USAGE;
	}
	if ((rc = cmd_config_open(env)) != EXIT_OK)
		return rc;
	if ((sv = cmd_survey(env, survey)) == NULL)
		return EXIT_USAGE;
	if (code != NULL && (r = roster_find(sv->roster, code)) == NULL) {
		log_err("--respondent '%s': no such code in %s", code,
		    sv->roster_path);
		return EXIT_USAGE;
	}
	if ((rc = cmd_store_open(env)) != EXIT_OK)
		return rc;
	if (all)
		return form_all(env, sv, out);
	if (g_file_test(out, G_FILE_TEST_IS_DIR))
		return form_into(env, sv, r, out);
	return form_one(env, sv, r, out);
}
