/*
 * fuzz_template.c — libFuzzer target for the mail templates: template_load()
 * (UTF-8 check, BOM, CRLF, comments, Subject line, placeholder scan) and,
 * when it loads, template_render() with fixed values.
 *
 * The first byte picks the kind (which placeholders are allowed); the rest
 * is the file, written as KIND.txt in a private temporary folder.  Every
 * template that loads is rendered twice: with ordinary Vietnamese values
 * on one line each (which must succeed), and with a CR LF in every value
 * (which must be refused, or leave no line break in the subject).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "problem.h"
#include "template.h"

int	LLVMFuzzerInitialize(int *, char ***);
int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	*dir;

static const char *const plain[TEMPLATE_VARS] = {
	[TEMPLATE_RESPONDENT] = "Liên hiệp các hội KH&KT tỉnh Bắc Giang",
	[TEMPLATE_CODE] = "24",
	[TEMPLATE_TOKEN] = "K7Q2-M9XP",
	[TEMPLATE_SURVEY_TITLE] = "Phiếu khảo sát {respondent} }} {{",
	[TEMPLATE_ORGANISER] = "LHH Bắc Giang",
	[TEMPLATE_DEADLINE] = "30/06/2023",
	[TEMPLATE_DAYS_LEFT] = "3",
	[TEMPLATE_FILENAME] = "phiếu_khảo_sát.xlsx",
	[TEMPLATE_RECEIVED] = "20/06/2023 10:00",
	[TEMPLATE_ISSUES] = "E33: bắt buộc; E36: không phải số",
	[TEMPLATE_SENDER] = "someone@example.test",
	[TEMPLATE_DATE] = "20/06/2023",
	[TEMPLATE_ACCEPTED] = "12",
	[TEMPLATE_PENDING] = NULL,
	[TEMPLATE_TOTAL] = "63",
};

static void
cleanup(void)
{
	char *path;
	int k;

	for (k = 0; k < TEMPLATE_KINDS; k++) {
		path = g_strdup_printf("%s/%s.txt", dir,
		    template_kind_name((enum template_kind)k));
		g_unlink(path);
		g_free(path);
	}
	g_rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if ((dir = g_dir_make_tmp("fuzz_template.XXXXXX", NULL)) == NULL) {
		perror("fuzz_template: temporary folder");
		exit(1);
	}
	atexit(cleanup);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	enum template_kind kind;
	struct template *t;
	struct problems p;
	const char *crlf[TEMPLATE_VARS];
	char *path, *subject, *body, err[TEMPLATE_ERRLEN];
	FILE *f;
	int v, rc;

	if (len == 0)
		return 0;
	kind = (enum template_kind)(data[0] % TEMPLATE_KINDS);
	path = g_strdup_printf("%s/%s.txt", dir, template_kind_name(kind));
	if ((f = fopen(path, "wb")) == NULL ||
	    (len > 1 && fwrite(data + 1, 1, len - 1, f) != len - 1) ||
	    fclose(f) != 0) {
		fprintf(stderr, "fuzz_template: %s: %s\n", path,
		    strerror(errno));
		abort();
	}
	g_free(path);
	problems_init(&p);
	if ((t = template_load(dir, kind, &p)) != NULL) {
		/* What load accepts, render does. */
		if (template_render(t, plain, &subject, &body, err,
		    sizeof(err)) != 0) {
			fprintf(stderr, "fuzz_template: a loaded template "
			    "failed to render: %s\n", err);
			abort();
		}
		if (strpbrk(subject, "\r\n") != NULL) {
			fprintf(stderr, "fuzz_template: a line break in the "
			    "subject\n");
			abort();
		}
		g_free(subject);
		g_free(body);
		for (v = 0; v < TEMPLATE_VARS; v++)
			crlf[v] = "x\r\nBcc: victim@example.test";
		rc = template_render(t, crlf, &subject, &body, err,
		    sizeof(err));
		if (rc == 0) {
			if (strpbrk(subject, "\r\n") != NULL) {
				fprintf(stderr, "fuzz_template: a value put a "
				    "line break into the subject\n");
				abort();
			}
			g_free(subject);
			g_free(body);
		}
		template_free(t);
	}
	problems_clear(&p);
	return 0;
}
