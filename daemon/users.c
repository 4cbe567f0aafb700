/*
 * users.c — the users file and crypt(3): hashing, verifying, rewriting.
 */
#include <crypt.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "file.h"
#include "users.h"

/* yescrypt at libxcrypt's default cost. */
#define USERS_HASH_PREFIX	"$y$"

int
users_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > USERS_NAME_MAX)
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == n;
}

/* crypt_r into a heap buffer: struct crypt_data is too big for a stack. */
static char *
users_crypt(const char *password, const char *setting)
{
	struct crypt_data *cd = g_new0(struct crypt_data, 1);
	char *h, *r = NULL;

	h = crypt_r(password, setting, cd);
	/* libxcrypt fails with a string starting '*', never a '$' hash. */
	if (h != NULL && h[0] == '$')
		r = g_strdup(h);
	g_free(cd);
	return r;
}

char *
users_password_hash(const char *password, char *err, size_t errlen)
{
	char *setting, *h;

	setting = crypt_gensalt_ra(USERS_HASH_PREFIX, 0, NULL, 0);
	if (setting == NULL) {
		g_snprintf(err, errlen, "cannot make a salt: %s",
		    strerror(errno));
		return NULL;
	}
	if ((h = users_crypt(password, setting)) == NULL)
		g_snprintf(err, errlen, "crypt(3) refused the password");
	free(setting);
	return h;
}

/* Compares in time independent of where the strings differ. */
static int
users_equal(const char *a, const char *b)
{
	size_t i, n = strlen(a);
	unsigned char d = 0;

	if (n != strlen(b))
		return 0;
	for (i = 0; i < n; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i];
	return d == 0;
}

int
users_hash_verify(const char *hash, const char *password)
{
	char *h;
	int ok;

	if ((h = users_crypt(password, hash)) == NULL)
		return 0;
	ok = users_equal(h, hash);
	g_free(h);
	return ok;
}

/* The hash of name in the file's text, or NULL; g_free it. */
static char *
users_hash_find(const char *text, const char *name)
{
	char **lines = g_strsplit(text, "\n", -1), **l, *colon, *r = NULL;

	for (l = lines; *l != NULL && r == NULL; l++) {
		if ((colon = strchr(*l, ':')) == NULL)
			continue;
		*colon = '\0';
		if (strcmp(*l, name) == 0)
			r = g_strdup(g_strstrip(colon + 1));
	}
	g_strfreev(lines);
	return r;
}

static int
users_file_read(const char *path, char **text, char *err, size_t errlen)
{
	unsigned char *data;
	size_t len;

	if (file_read(path, USERS_FILE_MAX, &data, &len, err, errlen) == -1)
		return -1;
	*text = g_strndup((const char *)data, len);
	g_free(data);
	return 0;
}

int
users_password_check(const char *path, const char *name, const char *password,
    char *err, size_t errlen)
{
	char *text, *hash, *dummy;
	int ok;

	if (users_file_read(path, &text, err, errlen) == -1)
		return -1;
	hash = users_hash_find(text, name);
	g_free(text);
	if (hash == NULL) {
		/* Spend what a real check costs: no timing tells who exists. */
		dummy = users_password_hash(password, err, errlen);
		g_free(dummy);
		return 0;
	}
	ok = users_hash_verify(hash, password);
	g_free(hash);
	return ok;
}

int
users_file_set(const char *path, const char *name, const char *hash,
    char *err, size_t errlen)
{
	GString *out = g_string_new(NULL);
	char *text = NULL, **lines, **l;
	size_t n = strlen(name);
	int rc;

	/* The first user makes the file. */
	if (g_file_test(path, G_FILE_TEST_EXISTS) &&
	    users_file_read(path, &text, err, errlen) == -1) {
		g_string_free(out, TRUE);
		return -1;
	}
	lines = g_strsplit(text ? text : "", "\n", -1);
	for (l = lines; *l != NULL; l++) {
		if (**l == '\0' ||
		    (strncmp(*l, name, n) == 0 && (*l)[n] == ':'))
			continue;
		g_string_append_printf(out, "%s\n", *l);
	}
	g_string_append_printf(out, "%s:%s\n", name, hash);
	rc = file_write_secret(path, out->str, out->len, err, errlen);
	g_strfreev(lines);
	g_free(text);
	g_string_free(out, TRUE);
	return rc;
}
