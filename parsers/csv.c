/* csv.c — placeholder until the csv reader lands (being written now). */
#include <stdio.h>
#include "reader.h"

static struct grid *
csv_read(const unsigned char *buf, size_t len, const struct limits *l,
    char *err, size_t errlen)
{
	(void)buf; (void)len; (void)l;
	snprintf(err, errlen, "csv reader not built yet");
	return NULL;
}

const struct reader reader_csv = { GRID_FORMAT_CSV, "csv", csv_read };
