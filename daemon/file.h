/*
 * file.h — whole-file reads with a size bound, and durable writes: a
 * temporary file in the same folder, fsync, rename, as smtpd commits its
 * queue, so a crash leaves the old file or the new one, never half.
 */
#ifndef SURVEYD_FILE_H
#define SURVEYD_FILE_H

#include <stddef.h>

/* Reads at most max bytes; -1 with err filled (too big, missing...). */
int	file_read(const char *path, size_t max, unsigned char **out,
	    size_t *outlen, char *err, size_t errlen);
/* Writes atomically; sync 0 skips the fsync when a caller syncs a batch. */
int	file_write_atomic(const char *path, const void *, size_t, int sync,
	    char *err, size_t errlen);
/* The same, synced, readable by the owner only (password hashes). */
int	file_write_secret(const char *path, const void *, size_t, char *err,
	    size_t errlen);
/*
 * For writers that open their file by name (libxlsxwriter): an empty,
 * uniquely named file beside path, so the rename stays on one file system;
 * g_free it.  NULL with err filled ("cannot write PATH: ...").
 */
char	*file_temp_create(const char *path, char *err, size_t errlen);
/*
 * Makes the written temp file durable and renames it to path; on failure
 * removes it and fills err.  Either way tmp is only the caller's to free.
 */
int	file_temp_commit(const char *tmp, const char *path, char *err,
	    size_t errlen);
/* mkdir -p with mode; 0 when the folder exists afterwards. */
int	file_mkdirs(const char *path, int mode);
/* Joins a relative path to a base folder; absolute paths stay. g_free it. */
char	*file_resolve(const char *base_dir, const char *path);

#endif
