/*
 * fuzz_config.c — libFuzzer target for config_load(): GKeyFile, every
 * group's keys and values (sizes, durations, dates, schedules, holidays,
 * addresses, listen addresses), and then what a valid survey group loads:
 * the definition, the roster and, when [smtp] url is set, the templates.
 *
 * The bytes are written as surveyd.conf in a private temporary folder made
 * once, which also holds links to the project's own data, so a config
 * naming them by relative path gets past the file checks:
 *
 *	form-a/  form-b/	forms/form-a, forms/form-b (CSV definitions)
 *	form-a.xlsx		tests/fixtures/definitions/form-a.xlsx
 *	sample-63.csv  sample-b.csv  provinces-63.csv	rosters/
 *	templates/		templates/ (templates=templates/vi)
 *
 * The project folder is found from the binary's own path (build-fuzz/..).
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "config.h"
#include "problem.h"

int		 LLVMFuzzerInitialize(int *, char ***);
int		 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const char *const links[][2] = {
	{ "form-a", "forms/form-a" },
	{ "form-b", "forms/form-b" },
	{ "form-a.xlsx", "tests/fixtures/definitions/form-a.xlsx" },
	{ "sample-63.csv", "rosters/sample-63.csv" },
	{ "sample-b.csv", "rosters/sample-b.csv" },
	{ "provinces-63.csv", "rosters/provinces-63.csv" },
	{ "templates", "templates" },
};

static char	*dir, *conf;

static void
cleanup(void)
{
	char *path;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(links); i++) {
		path = g_build_filename(dir, links[i][0], NULL);
		g_unlink(path);
		g_free(path);
	}
	g_unlink(conf);
	g_rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char exe[PATH_MAX], *top, *bin, *target, *path;
	ssize_t n;
	size_t i;

	(void)argc;
	(void)argv;
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) == -1) {
		perror("fuzz_config: /proc/self/exe");
		exit(1);
	}
	exe[n] = '\0';
	bin = g_path_get_dirname(exe);
	top = g_path_get_dirname(bin);
	g_free(bin);
	if ((dir = g_dir_make_tmp("fuzz_config.XXXXXX", NULL)) == NULL) {
		perror("fuzz_config: temporary folder");
		exit(1);
	}
	for (i = 0; i < G_N_ELEMENTS(links); i++) {
		target = g_build_filename(top, links[i][1], NULL);
		path = g_build_filename(dir, links[i][0], NULL);
		if (symlink(target, path) == -1) {
			perror(path);
			exit(1);
		}
		g_free(target);
		g_free(path);
	}
	g_free(top);
	conf = g_build_filename(dir, "surveyd.conf", NULL);
	atexit(cleanup);
	/* A path such as /dev/stdin must not wait for a terminal. */
	if (freopen("/dev/null", "r", stdin) == NULL) {
		perror("/dev/null");
		exit(1);
	}
	g_setenv("CREDENTIALS_DIRECTORY", dir, TRUE);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct problems p;
	FILE *f;

	if ((f = fopen(conf, "wb")) == NULL ||
	    (len > 0 && fwrite(data, 1, len, f) != len) || fclose(f) != 0) {
		fprintf(stderr, "fuzz_config: %s: %s\n", conf,
		    strerror(errno));
		abort();
	}
	problems_init(&p);
	config_free(config_load(conf, &p));
	problems_clear(&p);
	return 0;
}
