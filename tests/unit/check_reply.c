/*
 * check_reply.c — finding the answers in a returned workbook (defined
 * names, `_surveyd`, a field-code column, labels) and validating them.
 */
#include <string.h>

#include <check.h>

#include "reply.h"
#include "store.h"
#include "testutil.h"
#include "validate.h"

static char *dir;
static struct definition *def;

static void
setup(void)
{
	dir = tu_tmpdir();
	def = tu_definition(dir);
}

static void
teardown(void)
{
	definition_free(def);
	tu_cleanup(dir);
}

/* Reads and validates; the caller frees the submission. */
static struct submission *
evaluate(const struct grid *g, guint *located, const char **method)
{
	struct submission *sub = submission_new();
	struct reply r;

	*located = reply_read(g, def, "vi", &r, &sub->issues);
	*method = r.method;
	validate_reply(def, &r, "vi", sub);
	sub->state = g_strdup(validate_state(&sub->issues));
	reply_clear(&r);
	return sub;
}

static const char *
answer(const struct submission *sub, const char *field)
{
	guint i;

	for (i = 0; i < sub->answers->len; i++)
		if (strcmp(((struct answer *)sub->answers->pdata[i])->field, field) == 0)
			return ((struct answer *)sub->answers->pdata[i])->value;
	return NULL;
}

/* Every issue's message, for a failing assertion to show. */
static char *
issues_text(const struct submission *sub)
{
	GString *out = g_string_new(NULL);
	guint i;

	for (i = 0; i < sub->issues.v->len; i++)
		g_string_append_printf(out, "\n  %s",
		    ((struct issue *)sub->issues.v->pdata[i])->message);
	return g_string_free(out, FALSE);
}

static void
state_is(const struct submission *sub, const char *want)
{
	char *text = issues_text(sub);

	ck_assert_msg(strcmp(sub->state, want) == 0, "state %s, not %s:%s",
	    sub->state, want, text);
	g_free(text);
}

static const struct issue *
issue_for(const struct submission *sub, const char *field)
{
	guint i;

	for (i = 0; i < sub->issues.v->len; i++)
		if (g_strcmp0(((struct issue *)sub->issues.v->pdata[i])->field, field) == 0)
			return sub->issues.v->pdata[i];
	return NULL;
}

/* The blank form's layout: A field name, C label, E answer. */
static struct sheet *
form_sheet(struct grid *g)
{
	struct sheet *s = grid_sheet_add(g, "Phiếu khảo sát", 0);

	tu_cell_str(s, "B2", "Đơn vị: Liên hiệp các hội KH&KT tỉnh Sơn La");
	tu_cell_str(s, "A5", "count");
	tu_cell_str(s, "C5", "Số chương trình phối hợp");
	tu_cell_str(s, "D5", "chương trình");
	tu_cell_str(s, "A6", "budget");
	tu_cell_str(s, "A7", "share");
	tu_cell_str(s, "A8", "started");
	tu_cell_str(s, "A9", "contact");
	tu_cell_str(s, "A10", "has_rule");
	tu_cell_str(s, "A11", "partners");
	tu_cell_str(s, "A12", "partners__so_khcn");
	tu_cell_str(s, "A13", "partners__tinh_doan");
	tu_cell_str(s, "A14", "partners__mttq");
	return s;
}

START_TEST(defined_names)
{
	struct grid *g = grid_new(GRID_FORMAT_XLSX);
	struct sheet *s = form_sheet(g);
	struct submission *sub;
	const char *method;
	guint n;

	tu_cell_num(s, "E5", 12, 0);
	tu_cell_str(s, "E6", "1.250,5");
	tu_cell_num(s, "E7", 0.475, CELL_PERCENT);
	ck_assert_int_eq(sheet_cell_add(s, 7, 4, CELL_DATE,
	    grid_date_serial(2023, 6, 12), NULL, 0), 0);
	tu_cell_str(s, "E9", "0917 741 628");
	tu_cell_str(s, "E10", "có");
	tu_cell_str(s, "E12", "x");
	tu_cell_str(s, "E14", "X");
	grid_name_add(g, "q_count", "Phiếu khảo sát", 4, 4, 4, 4);
	grid_name_add(g, "Q_BUDGET", "Phiếu khảo sát", 5, 4, 5, 4);
	grid_name_add(g, "q_share", "Phiếu khảo sát", 6, 4, 6, 4);
	grid_name_add(g, "q_started", "Phiếu khảo sát", 7, 4, 7, 4);
	grid_name_add(g, "q_contact", "Phiếu khảo sát", 8, 4, 8, 4);
	grid_name_add(g, "q_has_rule", "Phiếu khảo sát", 9, 4, 9, 4);
	grid_name_add(g, "q_partners__so_khcn", "Phiếu khảo sát", 11, 4, 11, 4);
	grid_name_add(g, "q_partners__tinh_doan", "Phiếu khảo sát", 12, 4, 12, 4);
	grid_name_add(g, "q_partners__mttq", "Phiếu khảo sát", 13, 4, 13, 4);
	grid_name_add(g, "q_retired_field", "Phiếu khảo sát", 20, 4, 20, 4);
	sub = evaluate(g, &n, &method);
	ck_assert_uint_eq(n, 7);
	ck_assert_str_eq(method, "names");
	ck_assert_str_eq(answer(sub, "count"), "12");
	ck_assert_str_eq(answer(sub, "budget"), "1250.5");
	ck_assert_str_eq(answer(sub, "share"), "47.5");
	ck_assert_str_eq(answer(sub, "started"), "2023-06-12");
	ck_assert_str_eq(answer(sub, "contact"), "0917 741 628");
	ck_assert_str_eq(answer(sub, "has_rule"), "co");
	ck_assert_str_eq(answer(sub, "partners"), "so_khcn mttq");
	/* The unknown field is said, and does not spoil the state. */
	ck_assert_int_eq(issue_for(sub, "retired_field")->code, ISSUE_UNKNOWN_FIELD);
	state_is(sub, "accepted");
	submission_free(sub);
	grid_free(g);
}
END_TEST

START_TEST(surveyd_sheet_and_code_column)
{
	struct grid *g = grid_new(GRID_FORMAT_XLS);
	struct sheet *s = form_sheet(g), *meta;
	struct submission *sub;
	struct reply r;
	const char *method;
	guint n;

	tu_cell_num(s, "E5", 7, 0);
	tu_cell_str(s, "E10", "Không");
	meta = grid_sheet_add(g, "_surveyd", 1);
	tu_cell_str(meta, "A1", "form_id");
	tu_cell_str(meta, "B1", "form_t");
	tu_cell_str(meta, "A2", "token");
	tu_cell_str(meta, "B2", "abc123");
	tu_cell_str(meta, "A3", "field:count");
	tu_cell_str(meta, "B3", "'Phiếu khảo sát'!$E$5");
	sub = evaluate(g, &n, &method);
	ck_assert_str_eq(method, "surveyd");
	ck_assert_uint_eq(n, 7);	/* the rest through the code column */
	ck_assert_str_eq(answer(sub, "count"), "7");
	ck_assert_str_eq(answer(sub, "has_rule"), "khong");
	ck_assert_ptr_null(answer(sub, "budget"));
	state_is(sub, "accepted");
	submission_free(sub);
	memset(&r, 0, sizeof(r));
	sub = submission_new();
	reply_read(g, def, "vi", &r, &sub->issues);
	ck_assert_str_eq(r.token, "abc123");
	ck_assert_str_eq(r.form_id, "form_t");
	reply_clear(&r);
	submission_free(sub);
	grid_free(g);
}
END_TEST

START_TEST(name_value_csv)
{
	struct grid *g = grid_new(GRID_FORMAT_CSV);
	struct sheet *s = grid_sheet_add(g, "csv", 0);
	struct submission *sub;
	const char *method;
	guint n;

	tu_cell_str(s, "A1", "name");
	tu_cell_str(s, "B1", "value");
	tu_cell_str(s, "A2", "count");
	tu_cell_str(s, "B2", "1.000");
	tu_cell_str(s, "A3", "has_rule");
	tu_cell_str(s, "B3", "co");
	tu_cell_str(s, "A4", "partners");
	tu_cell_str(s, "B4", "Tỉnh đoàn; Sở Khoa học và Công nghệ");
	tu_cell_str(s, "A5", "started");
	tu_cell_str(s, "B5", "5/6/2023");
	sub = evaluate(g, &n, &method);
	ck_assert_str_eq(method, "codes");
	ck_assert_str_eq(answer(sub, "count"), "1000");
	ck_assert_str_eq(answer(sub, "partners"), "so_khcn tinh_doan");
	ck_assert_str_eq(answer(sub, "started"), "2023-06-05");
	/* budget, share, contact are not in the file: said, not required. */
	ck_assert_int_eq(issue_for(sub, "budget")->code, ISSUE_MISSING_FIELD);
	state_is(sub, "accepted");
	submission_free(sub);
	grid_free(g);
}
END_TEST

START_TEST(labels_rebuilt_by_hand)
{
	struct grid *g = grid_new(GRID_FORMAT_XLSX);
	struct sheet *s = grid_sheet_add(g, "Sheet1", 0);
	struct submission *sub;
	const char *method;
	guint n;

	/* Upper case, no diacritics, NBSP, a leading number, NFD marks. */
	tu_cell_str(s, "A1", "1. SO CHUONG TRINH\xc2\xa0PHOI HOP");
	tu_cell_str(s, "B1", "chương trình");
	tu_cell_str(s, "C1", "9");
	tu_cell_str(s, "A2", "Co\xcc\x81 quy che\xcc\x82\xcc\x81 pho\xcc\x82\xcc\x81i ho\xcc\x9b\xcc\xa3p");
	tu_cell_str(s, "B2", "Có");
	tu_cell_str(s, "A3", "Các cơ quan đã ký kết");
	tu_cell_str(s, "B3", "mttq tinh_doan");
	sub = evaluate(g, &n, &method);
	ck_assert_str_eq(method, "labels");
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(answer(sub, "count"), "9");
	ck_assert_str_eq(answer(sub, "has_rule"), "co");
	ck_assert_str_eq(answer(sub, "partners"), "tinh_doan mttq");
	submission_free(sub);
	grid_free(g);
}
END_TEST

START_TEST(invalid_and_incomplete)
{
	struct grid *g = grid_new(GRID_FORMAT_CSV);
	struct sheet *s = grid_sheet_add(g, "csv", 0);
	struct submission *sub;
	const struct issue *is;
	const char *method;
	guint n;

	tu_cell_str(s, "A1", "count");
	tu_cell_str(s, "B1", "nhiều");
	tu_cell_str(s, "A2", "budget");
	tu_cell_str(s, "B2", "1,250");
	tu_cell_str(s, "A3", "share");
	tu_cell_str(s, "B3", "140");
	tu_cell_str(s, "A4", "started");
	tu_cell_str(s, "B4", "3/15/2023");
	tu_cell_str(s, "A5", "contact");
	tu_cell_str(s, "B5", "gọi tôi");
	tu_cell_str(s, "A6", "has_rule");
	tu_cell_str(s, "B6", "Bình thường");
	sub = evaluate(g, &n, &method);
	state_is(sub, "invalid");
	is = issue_for(sub, "count");
	ck_assert_int_eq(is->code, ISSUE_NOT_NUMBER);
	ck_assert_str_eq(is->cell, "B1");
	ck_assert_str_eq(is->message, "Chỉ tiêu “Số chương trình phối hợp” "
	    "(ô B1): “nhiều” không phải là một con số.");
	ck_assert_int_eq(issue_for(sub, "budget")->code, ISSUE_AMBIGUOUS);
	ck_assert_int_eq(issue_for(sub, "share")->code, ISSUE_CONSTRAINT);
	ck_assert_int_eq(issue_for(sub, "started")->code, ISSUE_NOT_DATE);
	is = issue_for(sub, "contact");
	ck_assert_int_eq(is->code, ISSUE_CONSTRAINT);
	ck_assert(strstr(is->message, "Số điện thoại 8-15 chữ số"));
	ck_assert_int_eq(issue_for(sub, "has_rule")->code, ISSUE_CHOICE);
	submission_free(sub);
	grid_free(g);

	g = grid_new(GRID_FORMAT_CSV);
	s = grid_sheet_add(g, "csv", 0);
	tu_cell_str(s, "A1", "count");
	tu_cell_str(s, "B1", "4");
	tu_cell_str(s, "A2", "has_rule");
	tu_cell_str(s, "B2", " ");
	sub = evaluate(g, &n, &method);
	state_is(sub, "incomplete");
	ck_assert_int_eq(issue_for(sub, "has_rule")->code, ISSUE_REQUIRED);
	submission_free(sub);
	grid_free(g);
}
END_TEST

START_TEST(error_values_and_formulas)
{
	struct grid *g = grid_new(GRID_FORMAT_XLSX);
	struct sheet *s = form_sheet(g);
	struct submission *sub;
	const char *method;
	guint n;

	ck_assert_int_eq(sheet_cell_add(s, 4, 4, CELL_ERROR, 0, strdup("#REF!"),
	    CELL_FORMULA), 0);
	ck_assert_int_eq(sheet_cell_add(s, 5, 4, CELL_NOVALUE, 0, NULL,
	    CELL_FORMULA), 0);
	tu_cell_num(s, "E10", 1, 0);	/* no choice is named "1" */
	sub = evaluate(g, &n, &method);
	ck_assert_int_eq(issue_for(sub, "count")->code, ISSUE_ERROR_VALUE);
	ck_assert(strstr(issue_for(sub, "count")->message, "#REF!"));
	ck_assert_int_eq(issue_for(sub, "budget")->code, ISSUE_NO_VALUE);
	state_is(sub, "invalid");
	submission_free(sub);
	grid_free(g);
}
END_TEST

START_TEST(nothing_recognisable)
{
	struct grid *g = grid_new(GRID_FORMAT_CSV);
	struct sheet *s = grid_sheet_add(g, "csv", 0);
	struct submission *sub;
	const char *method;
	guint n;

	tu_cell_str(s, "A1", "Kính gửi Liên hiệp Hội");
	tu_cell_str(s, "A2", "Xin gửi báo cáo năm 2023");
	sub = evaluate(g, &n, &method);
	ck_assert_uint_eq(n, 0);
	ck_assert_str_eq(method, "none");
	submission_free(sub);
	grid_free(g);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("reply");
	TCase *tc = tcase_create("reply");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, defined_names);
	tcase_add_test(tc, surveyd_sheet_and_code_column);
	tcase_add_test(tc, name_value_csv);
	tcase_add_test(tc, labels_rebuilt_by_hand);
	tcase_add_test(tc, invalid_and_incomplete);
	tcase_add_test(tc, error_values_and_formulas);
	tcase_add_test(tc, nothing_recognisable);
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
