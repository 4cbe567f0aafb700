/*
 * sniff.c — choosing a reader by what a file is, not what it is called.
 *
 * Provincial staff rename files, mail clients invent names, and a PDF called
 * "phieu.xlsx" must be refused as a PDF.  The magic bytes decide; inside a
 * ZIP, the member names decide between XLSX, ODS and a zipped reply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grid.h"
#include "reader.h"
#include "zipfile.h"

static int
has_prefix(const unsigned char *buf, size_t len, const char *magic, size_t n)
{
	return len >= n && memcmp(buf, magic, n) == 0;
}

/* What a non-spreadsheet is, for an error that helps the secretary. */
static const char *
sniff_other(const unsigned char *buf, size_t len)
{
	if (has_prefix(buf, len, "%PDF", 4))
		return "a PDF document";
	if (has_prefix(buf, len, "\x89PNG", 4))
		return "a PNG image";
	if (has_prefix(buf, len, "\xff\xd8\xff", 3))
		return "a JPEG image";
	if (has_prefix(buf, len, "GIF8", 4))
		return "a GIF image";
	if (has_prefix(buf, len, "{\\rtf", 5))
		return "an RTF document";
	if (has_prefix(buf, len, "Rar!", 4))
		return "a RAR archive";
	if (has_prefix(buf, len, "7z\xbc\xaf", 4))
		return "a 7-Zip archive";
	return NULL;
}

/*
 * Text is anything without NUL bytes in its first 4 KiB, or UTF-16 with a
 * byte order mark (Excel's "Unicode text" export).
 */
static int
sniff_text(const unsigned char *buf, size_t len)
{
	size_t n = len < 4096 ? len : 4096;

	if (has_prefix(buf, len, "\xff\xfe", 2) ||
	    has_prefix(buf, len, "\xfe\xff", 2))
		return 1;
	return memchr(buf, '\0', n) == NULL;
}

static enum grid_format
sniff_zip(const struct zipfile *z)
{
	/* Strict OOXML may keep its workbook elsewhere: the reader follows
	 * _rels/.rels, so the package's content-types part is enough here. */
	if (zipfile_has(z, "xl/workbook.xml") ||
	    zipfile_has(z, "[Content_Types].xml"))
		return GRID_FORMAT_XLSX;
	if (zipfile_has(z, "content.xml") && zipfile_has(z, "mimetype"))
		return GRID_FORMAT_ODS;
	return GRID_FORMAT_ZIP;
}

enum grid_format
grid_format_detect(const unsigned char *buf, size_t len)
{
	struct limits l;
	struct zipfile *z;
	enum grid_format f;
	char err[GRID_ERRLEN];

	if (has_prefix(buf, len, "PK\x03\x04", 4)) {
		limits_default(&l);
		if ((z = zipfile_open(buf, len, &l, err, sizeof(err))) == NULL)
			return GRID_FORMAT_ZIP;
		f = sniff_zip(z);
		zipfile_close(z);
		return f;
	}
	if (has_prefix(buf, len, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))
		return GRID_FORMAT_XLS;
	if (len > 0 && sniff_other(buf, len) == NULL && sniff_text(buf, len))
		return GRID_FORMAT_CSV;
	return GRID_FORMAT_UNKNOWN;
}

static const struct reader *
reader_for(enum grid_format f)
{
	switch (f) {
	case GRID_FORMAT_XLSX:
		return &reader_xlsx;
	case GRID_FORMAT_XLS:
		return &reader_xls;
	case GRID_FORMAT_ODS:
		return &reader_ods;
	case GRID_FORMAT_CSV:
		return &reader_csv;
	default:
		return NULL;
	}
}

/* Names of members a zipped reply may carry besides the spreadsheet. */
static int
zip_member_ignorable(const char *name)
{
	size_t n = strlen(name);

	return n == 0 || name[n - 1] == '/' || strncmp(name, "__MACOSX/", 9) == 0 ||
	    strstr(name, "/.") != NULL || name[0] == '.';
}

/*
 * A zipped reply: exactly one member must be a spreadsheet.  Anything
 * nested deeper than that is refused, as a ZIP in a ZIP is never a reply.
 */
static struct grid *
grid_read_zipped(struct zipfile *z, const struct limits *l, char *err,
    size_t errlen)
{
	const struct reader *r;
	struct grid *g = NULL;
	unsigned char *data;
	const char *name, *found = NULL;
	enum grid_format f, ffound = GRID_FORMAT_UNKNOWN;
	size_t i, len;

	for (i = 0; i < zipfile_count(z); i++) {
		name = zipfile_name(z, i);
		if (name == NULL || zip_member_ignorable(name))
			continue;
		if (zipfile_member_read(z, name, &data, &len, err, errlen) == -1)
			return NULL;
		f = grid_format_detect(data, len);
		free(data);
		if (f == GRID_FORMAT_UNKNOWN || f == GRID_FORMAT_ZIP)
			continue;
		if (found != NULL) {
			snprintf(err, errlen, "the ZIP holds more than one "
			    "spreadsheet ('%s' and '%s'): send one per file",
			    found, name);
			return NULL;
		}
		found = name;
		ffound = f;
	}
	if (found == NULL) {
		snprintf(err, errlen, "the ZIP holds no spreadsheet");
		return NULL;
	}
	if (zipfile_member_read(z, found, &data, &len, err, errlen) == -1)
		return NULL;
	r = reader_for(ffound);
	g = r->read(data, len, l, err, errlen);
	free(data);
	if (g != NULL) {
		g->inner = ffound;
		g->format = GRID_FORMAT_ZIP;
	}
	return g;
}

struct grid *
grid_read(const unsigned char *buf, size_t len, const struct limits *l,
    char *err, size_t errlen)
{
	const struct reader *r;
	struct zipfile *z;
	struct grid *g;
	const char *other;
	enum grid_format f;

	if (len == 0) {
		snprintf(err, errlen, "empty file");
		return NULL;
	}
	if ((other = sniff_other(buf, len)) != NULL) {
		snprintf(err, errlen, "not a spreadsheet: the file is %s", other);
		return NULL;
	}
	if (has_prefix(buf, len, "PK\x03\x04", 4)) {
		if ((z = zipfile_open(buf, len, l, err, errlen)) == NULL)
			return NULL;
		f = sniff_zip(z);
		if (f == GRID_FORMAT_ZIP)
			g = grid_read_zipped(z, l, err, errlen);
		else
			g = reader_for(f)->read(buf, len, l, err, errlen);
		zipfile_close(z);
		return g;
	}
	f = grid_format_detect(buf, len);
	if ((r = reader_for(f)) == NULL) {
		snprintf(err, errlen, "not a spreadsheet: unrecognised binary "
		    "content");
		return NULL;
	}
	return r->read(buf, len, l, err, errlen);
}
