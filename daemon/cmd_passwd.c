/*
 * cmd_passwd.c — `surveyd passwd USER`: sets a password for the
 * secretary's page in the users file ([web] users=).  The password is
 * typed twice on a terminal, without echo, or read as one line from
 * standard input for scripts.
 */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cmd.h"
#include "file.h"
#include "log.h"
#include "users.h"

/* One line, without its newline; -1 at end of input or when too long. */
static int
passwd_line(const char *prompt, char *buf, size_t len)
{
	struct termios old, quiet;
	int tty = isatty(STDIN_FILENO), ok;

	if (tty) {
		fputs(prompt, stderr);
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	}
	ok = fgets(buf, (int)len, stdin) != NULL;
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (!ok || (strchr(buf, '\n') == NULL && !feof(stdin)))
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

static int
passwd_read(char *pw, size_t len)
{
	char again[USERS_PASSWORD_MAX + 2];
	int rc = 0;

	if (passwd_line("New password: ", pw, len) == -1) {
		log_err("passwd: no password read (at most %d bytes, one line)",
		    USERS_PASSWORD_MAX);
		return -1;
	}
	if (isatty(STDIN_FILENO) && (passwd_line("Again: ", again,
	    sizeof(again)) == -1 || strcmp(pw, again) != 0)) {
		log_err("passwd: the two passwords differ");
		rc = -1;
	}
	explicit_bzero(again, sizeof(again));
	if (rc == 0 && g_utf8_strlen(pw, -1) < USERS_PASSWORD_MIN) {
		log_err("passwd: a password needs at least %d characters",
		    USERS_PASSWORD_MIN);
		rc = -1;
	}
	return rc;
}

int
cmd_passwd(struct cmd_env *env, int argc, char **argv)
{
	char pw[USERS_PASSWORD_MAX + 2], err[600] = "", *hash, *dir;
	int rc;

	if (argc != 2) {
		log_err("usage: surveyd passwd USER");
		return EXIT_USAGE;
	}
	if (!users_name_valid(argv[1])) {
		log_err("passwd: '%s': a user name is letters, digits, '.', "
		    "'_' and '-', at most %d", argv[1], USERS_NAME_MAX);
		return EXIT_USAGE;
	}
	if ((rc = cmd_config_open(env)) != EXIT_OK)
		return rc;
	if (passwd_read(pw, sizeof(pw)) == -1) {
		explicit_bzero(pw, sizeof(pw));
		return EXIT_USAGE;
	}
	hash = users_password_hash(pw, err, sizeof(err));
	explicit_bzero(pw, sizeof(pw));
	if (hash == NULL) {
		log_err("passwd: %s", err);
		return EXIT_RUNTIME;
	}
	dir = g_path_get_dirname(env->config->web.users);
	if (file_mkdirs(dir, 0750) == -1 ||
	    users_file_set(env->config->web.users, argv[1], hash, err,
	    sizeof(err)) == -1) {
		log_err("passwd: cannot write %s: %s", env->config->web.users,
		    *err ? err : "no folder");
		rc = EXIT_RUNTIME;
	} else
		printf("%s: password set for %s\n", env->config->web.users,
		    argv[1]);
	g_free(dir);
	g_free(hash);
	return rc;
}
