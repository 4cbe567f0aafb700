/*
 * secret.h — passwords and tokens, read from the files the config names
 * (systemd credentials or /etc/surveyd/credentials) when a connection
 * needs them, and wiped when it is done.  Never logged, never in the config.
 */
#ifndef SURVEYD_SECRET_H
#define SURVEYD_SECRET_H

#define SECRET_MAX	4096	/* bytes of a password or token file */

/*
 * The file's first line; NULL (logged, naming key such as "[imap]
 * password-file") when it is unset or unreadable.  Free with secret_free.
 */
char	*secret_read(const char *path, const char *key);
/* Overwrites, then frees. */
void	 secret_free(char *);

#endif
