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
#include "usage.h"

/* Each command's help is usage.c's, found by name. */
struct command {
	const char	*name;
	int		(*run)(struct cmd_env *, int, char **);
};

static const struct command commands[] = {
	{ "import", cmd_import },
	{ "run", cmd_run },
	{ "poll", cmd_poll },
	{ "send-forms", cmd_send_forms },
	{ "remind", cmd_remind },
	{ "status", cmd_status },
	{ "form", cmd_form },
	{ "export", cmd_export },
	{ "assign", cmd_assign },
	{ "revalidate", cmd_revalidate },
	{ "backup", cmd_backup },
	{ "check-config", cmd_check_config },
	{ "passwd", cmd_passwd },
};

/*
 * The help of command, or the program's with the commands this build runs
 * when it is NULL; a command nobody knows is a usage error.
 */
static int
usage(FILE *f, const char *command, int rc)
{
	const struct usage *u;
	size_t i;

	if (command != NULL) {
		if ((u = usage_find(command)) != NULL) {
			usage_command_print(f, u);
			return rc;
		}
		log_err("unknown command '%s'", command);
		f = stderr;
		rc = EXIT_USAGE;
	}
	usage_program_print(f);
	for (i = 0; i < G_N_ELEMENTS(commands); i++)
		usage_summary_print(f, commands[i].name);
	usage_summary_print(f, "help");
	return rc;
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
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct cmd_env env = { 0 };
	const char *config = NULL;
	enum log_level level = LOG_LEVEL_INFO;
	size_t i;
	int c, rc;

	/* Text is UTF-8 everywhere; numbers are never localised. */
	setlocale(LC_CTYPE, "C.UTF-8");
	signal(SIGPIPE, SIG_IGN);
	while ((c = getopt_long(argc, argv, "+c:vqh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'v': level = LOG_LEVEL_DEBUG; break;
		case 'q': level = LOG_LEVEL_WARN; break;
		case 'h': return usage(stdout, NULL, EXIT_OK);
		default: return usage(stderr, NULL, EXIT_USAGE);
		}
	}
	if (optind >= argc)
		return usage(stderr, NULL, EXIT_USAGE);
	/* The daemon's lines carry the time; a command's are read at once. */
	log_init(level, strcmp(argv[optind], "run") == 0);
	/* COMMAND --help anywhere before "--", as GNU tools take it. */
	for (i = optind + 1; i < (size_t)argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0)
			return usage(stdout, argv[optind], EXIT_OK);
	if (strcmp(argv[optind], "help") == 0)
		return usage(stdout, argv[optind + 1], EXIT_OK);
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
	return usage(stderr, NULL, EXIT_USAGE);
}
