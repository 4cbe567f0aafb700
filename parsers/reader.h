/*
 * reader.h — the interface every spreadsheet reader implements.
 *
 * One reader per file format, one file per reader (xlsx.c, xls.c, ods.c,
 * csv.c), as OpenSMTPD has one file per queue backend.  grid.c picks the
 * reader by the file's content and never looks inside a format itself.
 */
#ifndef SURVEYD_READER_H
#define SURVEYD_READER_H

#include <stddef.h>

#include "grid.h"
#include "limit.h"

struct reader {
	enum grid_format	 format;
	const char		*name;
	/*
	 * Reads a whole file held in memory.  Returns a new grid, or NULL with
	 * one line of plain words in err (GRID_ERRLEN bytes) saying what is
	 * wrong and where: part of the file, sheet, cell.
	 */
	struct grid		*(*read)(const unsigned char *, size_t,
				    const struct limits *, char *err, size_t errlen);
};

extern const struct reader reader_xlsx;
extern const struct reader reader_xls;
extern const struct reader reader_ods;
extern const struct reader reader_csv;

/*
 * Checks a cell against the limits before a reader adds it, so every reader
 * refuses the same things with the same words.  0 when it fits; -1 with err
 * filled ("sheet 'X', cell C5: text longer than 32768 bytes").
 */
int	reader_cell_check(const struct sheet *, const struct limits *,
	    uint32_t row, uint32_t col, size_t textlen, char *err, size_t errlen);

/*
 * Copies the sheet name at the start of a reference, quoted ('It''s') or
 * not, up to the separator ('!' in XLSX, '.' in ODS); returns a pointer to
 * the separator, or NULL when there is none or the name does not fit.
 */
const char	*reader_ref_sheet(const char *, char sep, char *sheet, size_t size);

/* Grows an array of n elements of size sz to hold one more; -1 on ENOMEM. */
int	reader_array_grow(void **arr, size_t *cap, size_t n, size_t sz);

#endif
