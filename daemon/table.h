/*
 * table.h — a sheet as rows of text under a header row, for the files an
 * administrator writes: questionnaire definitions and rosters.  Whatever
 * the cell type, the table holds the text a person would see.
 */
#ifndef SURVEYD_TABLE_H
#define SURVEYD_TABLE_H

#include <glib.h>

#include "grid.h"

struct table {
	char		*where;		/* "forms/a/survey.csv" or "x.xlsx, sheet 'survey'" */
	int		 csv;		/* columns named by header, not letter */
	guint		 nrows;		/* rows after the header */
	guint		 ncols;
	char		**header;	/* ncols names, lowercased and trimmed */
	char		**cells;	/* nrows * ncols, NULL when empty */
};

struct table	*table_from_sheet(const struct sheet *, const char *where, int csv);
void		 table_free(struct table *);
/* Column index of a header name, -1 when absent. */
int		 table_col(const struct table *, const char *name);
/* Text of a cell, NULL when empty or the column is absent (col -1). */
const char	*table_get(const struct table *, guint row, int col);
/* "row 5, column 'type'" (CSV) or "row 5, column C ('type')": g_free it. */
char		*table_place(const struct table *, guint row, int col);
/* The display text of any grid cell: numbers as "52", dates ISO. */
char		*cell_text(const struct cell *);

#endif
