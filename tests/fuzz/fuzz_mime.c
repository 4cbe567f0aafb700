/*
 * fuzz_mime.c — libFuzzer target for the MIME walk: the pre-scan, GMime's
 * tree, filename cleaning and attachment decoding.
 */
#include <stddef.h>
#include <stdint.h>

#include "mime.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct mime_limits l = { 1024 * 1024, 512 * 1024, MIME_DEPTH,
	    MIME_PARTS, MIME_HEADER_LINE };
	char err[512];

	mail_free(mail_parse(data, len, &l, err, sizeof(err)));
	return 0;
}
