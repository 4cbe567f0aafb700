/* xls.c — placeholder until the xls reader lands (being written now). */
#include <stdio.h>
#include "reader.h"

static struct grid *
xls_read(const unsigned char *buf, size_t len, const struct limits *l,
    char *err, size_t errlen)
{
	(void)buf; (void)len; (void)l;
	snprintf(err, errlen, "xls reader not built yet");
	return NULL;
}

const struct reader reader_xls = { GRID_FORMAT_XLS, "xls", xls_read };
