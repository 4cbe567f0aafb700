/*
 * check_text.c — folding for label and name matching: case, diacritics
 * composed and decomposed, cp1258's combining marks, đ, spaces.
 */
#include <check.h>

#include "testutil.h"
#include "text.h"

static void
fold_is(const char *in, const char *want)
{
	char *f = text_fold(in);

	ck_assert_str_eq(f, want);
	g_free(f);
}

START_TEST(case_and_diacritics)
{
	fold_is("Số chương trình phối hợp", "so chuong trinh phoi hop");
	fold_is("SỐ CHƯƠNG TRÌNH PHỐI HỢP", "so chuong trinh phoi hop");
	fold_is("So chuong trinh phoi hop", "so chuong trinh phoi hop");
	fold_is("Đắk Lắk", "dak lak");
}
END_TEST

START_TEST(decomposed_marks)
{
	/* NFD: a + combining grave; cp1258 style: base letter + tone mark. */
	fold_is("Ha\xcc\x80 N\xc3\xb4\xcc\xa3i", "ha noi");
	fold_is("Hà Nội", "ha noi");
}
END_TEST

START_TEST(spaces_and_punctuation)
{
	fold_is("  Liên\xc2\xa0hiệp   Hội\t(tỉnh) ", "lien hiep hoi tinh");
	fold_is("TP.HCM", "tp hcm");
	fold_is("", "");
}
END_TEST

START_TEST(whole_words)
{
	ck_assert(text_has_phrase("lien hiep hoi ha nam", "ha nam"));
	ck_assert(!text_has_phrase("lien hiep hoi ha nam dinh", "nam dinh x"));
	ck_assert(!text_has_phrase("quang nam", "ha nam"));
	ck_assert(!text_has_phrase("bao cao 2024", "24"));
	ck_assert(!text_has_phrase("thanh hoa", "hoa binh"));
	ck_assert(text_has_phrase("son la", "son la"));
	ck_assert(!text_has_phrase("abc", ""));
}
END_TEST

START_TEST(trim_and_blank)
{
	char *t = text_trim("\xc2\xa0 x y \t");

	ck_assert_str_eq(t, "x y");
	g_free(t);
	ck_assert(text_blank(" \xc2\xa0\t"));
	ck_assert(!text_blank(" a "));
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("text");

	tcase_add_test(tc, case_and_diacritics);
	tcase_add_test(tc, decomposed_marks);
	tcase_add_test(tc, spaces_and_punctuation);
	tcase_add_test(tc, whole_words);
	tcase_add_test(tc, trim_and_blank);
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
