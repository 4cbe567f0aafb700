/*
 * check_charset.c — unit tests for charset.c: UTF-8 validation, choosing
 * the encoding by the bytes, and decoding to UTF-8 (NFC for cp1258).
 * Run from the top folder: the fixtures are tests/fixtures/csv/.
 */
#include <check.h>

#include "testlib.h"
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "charset.h"

#define FIXTURES	"tests/fixtures/csv/"

/* glibc's iconv as the reference decoder; NULL when it refuses. */
static char *
iconv_decode(const char *from, const unsigned char *in, size_t inlen)
{
	iconv_t cd;
	char *out, *ip = (char *)in, *op;
	size_t il = inlen, ol = inlen * 4 + 1, r;

	ck_assert_ptr_ne(cd = iconv_open("UTF-8", from), (iconv_t)-1);
	ck_assert_ptr_nonnull(out = calloc(1, ol + 1));
	op = out;
	r = iconv(cd, &ip, &il, &op, &ol);
	if (r != (size_t)-1)
		r = iconv(cd, NULL, NULL, &op, &ol);
	iconv_close(cd);
	if (r == (size_t)-1) {
		free(out);
		return NULL;
	}
	return out;
}

static char *
decode(const char *in, size_t len, enum charset *cs)
{
	char err[256] = "";
	char *out;
	size_t outlen;

	out = charset_decode((const unsigned char *)in, len, cs, &outlen,
	    err, sizeof(err));
	ck_assert_msg(out != NULL, "decode failed: %s", err);
	ck_assert_uint_eq(strlen(out), outlen);
	return out;
}

static void
decode_fails(const char *in, size_t len, const char *words)
{
	char err[256] = "";
	enum charset cs;

	ck_assert_ptr_null(charset_decode((const unsigned char *)in, len, &cs,
	    NULL, err, sizeof(err)));
	ck_assert_msg(strstr(err, words) != NULL, "error '%s' lacks '%s'",
	    err, words);
}

START_TEST(utf8_valid_accepts)
{
	static const char *ok[] = {
		"", "plain ASCII", "H\xc3\xa0 N\xe1\xbb\x99i",	/* Hà Nội */
		"Ha\xcc\x80 N\xc3\xb4\xcc\xa3i",		/* NFD */
		"\xef\xbf\xbd", "\xf0\x9f\x93\x8a",		/* U+FFFD, U+1F4CA */
		"\xf4\x8f\xbf\xbf", "\xed\x9f\xbf", "\xee\x80\x80",
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		ck_assert_msg(charset_utf8_valid(ok[i], strlen(ok[i])),
		    "rejected case %zu", i);
}
END_TEST

START_TEST(utf8_valid_rejects)
{
	static const char *bad[] = {
		"\xc0\xaf",			/* overlong '/' */
		"\xc1\xbf",			/* overlong */
		"\xe0\x80\xaf",			/* overlong '/' */
		"\xe0\x9f\xbf",			/* overlong U+07FF */
		"\xf0\x80\x80\xaf",		/* overlong '/' */
		"\xf0\x8f\xbf\xbf",		/* overlong U+FFFF */
		"\xed\xa0\x80",			/* surrogate U+D800 */
		"\xed\xbf\xbf",			/* surrogate U+DFFF */
		"\xf4\x90\x80\x80",		/* U+110000 */
		"\xf5\x80\x80\x80", "\xff", "\xfe",
		"\x80", "a\xbf",		/* stray continuation */
		"\xc3", "\xe1\xbb", "\xf0\x9f\x93",	/* cut short */
		"\xc3\x28", "\xe1\x28\x99",	/* bad continuation */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!charset_utf8_valid(bad[i], strlen(bad[i])),
		    "accepted case %zu", i);
	/* The length is honoured: a NUL byte is data, not the end. */
	ck_assert(charset_utf8_valid("a\0b", 3));
	ck_assert(!charset_utf8_valid("a\0\xc0\xaf", 4));
}
END_TEST

START_TEST(overlong_never_decodes_as_utf8)
{
	enum charset cs;
	char *out;

	out = decode("a\xc0\xaf" "b", 4, &cs);
	ck_assert_int_ne(cs, CHARSET_UTF8);
	ck_assert_ptr_null(strchr(out, '/'));
	ck_assert(charset_utf8_valid(out, strlen(out)));
	free(out);
}
END_TEST

START_TEST(utf8_plain_and_bom)
{
	enum charset cs;
	char *out;

	out = decode("H\xc3\xa0 N\xe1\xbb\x99i", 9, &cs);
	ck_assert_int_eq(cs, CHARSET_UTF8);
	ck_assert_str_eq(out, "H\xc3\xa0 N\xe1\xbb\x99i");
	free(out);
	out = decode("\xef\xbb\xbf" "01;H\xc3\xa0", 9, &cs);
	ck_assert_int_eq(cs, CHARSET_UTF8_BOM);
	ck_assert_str_eq(out, "01;H\xc3\xa0");
	free(out);
	/* A file that is only a BOM is empty text. */
	out = decode("\xef\xbb\xbf", 3, &cs);
	ck_assert_str_eq(out, "");
	free(out);
	ck_assert_int_eq(charset_detect((const unsigned char *)"", 0),
	    CHARSET_UTF8);
}
END_TEST

START_TEST(utf8_bom_then_garbage)
{
	decode_fails("\xef\xbb\xbf" "ok\xc0\xaf", 7, "invalid UTF-8 at offset 5");
	decode_fails("\xef\xbb\xbf" "a\0b", 6, "NUL byte at offset 4");
}
END_TEST

START_TEST(utf16le_with_bom)
{
	/* BOM, "Hà\t01\r\n", U+1F4CA as a surrogate pair. */
	static const char in[] = "\xff\xfe" "H\0\xe0\0\t\0" "0\0" "1\0"
	    "\r\0\n\0" "\x3d\xd8\xca\xdc";
	enum charset cs;
	char *out;

	out = decode(in, sizeof(in) - 1, &cs);
	ck_assert_int_eq(cs, CHARSET_UTF16LE);
	ck_assert_str_eq(out, "H\xc3\xa0\t01\r\n\xf0\x9f\x93\x8a");
	free(out);
}
END_TEST

START_TEST(utf16be_with_bom)
{
	static const char in[] = "\xfe\xff" "\0H\0\xe0\x1e\xd9";
	enum charset cs;
	char *out;

	out = decode(in, sizeof(in) - 1, &cs);
	ck_assert_int_eq(cs, CHARSET_UTF16BE);
	ck_assert_str_eq(out, "H\xc3\xa0\xe1\xbb\x99");
	ck_assert_str_eq(charset_name(cs), "UTF-16BE");
	free(out);
}
END_TEST

START_TEST(utf16_malformed)
{
	decode_fails("\xff\xfe" "a\0b", 5, "odd number of bytes");
	decode_fails("\xff\xfe" "a\0\x3d\xd8" "b\0", 8, "surrogate");
	decode_fails("\xff\xfe" "\xca\xdc", 4, "surrogate");
	decode_fails("\xff\xfe" "\x3d\xd8", 4, "surrogate");
	decode_fails("\xff\xfe" "a\0\0\0", 6, "NUL character at offset 4");
}
END_TEST

START_TEST(utf16le_fixture)
{
	unsigned char *buf;
	size_t len;
	enum charset cs;
	char *out;

	buf = test_file_read(&len, "%s", FIXTURES "reply-utf16le.txt");
	ck_assert_int_eq(charset_detect(buf, len), CHARSET_UTF16LE);
	out = decode((const char *)buf, len, &cs);
	ck_assert_ptr_nonnull(strstr(out, "01\tH\xc3\xa0 N\xe1\xbb\x99i\t"));
	free(out);
	free(buf);
}
END_TEST

START_TEST(cp1258_tone_marks_compose)
{
	/* "Hà Nội" as Excel writes it: a + combining grave, ô + dot below. */
	enum charset cs;
	char *out;

	out = decode("Ha\xcc N\xf4\xf2i", 8, &cs);
	ck_assert_int_eq(cs, CHARSET_CP1258);
	ck_assert_str_eq(out, "H\xc3\xa0 N\xe1\xbb\x99i");
	ck_assert_str_eq(charset_name(cs), "Windows-1258");
	free(out);
	/* Đ alone is enough: "Đông". */
	out = decode("\xd0\xf4ng", 4, &cs);
	ck_assert_int_eq(cs, CHARSET_CP1258);
	ck_assert_str_eq(out, "\xc4\x90\xc3\xb4ng");
	free(out);
}
END_TEST

START_TEST(cp1258_fixture_is_nfc)
{
	unsigned char *raw, *ref;
	size_t rawlen, reflen;
	enum charset cs;
	char *out, *nfc;

	/* The same roster saved as UTF-8 (with BOM) and through iconv. */
	raw = test_file_read(&rawlen, "%s", FIXTURES "roster-cp1258.csv");
	ref = test_file_read(&reflen, "%s", FIXTURES "roster-utf8-bom.csv");
	ref[reflen] = '\0';
	out = decode((const char *)raw, rawlen, &cs);
	ck_assert_int_eq(cs, CHARSET_CP1258);
	ck_assert_str_eq(out, (const char *)ref + 3);
	nfc = g_utf8_normalize(out, -1, G_NORMALIZE_NFC);
	ck_assert_str_eq(out, nfc);
	g_free(nfc);
	free(out);
	free(ref);
	free(raw);
}
END_TEST

START_TEST(cp1252_fixture)
{
	unsigned char *raw;
	size_t len;
	enum charset cs;
	char *out;

	/* Ò, Ì and Þ after spaces and ';' are Western letters, not marks. */
	raw = test_file_read(&len, "%s", FIXTURES "western-cp1252.csv");
	out = decode((const char *)raw, len, &cs);
	ck_assert_int_eq(cs, CHARSET_CP1252);
	ck_assert_str_eq(out, "name;city\r\nRen\xc3\xa9" "e M\xc3\xbcller;"
	    "Z\xc3\xbcrich\r\nJos\xc3\xa9 \xc3\x91\xc3\xba\xc3\xb1" "ez;"
	    "Se\xc3\xb1or\xc3\xado\r\n\xc3\x92scar \xc3\x8c\xc3\xb1igo;"
	    "\xc3\x9e\xc3\xb3rsh\xc3\xb6" "fn\r\n");
	free(out);
	free(raw);
}
END_TEST

START_TEST(cp1252_only_bytes_settle_it)
{
	enum charset cs;
	char *out;

	/* Š exists only in 1252, so the tone-mark-looking byte is ì. */
	out = decode("\x8a" "ko\xec", 4, &cs);
	ck_assert_int_eq(cs, CHARSET_CP1252);
	ck_assert_str_eq(out, "\xc5\xa0ko\xc3\xac");
	free(out);
}
END_TEST

/*
 * Every byte from 0x80 to 0xFF against glibc's tables.  A prefix steers
 * the choice: Š exists only in 1252, and "ĐĐ" outvotes one stray mark.
 */
START_TEST(tables_match_iconv)
{
	unsigned char in[3];
	char err[256], *want, *got, *nfc;
	int b;

	for (b = 0x80; b <= 0xff; b++) {
		in[0] = 0x8a;
		in[1] = (unsigned char)b;
		want = iconv_decode("CP1252", in, 2);
		got = charset_decode(in, 2, NULL, NULL, err, sizeof(err));
		if (want == NULL)
			ck_assert_msg(got == NULL && strstr(err, "unknown"),
			    "cp1252 byte %02X decoded", b);
		else
			ck_assert_msg(got != NULL && strcmp(got, want) == 0,
			    "cp1252 byte %02X differs", b);
		free(want);
		free(got);

		in[0] = in[1] = 0xd0;
		in[2] = (unsigned char)b;
		want = iconv_decode("CP1258", in, 3);
		got = charset_decode(in, 3, NULL, NULL, err, sizeof(err));
		if (b == 0x8a || b == 0x8e || b == 0x9a || b == 0x9e) {
			ck_assert_ptr_nonnull(got);	/* read as cp1252 */
		} else if (want == NULL) {
			ck_assert_msg(got == NULL && strstr(err, "unknown"),
			    "byte %02X decoded", b);
		} else {
			nfc = g_utf8_normalize(want, -1, G_NORMALIZE_NFC);
			ck_assert_msg(got != NULL && strcmp(got, nfc) == 0,
			    "cp1258 byte %02X differs", b);
			g_free(nfc);
		}
		free(want);
		free(got);
	}
}
END_TEST

START_TEST(unknown_encoding)
{
	static const char undefined[] = { '\x81', '\x8d', '\x8f', '\x90',
	    '\x9d' };
	char in[8];
	size_t i;

	for (i = 0; i < sizeof(undefined); i++) {
		memcpy(in, "ab", 2);
		in[2] = undefined[i];
		ck_assert_int_eq(charset_detect((unsigned char *)in, 3),
		    CHARSET_UNKNOWN);
		decode_fails(in, 3, "unknown encoding: byte 0x");
	}
	decode_fails("abc\0def", 7, "unknown encoding: NUL byte at offset 3");
	/* UTF-16 without a BOM is NUL bytes to us. */
	decode_fails("a\0b\0", 4, "NUL byte");
	ck_assert_str_eq(charset_name(CHARSET_UNKNOWN), "unknown");
}
END_TEST

static Suite *
charset_suite(void)
{
	Suite *s = suite_create("charset");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, utf8_valid_accepts);
	tcase_add_test(tc, utf8_valid_rejects);
	tcase_add_test(tc, overlong_never_decodes_as_utf8);
	tcase_add_test(tc, utf8_plain_and_bom);
	tcase_add_test(tc, utf8_bom_then_garbage);
	tcase_add_test(tc, utf16le_with_bom);
	tcase_add_test(tc, utf16be_with_bom);
	tcase_add_test(tc, utf16_malformed);
	tcase_add_test(tc, utf16le_fixture);
	tcase_add_test(tc, cp1258_tone_marks_compose);
	tcase_add_test(tc, cp1258_fixture_is_nfc);
	tcase_add_test(tc, cp1252_fixture);
	tcase_add_test(tc, cp1252_only_bytes_settle_it);
	tcase_add_test(tc, tables_match_iconv);
	tcase_add_test(tc, unknown_encoding);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_suite_run(charset_suite());
}
