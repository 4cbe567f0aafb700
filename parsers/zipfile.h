/*
 * zipfile.h — a ZIP archive held in memory, opened under limits.
 *
 * XLSX and ODS are ZIPs, and people zip their replies; this is the one place
 * that inflates anything.  It counts what it inflates instead of trusting the
 * sizes the archive declares, so a bomb stops at the limit.
 */
#ifndef SURVEYD_ZIPFILE_H
#define SURVEYD_ZIPFILE_H

#include <stddef.h>

#include "limit.h"

struct zipfile;

/* NULL with err filled when the data is not a ZIP or breaks a limit. */
struct zipfile	*zipfile_open(const unsigned char *, size_t,
		    const struct limits *, char *err, size_t errlen);
void		 zipfile_close(struct zipfile *);

size_t		 zipfile_count(const struct zipfile *);
const char	*zipfile_name(const struct zipfile *, size_t index);
/* 1 when the archive has a member of that exact name. */
int		 zipfile_has(const struct zipfile *, const char *name);

/*
 * Inflates one member and hands it to cb in chunks; cb returns 0 to go on,
 * -1 to stop (having filled err).  Returns 0, or -1 with err filled.
 */
typedef int	(*zipfile_chunk_cb)(void *arg, const char *buf, size_t len,
		    char *err, size_t errlen);
int		 zipfile_member_stream(struct zipfile *, const char *name,
		    zipfile_chunk_cb, void *arg, char *err, size_t errlen);
/* Inflates one member whole; *out is malloc'd and NUL-terminated. */
int		 zipfile_member_read(struct zipfile *, const char *name,
		    unsigned char **out, size_t *outlen, char *err, size_t errlen);

#endif
