/* zipfile.c — placeholder until the ZIP reader lands (being written now). */
#include <stdio.h>
#include "zipfile.h"

struct zipfile *
zipfile_open(const unsigned char *buf, size_t len, const struct limits *l,
    char *err, size_t errlen)
{
	(void)buf; (void)len; (void)l;
	snprintf(err, errlen, "zip reader not built yet");
	return NULL;
}
void zipfile_close(struct zipfile *z) { (void)z; }
size_t zipfile_count(const struct zipfile *z) { (void)z; return 0; }
const char *zipfile_name(const struct zipfile *z, size_t i) { (void)z; (void)i; return NULL; }
int zipfile_has(const struct zipfile *z, const char *n) { (void)z; (void)n; return 0; }
int zipfile_member_stream(struct zipfile *z, const char *n, zipfile_chunk_cb cb, void *a, char *err, size_t errlen)
{ (void)z; (void)n; (void)cb; (void)a; snprintf(err, errlen, "no"); return -1; }
int zipfile_member_read(struct zipfile *z, const char *n, unsigned char **o, size_t *ol, char *err, size_t errlen)
{ (void)z; (void)n; (void)o; (void)ol; snprintf(err, errlen, "no"); return -1; }
