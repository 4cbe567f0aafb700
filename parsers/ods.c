/* ods.c — placeholder until the ods reader lands (being written now). */
#include <stdio.h>
#include "reader.h"

static struct grid *
ods_read(const unsigned char *buf, size_t len, const struct limits *l,
    char *err, size_t errlen)
{
	(void)buf; (void)len; (void)l;
	snprintf(err, errlen, "ods reader not built yet");
	return NULL;
}

const struct reader reader_ods = { GRID_FORMAT_ODS, "ods", ods_read };
