/*
 * check_identify.c — who sent a reply: the order of the clues, whole-word
 * names, bracketed codes, the organiser, and the mismatch flag.
 */
#include <check.h>

#include "identify.h"
#include "testutil.h"

static char *dir;
static struct roster *ro;

static void
setup(void)
{
	dir = tu_tmpdir();
	ro = tu_roster(dir);
}

static void
teardown(void)
{
	roster_free(ro);
	tu_cleanup(dir);
}

static const char *
who(const struct identify_input *in, const char *organiser, int *mismatch,
    const char **method)
{
	struct identify_result r;

	identify_respondent(ro, organiser, in, &r);
	*mismatch = r.mismatch;
	*method = r.method;
	return r.respondent ? r.respondent->code : NULL;
}

START_TEST(order_of_clues)
{
	struct identify_input in = { 0 };
	const char *method;
	int mm;

	in.sender = "vp@bacgiang.example.test";
	ck_assert_str_eq(who(&in, NULL, &mm, &method), "24");
	ck_assert_str_eq(method, "sender");
	ck_assert(!mm);
	/* A token beats the sender, and the disagreement is flagged. */
	in.token_code = "14";
	ck_assert_str_eq(who(&in, NULL, &mm, &method), "14");
	ck_assert_str_eq(method, "token");
	ck_assert(mm);
	/* --respondent beats everything. */
	in.override = "01";
	ck_assert_str_eq(who(&in, NULL, &mm, &method), "01");
	ck_assert_str_eq(method, "option");
	/* The cc address identifies too. */
	in.override = in.token_code = NULL;
	in.sender = "ubnd@bacgiang.example.test";
	ck_assert_str_eq(who(&in, NULL, &mm, &method), "24");
}
END_TEST

START_TEST(subject)
{
	struct identify_input in = { 0 };
	const char *method;
	int mm;

	in.subject = "Phiếu khảo sát - LHH tỉnh SƠN LA";
	ck_assert_str_eq(who(&in, NULL, &mm, &method), "14");
	ck_assert_str_eq(method, "subject");
	in.subject = "Re: [24] phieu khao sat";
	ck_assert_str_eq(who(&in, NULL, &mm, &method), "24");
	in.subject = "Gửi phiếu của BG";
	ck_assert_str_eq(who(&in, NULL, &mm, &method), "24");
	/* A year is not province 24; two provinces are nobody. */
	in.subject = "Báo cáo năm 2024";
	ck_assert_ptr_null(who(&in, NULL, &mm, &method));
	in.subject = "Hà Nội và Sơn La";
	ck_assert_ptr_null(who(&in, NULL, &mm, &method));
	in.subject = "Gửi Liên hiệp Hội Hà Nội";
	/* Replies are addressed to the organiser by name. */
	ck_assert_ptr_null(who(&in, "01", &mm, &method));
}
END_TEST

START_TEST(form_texts)
{
	struct identify_input in = { 0 };
	GPtrArray *texts = g_ptr_array_new();
	const char *method;
	int mm;

	g_ptr_array_add(texts, (char *)"PHIẾU KHẢO SÁT");
	g_ptr_array_add(texts, (char *)"Đơn vị: Liên hiệp các hội KH&KT tỉnh Sơn La");
	in.form_texts = texts;
	ck_assert_str_eq(who(&in, NULL, &mm, &method), "14");
	ck_assert_str_eq(method, "form");
	in.form_code = "24";
	ck_assert_str_eq(who(&in, NULL, &mm, &method), "24");
	in.form_code = NULL;
	in.sender = "someone@gmail.example.test";
	ck_assert_str_eq(who(&in, NULL, &mm, &method), "14");
	in.form_texts = NULL;
	ck_assert_ptr_null(who(&in, NULL, &mm, &method));
	g_ptr_array_unref(texts);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("identify");
	TCase *tc = tcase_create("identify");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, order_of_clues);
	tcase_add_test(tc, subject);
	tcase_add_test(tc, form_texts);
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
