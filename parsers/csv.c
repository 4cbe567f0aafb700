/*
 * csv.c — the CSV reader: replies and rosters saved as text.
 *
 * Decodes the file through charset.c, guesses the delimiter (Excel set to
 * Vietnamese saves with ';', "Unicode text" with tabs), and reads RFC 4180
 * records into one sheet of text cells.  Nothing is typed here: "01" must
 * stay "01" and "1.250,75" is for intake to judge against its field.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charset.h"
#include "reader.h"

/* Records looked at to guess the delimiter. */
#define SNIFF_RECORDS	20

static const char csv_delims[] = { ',', ';', '\t' };
#define NDELIMS		(sizeof(csv_delims) / sizeof(csv_delims[0]))

/* What ended a field. */
enum csv_end {
	END_DELIM,
	END_RECORD,
	END_FILE,
};

struct csv {
	const char		*p;		/* next byte of the decoded text */
	const char		*end;		/* its NUL terminator */
	char			 delim;
	unsigned char		 stops[256];	/* bytes ending an unquoted field */
	uint32_t		 row, col;
	size_t			 line;		/* physical line, 1-based */
	char			*buf;		/* the field read so far, unescaped */
	size_t			 len, cap;
	struct sheet		*sheet;
	const struct limits	*limits;
	char			*err;
	size_t			 errlen;
};

/* Per record, how many of each delimiter stand outside quotes. */
static size_t
sniff_tally(const char *p, const char *end,
    size_t counts[NDELIMS][SNIFF_RECORDS])
{
	size_t cur[NDELIMS] = { 0 }, nrec = 0, i;
	int inquote = 0, content = 0, eol;

	for (; nrec < SNIFF_RECORDS; p++) {
		eol = p == end || (!inquote && (*p == '\n' || *p == '\r'));
		if (eol && content) {
			for (i = 0; i < NDELIMS; i++)
				counts[i][nrec] = cur[i];
			nrec++;
		}
		if (p == end)
			break;
		if (eol) {
			memset(cur, 0, sizeof(cur));
			content = 0;
			continue;
		}
		if (*p == '"')
			inquote = !inquote;
		else if (!inquote)
			for (i = 0; i < NDELIMS; i++)
				cur[i] += *p == csv_delims[i];
		content = 1;
	}
	return nrec;
}

/*
 * The delimiter is the one whose count is the same on most records: Excel
 * pads every row to the same number of delimiters, while a comma in a
 * ';'-file ("1,5") or a ';' between e-mail addresses in a ','-file varies
 * from row to row and is missing from the header.  Ties go to the larger
 * count, then to ',' as RFC 4180 has it.
 */
static char
csv_sniff(const char *p, const char *end)
{
	size_t counts[NDELIMS][SNIFF_RECORDS];
	size_t nrec, d, j, k, freq, bestfreq = 0, bestcount = 0;
	char best = ',';

	nrec = sniff_tally(p, end, counts);
	for (d = 0; d < NDELIMS; d++) {
		for (j = 0; j < nrec; j++) {
			if (counts[d][j] == 0)
				continue;
			for (freq = 0, k = 0; k < nrec; k++)
				freq += counts[d][k] == counts[d][j];
			if (freq > bestfreq || (freq == bestfreq &&
			    counts[d][j] > bestcount)) {
				bestfreq = freq;
				bestcount = counts[d][j];
				best = csv_delims[d];
			}
		}
	}
	return best;
}

/*
 * Excel writes and honours a first line "sep=;" naming the delimiter; it
 * is a hint, not a row.
 */
static void
csv_sep_line(struct csv *c)
{
	const char *p = c->p;

	if (c->end - p < 5 || memcmp(p, "sep=", 4) != 0 || p[4] == '"' ||
	    p[4] == '\n' || p[4] == '\r')
		return;
	if (p + 5 != c->end && p[5] != '\n' && p[5] != '\r')
		return;
	c->delim = p[4];
	c->p = p + 5;
	if (c->p < c->end && *c->p == '\r')
		c->p++;
	if (c->p < c->end && *c->p == '\n')
		c->p++;
	c->line++;
}

static int
csv_append(struct csv *c, const char *s, size_t n)
{
	size_t ncap;
	char *p;

	/* Refuse an oversized cell before holding all of it. */
	if (c->len + n > c->limits->cell_text)
		return reader_cell_check(c->sheet, c->limits, c->row, c->col,
		    c->len + n, c->err, c->errlen);
	if (c->len + n >= c->cap) {
		for (ncap = c->cap ? c->cap : 256; ncap <= c->len + n; ncap *= 2)
			;
		if ((p = realloc(c->buf, ncap)) == NULL) {
			snprintf(c->err, c->errlen, "out of memory at line %zu",
			    c->line);
			return -1;
		}
		c->buf = p;
		c->cap = ncap;
	}
	memcpy(c->buf + c->len, s, n);
	c->len += n;
	return 0;
}

/* Consumes one line break: CRLF, LF or a lone CR (old Mac Excel). */
static void
csv_eol(struct csv *c)
{
	if (*c->p == '\r' && c->p + 1 < c->end && c->p[1] == '\n')
		c->p++;
	c->p++;
	c->line++;
}

/* Line breaks inside a quoted span still move the line count on. */
static void
csv_count_lines(struct csv *c, const char *s, const char *e)
{
	for (; s < e; s++)
		if (*s == '\n' || (*s == '\r' && (s + 1 == e || s[1] != '\n')))
			c->line++;
}

static int
csv_quoted(struct csv *c)
{
	size_t start = c->line;
	const char *s, *q;

	c->p++;
	for (;;) {
		s = c->p;
		if ((q = memchr(s, '"', (size_t)(c->end - s))) == NULL) {
			snprintf(c->err, c->errlen, "line %zu: unterminated "
			    "quoted field (the \" opened there is never "
			    "closed)", start);
			return -1;
		}
		csv_count_lines(c, s, q);
		if (csv_append(c, s, (size_t)(q - s)) == -1)
			return -1;
		c->p = q + 1;
		if (c->p == c->end || *c->p != '"')
			return 0;
		/* "" inside quotes is one quote. */
		if (csv_append(c, "\"", 1) == -1)
			return -1;
		c->p++;
	}
}

static int
csv_unquoted(struct csv *c)
{
	const char *s = c->p, *p = c->p;

	/* The text holds no NUL but ends with one, a stop like the others. */
	while (!c->stops[(unsigned char)*p])
		p++;
	c->p = p;
	return csv_append(c, s, (size_t)(p - s));
}

/* Adds the field just read as a text cell, unless it is empty. */
static int
csv_cell(struct csv *c)
{
	char *text;

	if (c->len == 0)
		return 0;
	if (reader_cell_check(c->sheet, c->limits, c->row, c->col, c->len,
	    c->err, c->errlen) == -1)
		return -1;
	if ((text = malloc(c->len + 1)) == NULL) {
		snprintf(c->err, c->errlen, "out of memory at line %zu",
		    c->line);
		return -1;
	}
	memcpy(text, c->buf, c->len);
	text[c->len] = '\0';
	if (sheet_cell_add(c->sheet, c->row, c->col, CELL_STRING, 0, text,
	    0) == -1) {
		snprintf(c->err, c->errlen, "out of memory at line %zu",
		    c->line);
		return -1;
	}
	return 0;
}

static int
csv_field(struct csv *c, enum csv_end *end)
{
	c->len = 0;
	if (c->p < c->end && *c->p == '"' && csv_quoted(c) == -1)
		return -1;
	/* Text after a closing quote is kept, as Excel keeps "ab"c. */
	if (csv_unquoted(c) == -1)
		return -1;
	if (c->p == c->end)
		*end = END_FILE;
	else if (*c->p == c->delim) {
		c->p++;
		*end = END_DELIM;
	} else {
		csv_eol(c);
		*end = END_RECORD;
	}
	return csv_cell(c);
}

static int
csv_records(struct csv *c)
{
	enum csv_end end;

	while (c->p < c->end) {
		if (csv_field(c, &end) == -1)
			return -1;
		if (end == END_FILE)
			break;
		if ((end == END_DELIM ? c->col : c->row) == UINT32_MAX - 1) {
			snprintf(c->err, c->errlen, "line %zu: too many %s",
			    c->line, end == END_DELIM ? "columns" : "rows");
			return -1;
		}
		if (end == END_DELIM)
			c->col++;
		else {
			c->row++;
			c->col = 0;
		}
	}
	return 0;
}

static struct grid *
csv_read(const unsigned char *buf, size_t len, const struct limits *l,
    char *err, size_t errlen)
{
	struct csv c;
	struct grid *g;
	char *text;
	size_t textlen;
	int rc;

	if ((text = charset_decode(buf, len, NULL, &textlen, err,
	    errlen)) == NULL)
		return NULL;
	if (textlen == 0) {
		free(text);
		snprintf(err, errlen, "empty file");
		return NULL;
	}
	memset(&c, 0, sizeof(c));
	c.p = text;
	c.end = text + textlen;
	c.line = 1;
	c.limits = l;
	c.err = err;
	c.errlen = errlen;
	c.delim = csv_sniff(c.p, c.end);
	csv_sep_line(&c);
	c.stops[(unsigned char)c.delim] = c.stops['\n'] = c.stops['\r'] = 1;
	c.stops['\0'] = 1;
	if ((g = grid_new(GRID_FORMAT_CSV)) == NULL ||
	    (c.sheet = grid_sheet_add(g, "csv", 0)) == NULL) {
		snprintf(err, errlen, "out of memory");
		grid_free(g);
		free(text);
		return NULL;
	}
	rc = csv_records(&c);
	if (rc == 0 && c.sheet->ncells == 0) {
		snprintf(err, errlen, "empty file: no cell has a value");
		rc = -1;
	}
	if (rc == -1) {
		grid_free(g);
		g = NULL;
	}
	free(c.buf);
	free(text);
	return g;
}

const struct reader reader_csv = { GRID_FORMAT_CSV, "csv", csv_read };
