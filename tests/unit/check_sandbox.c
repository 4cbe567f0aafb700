/*
 * check_sandbox.c — the parser child: it reads what the process itself
 * would, and a child that hangs, dies or runs out of memory costs one file,
 * never the caller.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "testlib.h"
#include <glib.h>

#include "sandbox.h"

static const char csv[] = "name,value\ncount,12\nhas_rule,Có\n";

static void
grid_is_the_csv(const struct grid *g)
{
	ck_assert_ptr_nonnull(g);
	ck_assert_uint_eq(g->nsheets, 1);
	ck_assert_uint_eq(g->sheets[0].ncells, 6);
	ck_assert_str_eq(sheet_cell_find(&g->sheets[0], 2, 1)->text, "Có");
}

START_TEST(reads_in_the_child)
{
	struct limits l;
	struct sandbox *sb;
	struct grid *g;
	char err[GRID_ERRLEN];
	int i;

	limits_default(&l);
	sb = sandbox_new(&l);
	for (i = 0; i < 3; i++) {
		g = sandbox_grid_read(sb, (const unsigned char *)csv,
		    sizeof(csv) - 1, err, sizeof(err));
		grid_is_the_csv(g);
		grid_free(g);
	}
	/* One child served all three. */
	ck_assert_int_gt(sandbox_pid(sb), 0);
	g = sandbox_grid_read(sb, (const unsigned char *)"%PDF-1.4", 8, err,
	    sizeof(err));
	ck_assert_ptr_null(g);
	ck_assert_str_eq(err, "not a spreadsheet: the file is a PDF document");
	sandbox_free(sb);
}
END_TEST

/* Waits until a killed child is a zombie: it has died, not been reaped. */
static void
wait_dead(pid_t pid)
{
	char path[64], *stat = NULL, *paren;
	int i;

	g_snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	for (i = 0; i < 200; i++) {
		g_free(stat);
		stat = NULL;
		if (!g_file_get_contents(path, &stat, NULL, NULL))
			break;
		if ((paren = strrchr(stat, ')')) != NULL && paren[2] == 'Z')
			break;
		g_usleep(10000);
	}
	ck_assert_msg(stat != NULL && (paren = strrchr(stat, ')')) != NULL &&
	    paren[2] == 'Z', "child %d did not die", (int)pid);
	g_free(stat);
}

START_TEST(child_killed_between_files)
{
	struct limits l;
	struct sandbox *sb;
	struct grid *g;
	char err[GRID_ERRLEN];
	pid_t first;

	limits_default(&l);
	sb = sandbox_new(&l);
	g = sandbox_grid_read(sb, (const unsigned char *)csv, sizeof(csv) - 1,
	    err, sizeof(err));
	grid_free(g);
	first = sandbox_pid(sb);
	ck_assert_int_eq(kill(first, SIGKILL), 0);
	wait_dead(first);
	g = sandbox_grid_read(sb, (const unsigned char *)csv, sizeof(csv) - 1,
	    err, sizeof(err));
	grid_is_the_csv(g);
	grid_free(g);
	ck_assert_int_ne(sandbox_pid(sb), first);
	sandbox_free(sb);
}
END_TEST

START_TEST(hung_child_is_killed)
{
	struct limits l;
	struct sandbox *sb;
	struct grid *g;
	char err[GRID_ERRLEN];

	limits_default(&l);
	l.parser_cpu = 1;
	sb = sandbox_new(&l);
	g = sandbox_grid_read(sb, (const unsigned char *)csv, sizeof(csv) - 1,
	    err, sizeof(err));
	grid_free(g);
	/* A stopped child never answers: the wall-clock allowance ends it. */
	ck_assert_int_eq(kill(sandbox_pid(sb), SIGSTOP), 0);
	g = sandbox_grid_read(sb, (const unsigned char *)csv, sizeof(csv) - 1,
	    err, sizeof(err));
	ck_assert_ptr_null(g);
	ck_assert_str_eq(err, "reading the file took more than 1 s of CPU");
	g = sandbox_grid_read(sb, (const unsigned char *)csv, sizeof(csv) - 1,
	    err, sizeof(err));
	grid_is_the_csv(g);
	grid_free(g);
	sandbox_free(sb);
}
END_TEST

#if !defined(__SANITIZE_ADDRESS__)
/*
 * Under the address-space limit a file that needs more memory than allowed
 * fails in the child.  (The sanitizer build runs the child without that
 * limit, since ASan reserves terabytes of shadow memory; this case is
 * covered by the plain build.)
 */
START_TEST(memory_limit)
{
	struct limits l;
	struct sandbox *sb;
	struct grid *g;
	char err[GRID_ERRLEN];
	size_t n = 3000000, i;
	char *big = malloc(n * 2);

	for (i = 0; i < n; i++) {
		big[2 * i] = 'a';
		big[2 * i + 1] = (i % 1000 == 999) ? '\n' : ',';
	}
	limits_default(&l);
	l.sheet_cells = 10 * n;
	l.parser_memory = 64u * 1024 * 1024;
	sb = sandbox_new(&l);
	g = sandbox_grid_read(sb, (unsigned char *)big, n * 2, err, sizeof(err));
	ck_assert_ptr_null(g);
	ck_assert_msg(strstr(err, "memory") != NULL || strstr(err, "crashed"),
	    "%s", err);
	g = sandbox_grid_read(sb, (const unsigned char *)csv, sizeof(csv) - 1,
	    err, sizeof(err));
	grid_is_the_csv(g);
	grid_free(g);
	sandbox_free(sb);
	free(big);
}
END_TEST
#endif

int
main(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tcase_create("sandbox");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, reads_in_the_child);
	tcase_add_test(tc, child_killed_between_files);
	tcase_add_test(tc, hung_child_is_killed);
#if !defined(__SANITIZE_ADDRESS__)
	tcase_add_test(tc, memory_limit);
#endif
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
