/*
 * check_template.c — mail templates: every shipped template (templates/vi,
 * templates/en) loads and renders; a broken one is refused naming
 * FILE:LINE; {{ }} escape; a value cannot inject a header.
 */
#include <string.h>

#include <check.h>
#include <glib.h>

#include "testutil.h"

#include "template.h"

/* Values for every placeholder, Vietnamese where a person would type. */
static const char *const sample[TEMPLATE_VARS] = {
	[TEMPLATE_RESPONDENT] = "Liên hiệp các hội Khoa học và Kỹ thuật tỉnh Sơn La",
	[TEMPLATE_CODE] = "14",
	[TEMPLATE_TOKEN] = "KS-14-7F3A",
	[TEMPLATE_SURVEY_TITLE] = "Khảo sát hoạt động phối hợp năm 2023",
	[TEMPLATE_ORGANISER] = "Liên hiệp các hội Khoa học và Kỹ thuật tỉnh Bắc Giang",
	[TEMPLATE_DEADLINE] = "30/06/2023",
	[TEMPLATE_DAYS_LEFT] = "3",
	[TEMPLATE_FILENAME] = "Phiếu khảo sát - Sơn La.xlsx",
	[TEMPLATE_RECEIVED] = "10:05 ngày 20/06/2023",
	[TEMPLATE_ISSUES] = "- Số hội thành viên: chưa điền\n- Kinh phí: không phải là số",
	[TEMPLATE_SENDER] = "vanthu@example.test",
	[TEMPLATE_DATE] = "20/06/2023",
	[TEMPLATE_ACCEPTED] = "41",
	[TEMPLATE_PENDING] = "22",
	[TEMPLATE_TOTAL] = "63",
};

/* Loads dir/form.txt written from text; the problems are left in p. */
static struct template *
load_text(const char *text, enum template_kind kind, struct problems *p,
    char **dir)
{
	char *name = g_strdup_printf("%s.txt", template_kind_name(kind));

	*dir = tu_tmpdir();
	g_free(tu_write(*dir, name, text));
	g_free(name);
	problems_init(p);
	return template_load(*dir, kind, p);
}

/* The one error of loading text as a form: "DIR/form.txt:LINE: ...". */
static void
assert_refused(const char *text, int line, const char *words)
{
	struct problems p;
	char *dir, *want;

	ck_assert_ptr_null(load_text(text, TEMPLATE_FORM, &p, &dir));
	ck_assert_uint_eq(p.errors->len, 1);
	/* Line 0: a problem of the whole file. */
	want = line ? g_strdup_printf("%s/form.txt:%d: ", dir, line) :
	    g_strdup_printf("%s/form.txt: ", dir);
	ck_assert_msg(g_str_has_prefix(g_ptr_array_index(p.errors, 0), want),
	    "'%s' does not start '%s'", (char *)g_ptr_array_index(p.errors, 0),
	    want);
	ck_assert_msg(strstr(g_ptr_array_index(p.errors, 0), words) != NULL,
	    "'%s' lacks '%s'", (char *)g_ptr_array_index(p.errors, 0), words);
	g_free(want);
	problems_clear(&p);
	tu_cleanup(dir);
}

static void
render_ok(const struct template *t, char **subject, char **body)
{
	char err[TEMPLATE_ERRLEN];

	ck_assert_msg(template_render(t, sample, subject, body, err,
	    sizeof(err)) == 0, "%s", err);
}

static void
shipped_render(const char *lang)
{
	struct template_set set = { { 0 } };
	struct problems p;
	char *dir = g_build_filename("templates", lang, NULL), *subject, *body;
	int k;

	problems_init(&p);
	ck_assert_int_eq(template_set_load(&set, dir, &p), 0);
	ck_assert_uint_eq(p.errors->len, 0);
	for (k = 0; k < TEMPLATE_KINDS; k++) {
		render_ok(set.kind[k], &subject, &body);
		ck_assert_msg(*subject != '\0' && strpbrk(subject, "{}") == NULL,
		    "%s: subject '%s'", template_path(set.kind[k]), subject);
		ck_assert_msg(strpbrk(body, "{}") == NULL &&
		    strstr(body, sample[TEMPLATE_SURVEY_TITLE]) != NULL,
		    "%s: body '%s'", template_path(set.kind[k]), body);
		ck_assert(g_utf8_validate(body, -1, NULL));
		if (k == TEMPLATE_ACK_FIX)
			ck_assert(strstr(body, sample[TEMPLATE_ISSUES]) != NULL);
		g_free(subject);
		g_free(body);
	}
	template_set_clear(&set);
	problems_clear(&p);
	g_free(dir);
}

START_TEST(shipped_vi)
{
	struct template_set set = { { 0 } };
	struct problems p;
	char *subject, *body;

	shipped_render("vi");
	problems_init(&p);
	ck_assert_int_eq(template_set_load(&set, "templates/vi", &p), 0);
	render_ok(set.kind[TEMPLATE_FORM], &subject, &body);
	ck_assert_str_eq(subject, "Phiếu khảo sát \"Khảo sát hoạt động phối "
	    "hợp năm 2023\" gửi Liên hiệp các hội Khoa học và Kỹ thuật tỉnh "
	    "Sơn La");
	ck_assert(g_str_has_prefix(body, "Kính gửi: Liên hiệp các hội Khoa "
	    "học và Kỹ thuật tỉnh Sơn La\n"));
	g_free(subject);
	g_free(body);
	template_set_clear(&set);
	problems_clear(&p);
}
END_TEST

START_TEST(shipped_en)
{
	shipped_render("en");
}
END_TEST

START_TEST(unknown_placeholder)
{
	assert_refused("# comment\nSubject: {survey_title}\n\nDear {respondent},\n"
	    "{nobody}\n", 5, "unknown placeholder {nobody}");
	/* A placeholder of another kind: a form has no issues yet. */
	assert_refused("Subject: x\n\n\nSee {issues}\n", 4,
	    "unknown placeholder {issues} in a form mail");
	assert_refused("Subject: {Respondent}\n\nx\n", 1, "{Respondent}");
}
END_TEST

START_TEST(bad_shape)
{
	struct problems p;
	char *dir;

	assert_refused("# c\n# c\nTitle: x\n\nbody\n", 3, "Subject:");
	assert_refused("Subject: x\nbody\n", 2, "blank line");
	assert_refused("Subject: \n\nbody\n", 1, "subject is empty");
	assert_refused("Subject: x\n\n  \n", 3, "body is empty");
	assert_refused("Subject: x\n\na { b\n", 3, "not closed");
	assert_refused("Subject: a } b\n\nbody\n", 1, "lone '}'");
	assert_refused("Subject: x\n\nbody \xff\n", 0, "not UTF-8");
	/* A missing file names its path. */
	dir = tu_tmpdir();
	problems_init(&p);
	ck_assert_ptr_null(template_load(dir, TEMPLATE_DIGEST, &p));
	ck_assert_uint_eq(p.errors->len, 1);
	ck_assert(strstr(g_ptr_array_index(p.errors, 0), "digest.txt") != NULL);
	problems_clear(&p);
	tu_cleanup(dir);
}
END_TEST

START_TEST(escapes_bom_crlf)
{
	struct template *t;
	struct problems p;
	char *dir, *subject, *body;

	t = load_text("\xef\xbb\xbf# Notepad\r\nSubject: a {{b}} {code}\r\n\r\n"
	    "{{x}} {respondent}\r\n{{{code}}}\r\n", TEMPLATE_FORM, &p, &dir);
	ck_assert_ptr_nonnull(t);
	render_ok(t, &subject, &body);
	ck_assert_str_eq(subject, "a {b} 14");
	ck_assert_str_eq(body, "{x} Liên hiệp các hội Khoa học và Kỹ thuật "
	    "tỉnh Sơn La\n{14}");
	g_free(subject);
	g_free(body);
	template_free(t);
	problems_clear(&p);
	tu_cleanup(dir);
}
END_TEST

START_TEST(injection_refused)
{
	const char *values[TEMPLATE_VARS] = { 0 };
	struct template *t;
	struct problems p;
	char *dir, *subject = NULL, *body = NULL, err[TEMPLATE_ERRLEN];

	t = load_text("Subject: Kính gửi {respondent}\n\n{respondent}\n",
	    TEMPLATE_REMINDER, &p, &dir);
	ck_assert_ptr_nonnull(t);
	values[TEMPLATE_RESPONDENT] = "Sơn La\r\nBcc: all@example.test";
	ck_assert_int_eq(template_render(t, values, &subject, &body, err,
	    sizeof(err)), -1);
	ck_assert_ptr_null(subject);
	ck_assert(strstr(err, "reminder.txt:1: ") != NULL);
	ck_assert(strstr(err, "line break") != NULL);
	/* A value's braces are not expanded again; NULL is empty. */
	values[TEMPLATE_RESPONDENT] = "{code}";
	ck_assert_int_eq(template_render(t, values, &subject, &body, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(subject, "Kính gửi {code}");
	g_free(subject);
	g_free(body);
	values[TEMPLATE_RESPONDENT] = NULL;
	ck_assert_int_eq(template_render(t, values, &subject, &body, err,
	    sizeof(err)), 0);
	ck_assert_str_eq(body, "");
	g_free(subject);
	g_free(body);
	template_free(t);
	problems_clear(&p);
	tu_cleanup(dir);
}
END_TEST

static Suite *
template_suite(void)
{
	Suite *s = suite_create("template");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, shipped_vi);
	tcase_add_test(tc, shipped_en);
	tcase_add_test(tc, unknown_placeholder);
	tcase_add_test(tc, bad_shape);
	tcase_add_test(tc, escapes_bom_crlf);
	tcase_add_test(tc, injection_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_suite_run(template_suite());
}
