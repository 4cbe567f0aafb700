/*
 * fuzz_definition.c — libFuzzer target for the XLSForm definition reader
 * (definition.c: tables, types, lists, constraints, settings), both ways a
 * config can name a definition:
 *
 *   - the bytes as one workbook file (def.xlsx; grid_read() sniffs it, so
 *     an .xlsx, .ods or CSV body all reach the sheet lookup; an OLE (.xls)
 *     body is left to fuzz_xls);
 *   - the bytes split at form feeds (\f) into survey.csv, choices.csv and
 *     settings.csv in a folder; with fewer parts the later files are
 *     missing, which is a path of its own.
 *
 * definition_load() only takes paths, so the files live in a private
 * temporary folder made once and removed at exit.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "definition.h"
#include "problem.h"

int		 LLVMFuzzerInitialize(int *, char ***);
int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	*dir;
static const char *const csv_names[] = {
	"survey.csv", "choices.csv", "settings.csv"
};

static void
cleanup(void)
{
	char *path;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(csv_names); i++) {
		path = g_build_filename(dir, "csv", csv_names[i], NULL);
		g_unlink(path);
		g_free(path);
	}
	path = g_build_filename(dir, "csv", NULL);
	g_rmdir(path);
	g_free(path);
	path = g_build_filename(dir, "def.xlsx", NULL);
	g_unlink(path);
	g_free(path);
	g_rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char *csv;

	(void)argc;
	(void)argv;
	if ((dir = g_dir_make_tmp("fuzz_definition.XXXXXX", NULL)) == NULL) {
		perror("fuzz_definition: temporary folder");
		exit(1);
	}
	csv = g_build_filename(dir, "csv", NULL);
	if (g_mkdir(csv, 0700) == -1) {
		perror(csv);
		exit(1);
	}
	g_free(csv);
	atexit(cleanup);
	return 0;
}

static void
write_file(const char *path, const uint8_t *data, size_t len)
{
	FILE *f;

	if ((f = fopen(path, "wb")) == NULL ||
	    (len > 0 && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
		fprintf(stderr, "fuzz_definition: %s: %s\n", path,
		    strerror(errno));
		abort();
	}
}

static void
load(const char *path)
{
	struct problems p;

	problems_init(&p);
	definition_free(definition_load(path, &p));
	problems_clear(&p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const uint8_t *part = data, *end = data + len, *ff;
	char *path;
	size_t i;

	/*
	 * As a workbook.  Not an OLE file: freexl can crash on a damaged one
	 * (fuzz_xls.c), and the .xls reader is fuzz_xls's.
	 */
	if (len < 4 || memcmp(data, "\xd0\xcf\x11\xe0", 4) != 0) {
		path = g_build_filename(dir, "def.xlsx", NULL);
		write_file(path, data, len);
		load(path);
		g_free(path);
	}

	/* As the CSV triple. */
	for (i = 0; i < G_N_ELEMENTS(csv_names); i++) {
		path = g_build_filename(dir, "csv", csv_names[i], NULL);
		if (part == NULL) {
			g_unlink(path);
		} else {
			ff = memchr(part, '\f', (size_t)(end - part));
			write_file(path, part,
			    (size_t)((ff != NULL ? ff : end) - part));
			part = ff != NULL ? ff + 1 : NULL;
		}
		g_free(path);
	}
	path = g_build_filename(dir, "csv", NULL);
	load(path);
	g_free(path);
	return 0;
}
