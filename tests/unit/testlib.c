/*
 * testlib.c — fixture reading, the suite runner, and assertions on grid
 * cells for the unit tests.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "testlib.h"

unsigned char *
test_file_read(size_t *len, const char *fmt, ...)
{
	char path[512];
	unsigned char *buf;
	va_list ap;
	long n;
	FILE *f;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	ck_assert_msg((f = fopen(path, "rb")) != NULL, "cannot open %s", path);
	ck_assert(fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0);
	rewind(f);
	ck_assert((buf = malloc((size_t)n + 1)) != NULL);
	ck_assert(fread(buf, 1, (size_t)n, f) == (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

int
test_suite_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

const struct cell *
test_cell_at(const struct grid *g, const char *sheet, const char *ref)
{
	const struct sheet *s;
	uint32_t r, c;

	ck_assert_msg((s = grid_sheet_find(g, sheet)) != NULL, "no sheet %s",
	    sheet);
	ck_assert_int_eq(grid_cellref_parse(ref, &r, &c), 0);
	return sheet_cell_find(s, r, c);
}

void
test_assert_number(const struct grid *g, const char *sheet, const char *ref,
    enum cell_type type, double number, unsigned flags)
{
	const struct cell *c = test_cell_at(g, sheet, ref);

	ck_assert_msg(c != NULL, "no cell %s!%s", sheet, ref);
	ck_assert_msg(c->type == type, "%s: type %d, not %d", ref, c->type,
	    type);
	ck_assert_msg(c->flags == flags, "%s: flags %u, not %u", ref, c->flags,
	    flags);
	ck_assert_double_eq_tol(c->number, number, 1e-9);
	ck_assert_ptr_null(c->text);
}

void
test_assert_text(const struct grid *g, const char *sheet, const char *ref,
    enum cell_type type, const char *text, unsigned flags)
{
	const struct cell *c = test_cell_at(g, sheet, ref);

	ck_assert_msg(c != NULL, "no cell %s!%s", sheet, ref);
	ck_assert_msg(c->type == type, "%s: type %d, not %d", ref, c->type,
	    type);
	ck_assert_msg(c->flags == flags, "%s: flags %u, not %u", ref, c->flags,
	    flags);
	ck_assert_str_eq(c->text, text);
}

void
test_assert_name(const struct grid *g, const char *name, const char *sheet,
    const char *from, const char *to)
{
	const struct grid_name *n;
	uint32_t r1, c1, r2, c2;

	ck_assert_msg((n = grid_name_find(g, name)) != NULL, "no name %s",
	    name);
	ck_assert_str_eq(n->sheet, sheet);
	ck_assert_int_eq(grid_cellref_parse(from, &r1, &c1), 0);
	ck_assert_int_eq(grid_cellref_parse(to, &r2, &c2), 0);
	ck_assert_msg(n->row1 == r1 && n->col1 == c1 && n->row2 == r2 &&
	    n->col2 == c2, "%s: wrong area", name);
}
