/*
 * limit.h — the bounds a reader enforces on a file it did not write.
 *
 * Every number a hostile file could push is named here with its default from
 * DESIGN.md ("Hostile input and limits"); the config may lower or raise them
 * and hands the result to the readers as a struct limits.
 */
#ifndef SURVEYD_LIMIT_H
#define SURVEYD_LIMIT_H

#include <stddef.h>
#include <stdint.h>

#define LIMIT_ZIP_ENTRIES	1000			/* members in one ZIP */
#define LIMIT_ZIP_INFLATED	(100u * 1024 * 1024)	/* bytes inflated, whole ZIP */
#define LIMIT_ZIP_RATIO		200			/* inflated:compressed, per member */
#define LIMIT_ZIP_RATIO_FLOOR	(1024 * 1024)		/* ratio only checked above this size */
#define LIMIT_XML_DEPTH		256			/* element nesting */
#define LIMIT_SHEET_CELLS	1000000			/* cells in one sheet */
#define LIMIT_CELL_TEXT		(32 * 1024)		/* bytes in one text cell */
#define LIMIT_SHEETS		256			/* sheets in one workbook */
#define LIMIT_PARSER_MEMORY	(256u * 1024 * 1024)	/* parser process address space */
#define LIMIT_PARSER_CPU	10			/* parser CPU seconds per file */

struct limits {
	size_t		zip_entries;
	uint64_t	zip_inflated;
	unsigned	zip_ratio;
	unsigned	xml_depth;
	size_t		sheet_cells;
	size_t		cell_text;
	size_t		sheets;
	uint64_t	parser_memory;
	unsigned	parser_cpu;
};

/* The defaults above, as a struct. */
void	limits_default(struct limits *);

#endif
