/*
 * check_form.c — the blank form, read back with the project's own reader:
 * the defined names, the `_surveyd` map, the hidden sheets and column, and
 * reply.c finding every field of a form nobody has filled in.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "form.h"
#include "reply.h"
#include "store.h"
#include "testutil.h"
#include "validate.h"

#define TOKEN		"0123456789abcdef0123456789abcdef"
#define FORM_SHEET	"Phiếu khảo sát"

static char *dir;
static struct definition *def;
static struct roster *ro;
static struct survey sv;

static void
setup(void)
{
	dir = tu_tmpdir();
	def = tu_definition(dir);
	ro = tu_roster(dir);
	memset(&sv, 0, sizeof(sv));
	sv.id = "t";
	sv.def = def;
	sv.roster = ro;
	sv.language = "vi";
}

static void
teardown(void)
{
	roster_free(ro);
	definition_free(def);
	tu_cleanup(dir);
}

/* Writes respondent 01's form and reads it back as intake would. */
static struct grid *
form_grid(void)
{
	char err[1024], *path = g_build_filename(dir, "01.xlsx", NULL);
	struct limits lim;
	struct grid *g;
	unsigned char *buf;
	size_t len;

	ck_assert_msg(form_write(&sv, roster_find(ro, "01"), TOKEN, path, err,
	    sizeof(err)) == 0, "%s", err);
	buf = test_file_read(&len, "%s", path);
	limits_default(&lim);
	g = grid_read(buf, len, &lim, err, sizeof(err));
	ck_assert_msg(g != NULL, "%s", err);
	free(buf);
	g_free(path);
	return g;
}

/* The `_surveyd` value of key, or NULL. */
static const char *
meta_get(const struct grid *g, const char *key)
{
	const struct sheet *s = grid_sheet_find(g, "_surveyd");
	const struct cell *v;
	size_t i;

	for (i = 0; s != NULL && i < s->ncells; i++)
		if (s->cells[i].col == 0 && s->cells[i].type == CELL_STRING &&
		    strcmp(s->cells[i].text, key) == 0)
			return (v = sheet_cell_find(s, s->cells[i].row, 1)) ?
			    v->text : NULL;
	return NULL;
}

/* tu_definition()'s answer cells: row 5 is the note, then one row each. */
static const struct {
	const char	*key;
	const char	*row;
} answer_rows[] = {
	{ "count", "6" }, { "budget", "7" }, { "share", "8" },
	{ "started", "9" }, { "contact", "10" }, { "has_rule", "11" },
	{ "partners", "12" }, { "partners__so_khcn", "13" },
	{ "partners__tinh_doan", "14" }, { "partners__mttq", "15" },
};

START_TEST(names_point_at_answer_cells)
{
	struct grid *g = form_grid();
	char *name, *cell, *field, *ref;
	size_t i, nq = 0;

	for (i = 0; i < G_N_ELEMENTS(answer_rows); i++) {
		name = g_strconcat("q_", answer_rows[i].key, NULL);
		cell = g_strconcat("E", answer_rows[i].row, NULL);
		field = g_strconcat("A", answer_rows[i].row, NULL);
		/* The name, the hidden column and `_surveyd` agree. */
		test_assert_name(g, name, FORM_SHEET, cell, cell);
		test_assert_text(g, FORM_SHEET, field, CELL_STRING,
		    answer_rows[i].key, 0);
		ref = g_strdup_printf("'%s'!$E$%s", FORM_SHEET,
		    answer_rows[i].row);
		g_free(field);
		field = g_strconcat("field:", answer_rows[i].key, NULL);
		ck_assert_msg(meta_get(g, field) != NULL, "no %s", field);
		ck_assert_str_eq(meta_get(g, field), ref);
		g_free(ref);
		g_free(field);
		g_free(cell);
		g_free(name);
	}
	for (i = 0; i < g->nnames; i++)
		nq += strncmp(g->names[i].name, "q_", 2) == 0;
	ck_assert_uint_eq(nq, G_N_ELEMENTS(answer_rows));
	test_assert_text(g, FORM_SHEET, "A5", CELL_STRING, "sec1", 0);
	ck_assert_ptr_null(grid_name_find(g, "q_sec1"));
	grid_free(g);
}
END_TEST

START_TEST(surveyd_and_lists_sheets)
{
	struct grid *g = form_grid();

	/* Values formatted as text: the code "01" stays "01" in any program. */
	test_assert_text(g, "_surveyd", "A1", CELL_STRING, "form_id", 0);
	test_assert_text(g, "_surveyd", "B1", CELL_STRING, "form_t",
	    CELL_TEXTFMT);
	test_assert_text(g, "_surveyd", "B2", CELL_STRING, "3", CELL_TEXTFMT);
	test_assert_text(g, "_surveyd", "A3", CELL_STRING, "respondent", 0);
	test_assert_text(g, "_surveyd", "B3", CELL_STRING, "01", CELL_TEXTFMT);
	test_assert_text(g, "_surveyd", "A4", CELL_STRING, "token", 0);
	test_assert_text(g, "_surveyd", "B4", CELL_STRING, TOKEN, CELL_TEXTFMT);
	/* The dropdowns' source: one column per choice list, under a name. */
	test_assert_text(g, "_lists", "A1", CELL_STRING, "yes_no", 0);
	test_assert_text(g, "_lists", "A2", CELL_STRING, "Có", 0);
	test_assert_text(g, "_lists", "A3", CELL_STRING, "Không", 0);
	test_assert_name(g, "list_0", "_lists", "A2", "A3");
	test_assert_text(g, "_lists", "B4", CELL_STRING, "Ủy ban MTTQ", 0);
	test_assert_name(g, "list_1", "_lists", "B2", "B4");
	ck_assert(!grid_sheet_find(g, FORM_SHEET)->hidden);
	ck_assert(grid_sheet_find(g, "_surveyd")->hidden);
	ck_assert(grid_sheet_find(g, "_lists")->hidden);
	/* The layout make_replies.py also builds. */
	test_assert_text(g, FORM_SHEET, "B1", CELL_STRING, "Phiếu thử", 0);
	test_assert_text(g, FORM_SHEET, "B2", CELL_STRING,
	    "Đơn vị: Hà Nội", 0);
	test_assert_text(g, FORM_SHEET, "E4", CELL_STRING, "Trả lời", 0);
	test_assert_text(g, FORM_SHEET, "C5", CELL_STRING,
	    "I. Hoạt động", 0);
	test_assert_number(g, FORM_SHEET, "B6", CELL_NUMBER, 1, 0);
	test_assert_text(g, FORM_SHEET, "C6", CELL_STRING,
	    "Số chương trình phối hợp", 0);
	test_assert_text(g, FORM_SHEET, "D6", CELL_STRING,
	    "chương trình", 0);
	test_assert_text(g, FORM_SHEET, "C13", CELL_STRING,
	    "Sở Khoa học và Công nghệ", 0);
	grid_free(g);
}
END_TEST

START_TEST(blank_form_reads_back_empty)
{
	struct grid *g = form_grid();
	struct submission *sub = submission_new();
	struct reply r;
	guint n, i;

	n = reply_read(g, def, "vi", &r, &sub->issues);
	ck_assert_uint_eq(n, definition_indicator_count(def));
	ck_assert_str_eq(r.method, "names");
	ck_assert_str_eq(r.token, TOKEN);
	ck_assert_str_eq(r.respondent, "01");
	ck_assert_str_eq(r.form_id, "form_t");
	ck_assert_ptr_nonnull(reply_loc_find(&r, "partners", "mttq"));
	ck_assert_str_eq(reply_loc_find(&r, "count", NULL)->where, "E6");
	validate_reply(def, &r, "vi", sub);
	ck_assert_uint_eq(sub->answers->len, 0);
	/* Only the two required fields are missing; nothing else is wrong. */
	for (i = 0; i < sub->issues.v->len; i++)
		ck_assert_int_eq(((const struct issue *)
		    sub->issues.v->pdata[i])->code, ISSUE_REQUIRED);
	ck_assert_uint_eq(sub->issues.v->len, 2);
	reply_clear(&r);
	submission_free(sub);
	grid_free(g);
}
END_TEST

START_TEST(english_form)
{
	struct issues is;
	struct reply r;
	struct grid *g;

	/* The roster's language wins over the survey's Vietnamese. */
	ck_assert_str_eq(ro->v[0].code, "01");
	g_free(ro->v[0].language);
	ro->v[0].language = g_strdup("en");
	g = form_grid();
	test_assert_text(g, "Questionnaire", "B2", CELL_STRING,
	    "Respondent: Hà Nội", 0);
	test_assert_text(g, "Questionnaire", "E4", CELL_STRING, "Answer", 0);
	test_assert_text(g, "Questionnaire", "C6", CELL_STRING,
	    "Programmes signed", 0);
	test_assert_text(g, "_lists", "A2", CELL_STRING, "Yes", 0);
	issues_init(&is);
	ck_assert_uint_eq(reply_read(g, def, "en", &r, &is),
	    definition_indicator_count(def));
	ck_assert_str_eq(reply_loc_find(&r, "has_rule", NULL)->sheet->name,
	    "Questionnaire");
	reply_clear(&r);
	issues_clear(&is);
	grid_free(g);
}
END_TEST

START_TEST(unwritable_path)
{
	char err[1024], *path;
	GDir *d;
	const char *name;

	path = g_build_filename(dir, "missing", "01.xlsx", NULL);
	ck_assert_int_eq(form_write(&sv, roster_find(ro, "01"), TOKEN, path,
	    err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, path) != NULL, "%s", err);
	ck_assert_msg(strstr(err, "No such file or directory") != NULL, "%s",
	    err);
	/* Nothing half-written beside the definition and roster. */
	d = g_dir_open(dir, 0, NULL);
	while ((name = g_dir_read_name(d)) != NULL)
		ck_assert_msg(strstr(name, ".xlsx") == NULL, "%s left", name);
	g_dir_close(d);
	g_free(path);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("form");
	TCase *tc = tcase_create("form");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, names_point_at_answer_cells);
	tcase_add_test(tc, surveyd_and_lists_sheets);
	tcase_add_test(tc, blank_form_reads_back_empty);
	tcase_add_test(tc, english_form);
	tcase_add_test(tc, unwritable_path);
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
