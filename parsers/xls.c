/*
 * xls.c — the legacy Excel reader (BIFF8, "Excel 97-2003"), on freexl.
 *
 * What Debian's freexl 1.0.6 gives is cell values and date formats only:
 * no defined names, no sheet visibility, no cached formula results (a
 * formula cell reads as empty), and booleans and error values come out as
 * the integers 0/1.  So an .xls reply maps through the form's hidden
 * field-name column and its `_surveyd` sheet, never through q_ names, and
 * every sheet is reported visible.
 *
 * freexl opens only paths, so the bytes go to a memfd (or, without /proc,
 * an unlinked temporary file).  It parses the whole workbook at open time,
 * allocating rows x columns cells for each sheet as the file declares them:
 * a hostile declaration is bounded by the parser process's address-space
 * limit, and this reader refuses to walk one before it starts.
 */
#include <sys/mman.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <freexl.h>

#include "reader.h"

/*
 * freexl_get_cell_value() is called once per row x column slot, empty or
 * not; a sheet may declare this many slots per cell allowed.
 */
#define XLS_SLOTS_PER_CELL	4

/* A BIFF8 or BIFF5 BOF record opening the workbook globals. */
#define BOF_BIFF8	"\x09\x08\x10\x00\x00\x06\x05\x00"
#define BOF_BIFF5	"\x09\x08\x08\x00\x00\x05\x05\x00"
#define BOF_LEN		8
/* The FILEPASS record type, little-endian: the workbook is encrypted. */
#define FILEPASS	"\x2f\x00"
/* Stream names are UTF-16LE in the OLE directory. */
#define ENCRYPTION_INFO	"E\0n\0c\0r\0y\0p\0t\0i\0o\0n\0I\0n\0f\0o\0"

#define PASSWORD_ERROR	"the workbook is password-protected (encrypted): " \
			"save it again without a password"

/* The file freexl reads: a memfd, or a temporary file to unlink. */
struct spill {
	int	 fd;
	int	 unlink;
	char	 path[PATH_MAX];
};

static const char *
xls_strerror(int rc)
{
	switch (rc) {
	case FREEXL_OK:
		/* freexl 1.0.6 can fail with FREEXL_OK and no handle. */
		return "freexl gave up without a reason (a damaged file, or "
		    "sheets declaring more cells than memory holds)";
	case FREEXL_INSUFFICIENT_MEMORY:
		return "out of memory: the workbook declares more cells than "
		    "can be held";
	case FREEXL_INVALID_CFBF_HEADER:
	case FREEXL_CFBF_INVALID_SIGNATURE:
	case FREEXL_CFBF_INVALID_SECTOR_SIZE:
		return "the OLE container header is damaged";
	case FREEXL_CFBF_READ_ERROR:
	case FREEXL_CFBF_SEEK_ERROR:
		return "the file ends before the data it points to";
	case FREEXL_CFBF_EMPTY_FAT_CHAIN:
	case FREEXL_CFBF_ILLEGAL_FAT_ENTRY:
	case FREEXL_INVALID_MINI_STREAM:
	case FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
		return "the OLE container's sector tables are damaged";
	case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
		return "there is no Workbook stream in the OLE container";
	case FREEXL_BIFF_INVALID_BOF:
		return "the workbook stream does not start like one";
	case FREEXL_BIFF_INVALID_SST:
	case FREEXL_BIFF_ILLEGAL_SST_INDEX:
		return "the shared string table is damaged";
	case FREEXL_INVALID_CHARACTER:
		return "a text is not valid in the workbook's character set";
	case FREEXL_UNSUPPORTED_CHARSET:
		return "the workbook's code page is not supported";
	case FREEXL_ILLEGAL_CELL_ROW_COL:
		return "a cell lies outside its sheet's declared size";
	case FREEXL_ILLEGAL_RK_VALUE:
		return "a number record is damaged";
	case FREEXL_CRAFTED_FILE:
		return "the structure is damaged in a way that looks deliberate";
	default:
		return "freexl could not read it";
	}
}

/*
 * An encrypted BIFF workbook has FILEPASS right after the globals' BOF;
 * refuse it before freexl wades through ciphertext.
 */
static int
xls_filepass(const unsigned char *buf, size_t len)
{
	const unsigned char *p;
	size_t off, reclen;

	if ((p = memmem(buf, len, BOF_BIFF8, BOF_LEN)) == NULL &&
	    (p = memmem(buf, len, BOF_BIFF5, BOF_LEN)) == NULL)
		return 0;
	/* A stream starts on a sector, and mini sectors are 64 bytes. */
	off = (size_t)(p - buf);
	if (off % 64 != 0)
		return 0;
	reclen = 4 + (size_t)p[2];
	return len - off >= reclen + 2 && memcmp(p + reclen, FILEPASS, 2) == 0;
}

/*
 * An encrypted .xlsx is an OLE file holding EncryptionInfo and
 * EncryptedPackage streams and no Workbook: only then is the name looked
 * for, so a cell that happens to read "EncryptionInfo" cannot trip it.
 */
static int
xls_encrypted_ooxml(const unsigned char *buf, size_t len, int rc)
{
	return rc == FREEXL_BIFF_WORKBOOK_NOT_FOUND &&
	    memmem(buf, len, ENCRYPTION_INFO, sizeof(ENCRYPTION_INFO) - 1);
}

static int
write_all(int fd, const unsigned char *buf, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, buf, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* A temporary file, for systems without memfd or without /proc. */
static int
spill_tmpfile(struct spill *sp)
{
	const char *dir;

	if ((dir = getenv("TMPDIR")) == NULL || *dir == '\0')
		dir = "/tmp";
	if (snprintf(sp->path, sizeof(sp->path), "%s/surveyd-xls.XXXXXX",
	    dir) >= (int)sizeof(sp->path))
		return -1;
	if ((sp->fd = mkostemp(sp->path, O_CLOEXEC)) == -1)
		return -1;
	sp->unlink = 1;
	return 0;
}

static int
spill_open(const unsigned char *buf, size_t len, struct spill *sp,
    char *err, size_t errlen)
{
	sp->unlink = 0;
	sp->fd = memfd_create("surveyd-xls", MFD_CLOEXEC);
	if (sp->fd != -1) {
		snprintf(sp->path, sizeof(sp->path), "/proc/self/fd/%d",
		    sp->fd);
		if (access(sp->path, R_OK) == -1) {
			close(sp->fd);
			sp->fd = -1;
		}
	}
	if (sp->fd == -1 && spill_tmpfile(sp) == -1) {
		snprintf(err, errlen, "cannot hold the workbook for reading: "
		    "%s", strerror(errno));
		return -1;
	}
	if (write_all(sp->fd, buf, len) == -1) {
		snprintf(err, errlen, "cannot hold the workbook for reading: "
		    "%s", strerror(errno));
		if (sp->unlink)
			unlink(sp->path);
		close(sp->fd);
		return -1;
	}
	return 0;
}

/* Once freexl has its own FILE, our name and descriptor can go. */
static void
spill_close(struct spill *sp)
{
	if (sp->unlink)
		unlink(sp->path);
	close(sp->fd);
}

/* "HH:MM:SS" as a fraction of a day; -1 when it is not one. */
static double
xls_time(const char *s)
{
	int hh, mm, ss, n = 0;

	if (sscanf(s, "%2d:%2d:%2d%n", &hh, &mm, &ss, &n) != 3 ||
	    s[n] != '\0' || hh < 0 || hh > 24 || mm < 0 || mm > 59 ||
	    ss < 0 || ss > 59)
		return -1;
	return (hh * 3600 + mm * 60 + ss) / 86400.0;
}

/*
 * freexl renders date cells as text in its own fixed forms, already
 * shifted from the 1904 system when the workbook used it; back to a 1900
 * serial.  -1 when the text is not one of them.
 */
static int
xls_date(const char *s, int type, double *serial)
{
	int y, m, d, n = 0;
	double frac = 0;

	if (type == FREEXL_CELL_TIME) {
		*serial = xls_time(s);
		return *serial < 0 ? -1 : 0;
	}
	if (sscanf(s, "%5d-%2d-%2d%n", &y, &m, &d, &n) != 3 || m < 1 ||
	    m > 12 || d < 1 || d > 31)
		return -1;
	if (type == FREEXL_CELL_DATETIME &&
	    (s[n] != ' ' || (frac = xls_time(s + n + 1)) < 0))
		return -1;
	if (type == FREEXL_CELL_DATE && s[n] != '\0')
		return -1;
	*serial = grid_date_serial(y, m, d) + frac;
	return 0;
}

static int
xls_cell(struct sheet *s, const struct limits *l, uint32_t row,
    uint32_t col, const FreeXL_CellValue *v, char *err, size_t errlen)
{
	enum cell_type type = CELL_STRING;
	double number = 0;
	const char *src = NULL;
	char *text = NULL;

	switch (v->type) {
	case FREEXL_CELL_INT:
		type = CELL_NUMBER;
		number = v->value.int_value;
		break;
	case FREEXL_CELL_DOUBLE:
		type = CELL_NUMBER;
		number = v->value.double_value;
		/* Only a crafted file holds these; keep them out of sums. */
		if (!isfinite(number)) {
			type = CELL_ERROR;
			src = "#NUM!";
		}
		break;
	case FREEXL_CELL_DATE:
	case FREEXL_CELL_DATETIME:
	case FREEXL_CELL_TIME:
		type = CELL_DATE;
		if (xls_date(v->value.text_value, v->type, &number) == -1) {
			type = CELL_STRING;
			src = v->value.text_value;
		}
		break;
	default:
		src = v->value.text_value;
		break;
	}
	if (reader_cell_check(s, l, row, col, src ? strlen(src) : 0, err,
	    errlen) == -1)
		return -1;
	if ((src != NULL && (text = strdup(src)) == NULL) ||
	    sheet_cell_add(s, row, col, type, number, text, 0) == -1) {
		snprintf(err, errlen, "out of memory reading sheet '%s'",
		    s->name);
		return -1;
	}
	return 0;
}

static int
xls_sheet(const void *h, unsigned short index, struct grid *g,
    const struct limits *l, char *err, size_t errlen)
{
	FreeXL_CellValue v;
	struct sheet *s;
	const char *name;
	unsigned int rows, r;
	unsigned short cols, c;
	char ref[GRID_CELLREF_LEN];
	int rc;

	if ((rc = freexl_get_worksheet_name(h, index, &name)) != FREEXL_OK ||
	    (rc = freexl_select_active_worksheet(h, index)) != FREEXL_OK ||
	    (rc = freexl_worksheet_dimensions(h, &rows, &cols)) != FREEXL_OK) {
		snprintf(err, errlen, "corrupt .xls file: sheet %u: %s "
		    "(freexl error %d)", index + 1u, xls_strerror(rc), rc);
		return -1;
	}
	if ((s = grid_sheet_add(g, name, 0)) == NULL) {
		snprintf(err, errlen, "out of memory reading sheet '%s'", name);
		return -1;
	}
	if ((uint64_t)rows * cols > (uint64_t)l->sheet_cells *
	    XLS_SLOTS_PER_CELL) {
		snprintf(err, errlen, "sheet '%s' declares %u rows x %u "
		    "columns, more than %zu cells can fill", name, rows,
		    (unsigned)cols, l->sheet_cells);
		return -1;
	}
	for (r = 0; r < rows; r++) {
		for (c = 0; c < cols; c++) {
			if ((rc = freexl_get_cell_value(h, r, c, &v)) !=
			    FREEXL_OK) {
				snprintf(err, errlen, "corrupt .xls file: sheet "
				    "'%s', cell %s: %s (freexl error %d)", name,
				    grid_cellref_format(ref, r, c),
				    xls_strerror(rc), rc);
				return -1;
			}
			if (v.type != FREEXL_CELL_NULL &&
			    xls_cell(s, l, r, c, &v, err, errlen) == -1)
				return -1;
		}
	}
	return 0;
}

static struct grid *
xls_workbook(const void *h, const struct limits *l, char *err,
    size_t errlen)
{
	struct grid *g;
	unsigned int info, nsheets, i;

	if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) != FREEXL_OK ||
	    info != FREEXL_BIFF_PLAIN) {
		/* freexl 1.0.6 reports an obfuscated file as neither value. */
		snprintf(err, errlen, PASSWORD_ERROR);
		return NULL;
	}
	if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &nsheets) !=
	    FREEXL_OK || nsheets == 0) {
		snprintf(err, errlen, "corrupt .xls file: the workbook has no "
		    "sheets");
		return NULL;
	}
	if (nsheets > l->sheets || nsheets > USHRT_MAX) {
		snprintf(err, errlen, "the workbook has %u sheets, more than "
		    "%zu", nsheets, l->sheets);
		return NULL;
	}
	if ((g = grid_new(GRID_FORMAT_XLS)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (i = 0; i < nsheets; i++) {
		if (xls_sheet(h, (unsigned short)i, g, l, err, errlen) == -1) {
			grid_free(g);
			return NULL;
		}
	}
	return g;
}

static struct grid *
xls_read(const unsigned char *buf, size_t len, const struct limits *l,
    char *err, size_t errlen)
{
	struct spill sp;
	struct grid *g;
	const void *h = NULL;
	int rc;

	if (xls_filepass(buf, len)) {
		snprintf(err, errlen, PASSWORD_ERROR);
		return NULL;
	}
	if (spill_open(buf, len, &sp, err, errlen) == -1)
		return NULL;
	rc = freexl_open(sp.path, &h);
	spill_close(&sp);
	if (rc != FREEXL_OK || h == NULL) {
		if (xls_encrypted_ooxml(buf, len, rc))
			snprintf(err, errlen, PASSWORD_ERROR);
		else
			snprintf(err, errlen, "corrupt or truncated .xls file: "
			    "%s (freexl error %d)", xls_strerror(rc), rc);
		freexl_close(h);
		return NULL;
	}
	g = xls_workbook(h, l, err, errlen);
	freexl_close(h);
	return g;
}

const struct reader reader_xls = { GRID_FORMAT_XLS, "xls", xls_read };
