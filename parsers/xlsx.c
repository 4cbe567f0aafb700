/* xlsx.c — placeholder until the xlsx reader lands (being written now). */
#include <stdio.h>
#include "reader.h"

static struct grid *
xlsx_read(const unsigned char *buf, size_t len, const struct limits *l,
    char *err, size_t errlen)
{
	(void)buf; (void)len; (void)l;
	snprintf(err, errlen, "xlsx reader not built yet");
	return NULL;
}

const struct reader reader_xlsx = { GRID_FORMAT_XLSX, "xlsx", xlsx_read };
