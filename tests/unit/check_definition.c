/*
 * check_definition.c — questionnaire definitions: the shipped forms load,
 * and every definition error is named with its file, row and column.
 */
#include <string.h>

#include <check.h>

#include "definition.h"
#include "testutil.h"

static struct definition *
load(const char *path, struct problems *p)
{
	problems_init(p);
	return definition_load(path, p);
}

START_TEST(shipped_forms)
{
	struct problems p;
	struct definition *a, *b;

	a = load("forms/form-a", &p);
	ck_assert_msg(a != NULL, "%s", p.errors->len ? (char *)p.errors->pdata[0] : "");
	ck_assert_uint_eq(p.warnings->len, 0);
	ck_assert_uint_le(definition_indicator_count(a), 30);
	ck_assert_str_eq(a->form_id, "lhh_phoi_hop_a");
	problems_clear(&p);
	b = load("forms/form-b", &p);
	ck_assert_msg(b != NULL, "%s", p.errors->len ? (char *)p.errors->pdata[0] : "");
	ck_assert_uint_gt(definition_indicator_count(b), 30);
	problems_clear(&p);
	definition_free(a);
	definition_free(b);
}
END_TEST

START_TEST(every_type)
{
	char *dir = tu_tmpdir();
	struct definition *d = tu_definition(dir);
	const struct field *f;

	ck_assert_uint_eq(d->nfields, 8);
	ck_assert_uint_eq(definition_indicator_count(d), 7);
	f = definition_field_find(d, "count");
	ck_assert_int_eq(f->type, FIELD_INTEGER);
	ck_assert(f->required);
	ck_assert_ptr_nonnull(f->constraint);
	ck_assert_str_eq(i18n_get(&f->label, "en"), "Programmes signed");
	ck_assert_str_eq(i18n_get(&f->label, "vi"), "Số chương trình phối hợp");
	ck_assert(definition_field_find(d, "share")->percent);
	ck_assert(!definition_field_find(d, "budget")->percent);
	f = definition_field_find(d, "partners");
	ck_assert_int_eq(f->type, FIELD_SELECT_MULTIPLE);
	ck_assert_uint_eq(f->list->nchoices, 3);
	ck_assert_str_eq(d->version, "3");
	definition_free(d);
	tu_cleanup(dir);
}
END_TEST

/* Loads a definition with the given survey and choices rows; returns all errors. */
static char *
errors_of(const char *survey, const char *choices)
{
	struct problems p;
	struct definition *d;
	char *dir = tu_tmpdir(), *f, *joined;

	f = tu_write(dir, "survey.csv", survey);
	g_free(f);
	f = tu_write(dir, "choices.csv", choices);
	g_free(f);
	f = tu_write(dir, "settings.csv", "form_id,version\nf,1\n");
	g_free(f);
	d = load(dir, &p);
	ck_assert_ptr_null(d);
	g_ptr_array_add(p.errors, NULL);
	joined = g_strjoinv("\n", (char **)p.errors->pdata);
	g_ptr_array_remove_index(p.errors, p.errors->len - 1);
	problems_clear(&p);
	tu_cleanup(dir);
	return joined;
}

#define HEAD "type,name,label\n"
#define CHOICES "list_name,name,label\nyn,y,Yes\nyn,n,No\n"

static void
error_has(const char *errors, const char *want)
{
	ck_assert_msg(strstr(errors, want) != NULL, "wanted '%s' in:\n%s",
	    want, errors);
}

START_TEST(duplicate_names)
{
	char *e = errors_of(HEAD "integer,a,A\ninteger,a,B\nselect_one yn,q,Q\n", CHOICES);

	error_has(e, "survey.csv: row 3, column 'name': name 'a' is used twice");
	g_free(e);
}
END_TEST

START_TEST(unknown_type)
{
	char *e = errors_of(HEAD "interger,a,A\nselect_one yn,q,Q\n", CHOICES);

	error_has(e, "row 2, column 'type': unknown type 'interger'");
	g_free(e);
}
END_TEST

START_TEST(missing_list)
{
	char *e = errors_of(HEAD "select_one nope,a,A\nselect_one yn,q,Q\n", CHOICES);

	error_has(e, "row 2, column 'type': choice list 'nope' does not exist");
	g_free(e);
}
END_TEST

START_TEST(bad_constraint_and_names)
{
	char *e = errors_of("type,name,label,constraint\n"
	    "integer,a,A,. >=\ninteger,2b,B,\ninteger,c__d,C,\n"
	    "integer,e,,\nselect_one yn,q,Q,\n", CHOICES);

	error_has(e, "row 2, column 'constraint': constraint '. >=': at character 5");
	error_has(e, "row 3, column 'name': name '2b' must start with a letter");
	error_has(e, "row 4, column 'name': name 'c__d'");
	error_has(e, "row 5: the field has no label");
	g_free(e);
}
END_TEST

START_TEST(bad_choices)
{
	char *e = errors_of(HEAD "select_one yn,q,Q\n",
	    "list_name,name,label\nyn,y,Yes\nyn,y,Again\n,z,Z\n");

	error_has(e, "choices.csv: row 3, column 'name': choice 'y' appears "
	    "twice in list 'yn'");
	error_has(e, "choices.csv: row 4, column 'list_name': the choice has "
	    "no list_name");
	g_free(e);
}
END_TEST

START_TEST(missing_pieces)
{
	struct problems p;
	char *dir = tu_tmpdir(), *f;

	f = tu_write(dir, "survey.csv", "type,label\ninteger,A\n");
	g_free(f);
	ck_assert_ptr_null(load(dir, &p));
	ck_assert_uint_ge(p.errors->len, 2);
	ck_assert(strstr(p.errors->pdata[0], "settings.csv: missing"));
	ck_assert(strstr(p.errors->pdata[1], "needs the columns 'type', 'name'"));
	problems_clear(&p);
	ck_assert_ptr_null(load("/nonexistent/form.xlsx", &p));
	ck_assert(strstr(p.errors->pdata[0], "/nonexistent/form.xlsx"));
	problems_clear(&p);
	tu_cleanup(dir);
}
END_TEST

START_TEST(xlsx_definition)
{
	struct problems p;
	struct definition *x, *c;
	guint i;

	x = load("tests/fixtures/definitions/form-a.xlsx", &p);
	ck_assert_msg(x != NULL, "%s", p.errors->len ? (char *)p.errors->pdata[0] : "");
	problems_clear(&p);
	c = load("forms/form-a", &p);
	problems_clear(&p);
	ck_assert_uint_eq(x->nfields, c->nfields);
	for (i = 0; i < x->nfields; i++) {
		ck_assert_str_eq(x->fields[i].name, c->fields[i].name);
		ck_assert_int_eq(x->fields[i].type, c->fields[i].type);
		ck_assert_str_eq(x->fields[i].label.vi, c->fields[i].label.vi);
	}
	ck_assert_str_eq(x->version, "2023.1");
	definition_free(x);
	definition_free(c);
}
END_TEST

START_TEST(xlsx_definition_errors)
{
	struct problems p;
	char *all;

	ck_assert_ptr_null(load("tests/fixtures/definitions/broken.xlsx", &p));
	g_ptr_array_add(p.errors, NULL);
	all = g_strjoinv("\n", (char **)p.errors->pdata);
	error_has(all, "broken.xlsx, sheet 'survey': row 4, column A ('type'): "
	    "unknown type 'interger'");
	error_has(all, "broken.xlsx, sheet 'survey': row 6, column B ('name'): "
	    "name 'ct_so_chuong_trinh' is used twice");
	error_has(all, "column A ('type'): choice list 'khong_co' does not exist");
	g_free(all);
	g_ptr_array_remove_index(p.errors, p.errors->len - 1);
	problems_clear(&p);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("definition");
	TCase *tc = tcase_create("definition");

	tcase_add_test(tc, shipped_forms);
	tcase_add_test(tc, every_type);
	tcase_add_test(tc, duplicate_names);
	tcase_add_test(tc, unknown_type);
	tcase_add_test(tc, missing_list);
	tcase_add_test(tc, bad_constraint_and_names);
	tcase_add_test(tc, bad_choices);
	tcase_add_test(tc, missing_pieces);
	tcase_add_test(tc, xlsx_definition);
	tcase_add_test(tc, xlsx_definition_errors);
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
