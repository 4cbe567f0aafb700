/*
 * archive.h — every file a respondent sent, kept by its sha256 under the
 * archive folder (ab/abcd...), whatever became of it.  The same bytes
 * are stored once however often they arrive.
 */
#ifndef SURVEYD_ARCHIVE_H
#define SURVEYD_ARCHIVE_H

#include <stddef.h>

#define ARCHIVE_SHA256_LEN	65	/* 64 hex digits and a NUL */

void	archive_sha256(const unsigned char *, size_t, char out[ARCHIVE_SHA256_LEN]);
/*
 * Writes the bytes under their hash unless already there; *path gets the
 * file's path (g_free it).  Not synced: call archive_sync() before the
 * database commit that refers to the files.
 */
int	archive_put(const char *dir, const unsigned char *, size_t,
	    const char *sha256, char **path, char *err, size_t errlen);
/* Makes every archive write so far durable (one syncfs for a batch). */
int	archive_sync(const char *dir, char *err, size_t errlen);

#endif
