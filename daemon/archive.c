/*
 * archive.c — the content-addressed archive of raw files.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "archive.h"
#include "file.h"

void
archive_sha256(const unsigned char *buf, size_t len, char out[ARCHIVE_SHA256_LEN])
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);

	g_checksum_update(ck, buf, (gssize)len);
	g_strlcpy(out, g_checksum_get_string(ck), ARCHIVE_SHA256_LEN);
	g_checksum_free(ck);
}

int
archive_put(const char *dir, const unsigned char *buf, size_t len,
    const char *sha256, char **path, char *err, size_t errlen)
{
	char sub[6], *folder;

	snprintf(sub, sizeof(sub), "%.2s/%.2s", sha256, sha256 + 2);
	folder = g_build_filename(dir, sub, NULL);
	*path = g_build_filename(folder, sha256, NULL);
	if (file_mkdirs(folder, 0750) == -1) {
		snprintf(err, errlen, "%s: %s", folder, strerror(errno));
		g_free(folder);
		g_free(*path);
		*path = NULL;
		return -1;
	}
	g_free(folder);
	if (g_file_test(*path, G_FILE_TEST_EXISTS))
		return 0;
	if (file_write_atomic(*path, buf, len, 0, err, errlen) == -1) {
		g_free(*path);
		*path = NULL;
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
