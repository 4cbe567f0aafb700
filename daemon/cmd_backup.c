/*
 * cmd_backup.c — `surveyd backup -o FILE`: a consistent copy of the
 * database while the daemon runs (VACUUM INTO reads one snapshot).
 */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

#include "cmd.h"
#include "log.h"

int
cmd_backup(struct cmd_env *env, int argc, char **argv)
{
	const char *out = NULL;
	int c, rc;

	while ((c = getopt(argc, argv, "o:")) != -1)
		if (c == 'o')
			out = optarg;
		else
			return EXIT_USAGE;
	if (out == NULL || optind != argc) {
		log_err("usage: surveyd backup -o FILE");
		return EXIT_USAGE;
	}
	if (access(out, F_OK) == 0) {
		log_err("backup: %s exists; choose a new file", out);
		return EXIT_USAGE;
	}
	if ((rc = cmd_config_open(env)) != EXIT_OK ||
	    (rc = cmd_store_open(env)) != EXIT_OK)
		return rc;
	if (store_backup(env->store, out) == -1) {
		log_err("backup: %s: %s", out, store_error(env->store));
		return EXIT_RUNTIME;
	}
	printf("%s\n", out);
	return EXIT_OK;
}
