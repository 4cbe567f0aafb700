/*
 * secret.c — reading a secret from its file and wiping it after use, so a
 * password lives in one buffer for as short a time as it can.
 */
#include <string.h>

#include <glib.h>

#include "file.h"
#include "log.h"
#include "secret.h"

char *
secret_read(const char *path, const char *key)
{
	unsigned char *data;
	char err[600], *s;
	size_t len;

	if (path == NULL) {
		log_err("config: %s: missing", key);
		return NULL;
	}
	if (file_read(path, SECRET_MAX, &data, &len, err, sizeof(err)) == -1) {
		log_err("%s: %s", key, err);
		return NULL;
	}
	s = g_strndup((const char *)data, len);
	s[strcspn(s, "\r\n")] = '\0';
	/* The secret lives in one place only. */
	memset(data, 0, len);
	g_free(data);
	return s;
}

void
secret_free(char *s)
{
	if (s == NULL)
		return;
	memset(s, 0, strlen(s));
	g_free(s);
}
