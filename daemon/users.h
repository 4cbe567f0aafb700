/*
 * users.h — who may open the secretary's page: a users file of
 * "NAME:HASH" lines, HASH a crypt(3) hash (yescrypt, or bcrypt written by
 * another tool), mode 0600.  `surveyd passwd` writes it; the page reads it
 * at every login, so a changed password counts at once.
 */
#ifndef SURVEYD_USERS_H
#define SURVEYD_USERS_H

#include <stddef.h>

#define USERS_NAME_MAX		64
#define USERS_PASSWORD_MIN	8
#define USERS_PASSWORD_MAX	1024
#define USERS_FILE_MAX		(1024 * 1024)

/* Letters, digits, '.', '_' and '-', at most USERS_NAME_MAX bytes. */
int	users_name_valid(const char *name);
/* A fresh yescrypt hash; NULL with err filled.  g_free it. */
char	*users_password_hash(const char *password, char *err, size_t errlen);
/* 1 when hash is password's; 0 otherwise (a malformed hash too). */
int	users_hash_verify(const char *hash, const char *password);
/*
 * 1 when the file lists name with that password, 0 when not (the cost is
 * the same for an unknown name), -1 with err filled when the file cannot
 * be read.
 */
int	users_password_check(const char *path, const char *name,
	    const char *password, char *err, size_t errlen);
/* Adds name or replaces its hash, atomically, mode 0600. */
int	users_file_set(const char *path, const char *name, const char *hash,
	    char *err, size_t errlen);

#endif
