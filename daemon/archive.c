/*
 * archive.c — the content-addressed archive of raw files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <openssl/evp.h>

#include "archive.h"
#include "file.h"

/*
 * OpenSSL's digest uses the CPU's SHA instructions where it has them: every
 * reply is hashed, and GLib's portable SHA-256 cost a quarter of intake.
 */
void
archive_sha256(const unsigned char *buf, size_t len, char out[ARCHIVE_SHA256_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	if (EVP_Digest(buf, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32)
		g_error("SHA-256 failed");
	for (i = 0; i < n; i++)
		g_snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/*
 * One level of 256 folders, as git keeps its objects: a survey's archive
 * holds thousands of files, not millions, and every folder made is an
 * inode the file system has to find room for.
 */
int
archive_put(const char *dir, const unsigned char *buf, size_t len,
    const char *sha256, char **path, char *err, size_t errlen)
{
	char sub[3], *folder;

	g_strlcpy(sub, sha256, sizeof(sub));
	folder = g_build_filename(dir, sub, NULL);
	*path = g_build_filename(folder, sha256, NULL);
	if (access(*path, F_OK) == 0) {
		g_free(folder);
		return 0;
	}
	if (access(folder, F_OK) == -1 && file_mkdirs(folder, 0750) == -1) {
		snprintf(err, errlen, "%s: %s", folder, strerror(errno));
		g_free(folder);
		g_clear_pointer(path, g_free);
		return -1;
	}
	g_free(folder);
	if (file_write_atomic(*path, buf, len, 0, err, errlen) == -1) {
		g_clear_pointer(path, g_free);
		return -1;
	}
	return 0;
}

int
archive_sync(const char *dir, char *err, size_t errlen)
{
	int fd, rc;

	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	rc = syncfs(fd);
	if (rc == -1)
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
	close(fd);
	return rc;
}
