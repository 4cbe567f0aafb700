/*
 * main.c — surveyd's command line: global options, then one command.
 *
 *	surveyd [-c CONFIG] [-v | -q] COMMAND [OPTIONS]
 */
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"

struct command {
	const char	*name;
	int		(*run)(struct cmd_env *, int, char **);
	const char	*usage;
};

static const struct command commands[] = {
	{ "import", cmd_import,
	    "import [--survey ID] [--respondent CODE] [--now T] FILE..." },
	{ "run", cmd_run, "run [--survey ID] [--now T]" },
	{ "poll", cmd_poll, "poll --once [--survey ID] [--now T]" },
	{ "status", cmd_status, "status [--survey ID] [--json]" },
	{ "form", cmd_form,
	    "form [--survey ID] (--respondent CODE | --all) -o PATH" },
	{ "export", cmd_export, "export [--survey ID] -o FILE.xlsx [--csv FILE.csv] "
	    "[--headings code|label] [--include-unaccepted]" },
	{ "assign", cmd_assign, "assign SUBMISSION RESPONDENT" },
	{ "revalidate", cmd_revalidate, "revalidate [--survey ID]" },
	{ "backup", cmd_backup, "backup -o FILE" },
	{ "check-config", cmd_check_config, "check-config" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: surveyd [-c CONFIG] [-v | -q] COMMAND [OPTIONS]\n"
	    "CONFIG: -c, else $SURVEYD_CONFIG, else %s\ncommands:\n",
	    CONFIG_DEFAULT_PATH);
	for (i = 0; i < G_N_ELEMENTS(commands); i++)
		fprintf(f, "  %s\n", commands[i].usage);
}

static const char *
config_path(const char *opt)
{
	const char *env;

	if (opt != NULL)
		return opt;
	if ((env = getenv("SURVEYD_CONFIG")) != NULL && *env != '\0')
		return env;
	return CONFIG_DEFAULT_PATH;
}

int
main(int argc, char **argv)
{
	struct cmd_env env = { 0 };
	const char *config = NULL;
	enum log_level level = LOG_LEVEL_INFO;
	size_t i;
	int c, rc;

	/* Text is UTF-8 everywhere; numbers are never localised. */
	setlocale(LC_CTYPE, "C.UTF-8");
	signal(SIGPIPE, SIG_IGN);
	while ((c = getopt(argc, argv, "+c:vqh")) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'v': level = LOG_LEVEL_DEBUG; break;
		case 'q': level = LOG_LEVEL_WARN; break;
		case 'h': usage(stdout); return EXIT_OK;
		default: usage(stderr); return EXIT_USAGE;
		}
	}
	log_init(level, 0);
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	env.config_path = config_path(config);
	for (i = 0; i < G_N_ELEMENTS(commands); i++) {
		if (strcmp(argv[optind], commands[i].name) != 0)
			continue;
		argc -= optind;
		argv += optind;
		optind = 1;
		rc = commands[i].run(&env, argc, argv);
		cmd_env_close(&env);
		return rc;
	}
	log_err("unknown command '%s'", argv[optind]);
	usage(stderr);
	return EXIT_USAGE;
}
