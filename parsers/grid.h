/*
 * grid.h — the one shape every spreadsheet reader produces.
 *
 * A grid is a workbook reduced to what intake needs: sheets of typed cells,
 * the workbook's single-cell defined names, and where it came from.  Readers
 * (xlsx.c, xls.c, ods.c, csv.c) fill a grid; nothing downstream knows which
 * format a reply was saved in.  A grid owns all its memory; grid_free()
 * releases it.
 */
#ifndef SURVEYD_GRID_H
#define SURVEYD_GRID_H

#include <stddef.h>
#include <stdint.h>

#include "limit.h"

enum grid_format {
	GRID_FORMAT_UNKNOWN = 0,
	GRID_FORMAT_XLSX,
	GRID_FORMAT_XLS,
	GRID_FORMAT_ODS,
	GRID_FORMAT_CSV,
	GRID_FORMAT_ZIP,	/* a ZIP archive holding one of the above */
};

enum cell_type {
	CELL_STRING = 1,	/* text in .text */
	CELL_NUMBER,		/* .number; .text is NULL */
	CELL_BOOL,		/* .number is 0 or 1 */
	CELL_DATE,		/* .number: serial days, 1900 system (1 = 1900-01-01) */
	CELL_ERROR,		/* .text holds the error, e.g. "#REF!" */
	CELL_NOVALUE,		/* a formula whose result was never saved */
};

/* Cell flags: how the cell was formatted, where that changes its meaning. */
#define CELL_PERCENT	0x1	/* number shown as a percentage */
#define CELL_FORMULA	0x2	/* the value is a formula's cached result */
#define CELL_TEXTFMT	0x4	/* cell formatted as text ("@") */

struct cell {
	uint32_t	 row;		/* 0-based */
	uint32_t	 col;		/* 0-based */
	enum cell_type	 type;
	unsigned	 flags;
	double		 number;
	char		*text;		/* UTF-8, NUL-terminated, or NULL */
};

struct sheet {
	char		*name;		/* UTF-8 */
	int		 hidden;	/* hidden or very hidden */
	struct cell	*cells;		/* in the order the file gave them */
	size_t		 ncells;
	size_t		 cap;
	int		 unordered;	/* not in row-major order: no bsearch */
};

/* A workbook defined name that refers to cells on one sheet. */
struct grid_name {
	char		*name;
	char		*sheet;
	uint32_t	 row1, col1;	/* top-left, 0-based */
	uint32_t	 row2, col2;	/* bottom-right; equal to row1/col1 for one cell */
};

struct grid {
	enum grid_format	 format;
	enum grid_format	 inner;		/* for GRID_FORMAT_ZIP: what it held */
	struct sheet		*sheets;
	size_t			 nsheets;
	struct grid_name	*names;
	size_t			 nnames;
};

/*
 * Readers report a failure as one line of plain words in a caller-provided
 * buffer (at least GRID_ERRLEN bytes), naming the part of the file and, when
 * one is to blame, the sheet and cell.
 */
#define GRID_ERRLEN	512

struct grid	*grid_new(enum grid_format);
void		 grid_free(struct grid *);

struct sheet	*grid_sheet_add(struct grid *, const char *name, int hidden);
/* Adds a cell; takes ownership of text (may be NULL).  -1 when out of memory. */
int		 sheet_cell_add(struct sheet *, uint32_t row, uint32_t col,
		    enum cell_type, double number, char *text, unsigned flags);
int		 grid_name_add(struct grid *, const char *name, const char *sheet,
		    uint32_t row1, uint32_t col1, uint32_t row2, uint32_t col2);

struct sheet		*grid_sheet_find(const struct grid *, const char *name);
const struct cell	*sheet_cell_find(const struct sheet *, uint32_t row, uint32_t col);
const struct grid_name	*grid_name_find(const struct grid *, const char *name);

/* "C5" for row 4, col 2.  buf needs at least GRID_CELLREF_LEN bytes. */
#define GRID_CELLREF_LEN	16
char		*grid_cellref_format(char *buf, uint32_t row, uint32_t col);
/* Parses "C5", "$C$5"; returns 0 on success. */
int		 grid_cellref_parse(const char *, uint32_t *row, uint32_t *col);

/* Converts an ISO date (Y, M, D) to a 1900-system serial and back. */
double		 grid_date_serial(int year, int month, int day);
int		 grid_date_ymd(double serial, int *year, int *month, int *day);

const char	*grid_format_name(enum grid_format);
/* Format by content: magic bytes, then the names inside a ZIP. */
enum grid_format grid_format_detect(const unsigned char *, size_t);

/*
 * Reads a file held in memory into a grid, by its content.  A ZIP holding a
 * single spreadsheet is opened.  Returns NULL with err filled on failure.
 */
struct grid	*grid_read(const unsigned char *, size_t,
		    const struct limits *, char *err, size_t errlen);

/* Flat encoding of a grid, to carry it from the parser process. */
int		 grid_encode(const struct grid *, unsigned char **out, size_t *outlen);
struct grid	*grid_decode(const unsigned char *, size_t);

#endif
