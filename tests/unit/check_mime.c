/*
 * check_mime.c — taking a reply mail apart: the mails clients send
 * (tests/fixtures/mail/, made by make_mail.py), and hostile ones built
 * here: too many parts, too deep, a huge header line, a boundary that
 * never closes, names that try to be paths, base64 that is not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <glib.h>

#include "testlib.h"

#include "mime.h"

#define MAILS		"tests/fixtures/mail/"
#define REPLIES		"tests/fixtures/replies/"
#define HEAD		"From: a@example.test\r\nMIME-Version: 1.0\r\n"
#define CSV_B64		"bmFtZSx2YWx1ZQ0KeCwxDQo="	/* "name,value\r\nx,1\r\n" */

static struct mail *
parse_bytes(const void *data, size_t len, const struct mime_limits *l,
    char *err)
{
	struct mime_limits def;

	if (l == NULL) {
		mime_limits_init(&def, 25u * 1024 * 1024, 10u * 1024 * 1024);
		l = &def;
	}
	return mail_parse(data, len, l, err, GRID_ERRLEN);
}

static struct mail *
parse_fixture(const char *name)
{
	char err[GRID_ERRLEN] = "";
	unsigned char *buf;
	struct mail *m;
	size_t len;

	buf = test_file_read(&len, MAILS "%s", name);
	ck_assert_msg(mail_looks_like(buf, len), "%s does not look like a mail", name);
	m = parse_bytes(buf, len, NULL, err);
	free(buf);
	ck_assert_msg(m != NULL, "%s: %s", name, err);
	return m;
}

static struct mail *
parse_text(const char *text, char *err)
{
	return parse_bytes(text, strlen(text), NULL, err);
}

/* Candidate i is called name and holds the bytes of a reply fixture. */
static void
assert_candidate(const struct mail *m, guint i, const char *name,
    const char *reply)
{
	const struct mail_part *p;
	unsigned char *want;
	size_t len;

	ck_assert_uint_gt(m->candidates->len, i);
	p = m->candidates->pdata[i];
	ck_assert_str_eq(p->filename, name);
	want = test_file_read(&len, REPLIES "%s", reply);
	ck_assert_uint_eq(p->len, len);
	ck_assert_msg(memcmp(p->data, want, len) == 0, "%s differs from %s",
	    name, reply);
	free(want);
}

static void
assert_counts(const struct mail *m, guint candidates, guint refused,
    guint others)
{
	ck_assert_uint_eq(m->candidates->len, candidates);
	ck_assert_uint_eq(m->refused->len, refused);
	ck_assert_uint_eq(m->others->len, others);
}

START_TEST(reply_rfc2231)
{
	struct mail *m = parse_fixture("reply-2231.eml");

	ck_assert_str_eq(m->sender, "lienhiephoi.hanoi@example.test");
	ck_assert_str_eq(m->subject, "Phiếu khảo sát - Hà Nội");
	ck_assert_str_eq(m->message_id, "reply-2231@example.test");
	ck_assert_int_eq(m->date, 1687230000);
	ck_assert_uint_eq(m->markers, 0);
	assert_counts(m, 1, 0, 0);
	assert_candidate(m, 0, "Phiếu khảo sát - Hà Nội.xlsx", "01-openpyxl.xlsx");
	mail_free(m);
}
END_TEST

START_TEST(forwarded_zipped_xls_ods)
{
	struct mail *m = parse_fixture("forwarded.eml");

	ck_assert_str_eq(m->sender, "vanphong.sonla@example.test");
	ck_assert_str_eq(m->subject, "Fwd: Phiếu Sơn La");
	assert_counts(m, 1, 0, 0);
	assert_candidate(m, 0, "phieu-son-la.xlsx", "14-libreoffice.xlsx");
	mail_free(m);
	m = parse_fixture("zipped.eml");
	assert_counts(m, 1, 0, 0);
	assert_candidate(m, 0, "phieu.zip", "14-zipped.zip");
	mail_free(m);
	m = parse_fixture("xls-ods.eml");
	assert_counts(m, 2, 0, 0);
	assert_candidate(m, 0, "Bắc Giang.xls", "24-libreoffice.xls");
	assert_candidate(m, 1, "TP HCM.ods", "79-libreoffice.ods");
	mail_free(m);
}
END_TEST

/* No filename, no Content-Disposition: the content says what it is. */
START_TEST(unnamed_parts)
{
	struct mail *m = parse_fixture("noname.eml");
	const struct mail_part *p;

	assert_counts(m, 3, 0, 0);
	assert_candidate(m, 0, "attachment-2", "01-openpyxl.xlsx");
	assert_candidate(m, 1, "attachment-3", "04-incomplete.xlsx");
	p = m->candidates->pdata[2];
	ck_assert_str_eq(p->filename, "attachment-4");
	ck_assert_uint_eq(p->len, 34);
	ck_assert(memcmp(p->data, "name,value\r\nct_so_chuong_trinh,5\r\n", 34) == 0);
	mail_free(m);
}
END_TEST

START_TEST(no_spreadsheet)
{
	struct mail *m = parse_fixture("cover-letter.eml");

	assert_counts(m, 0, 0, 2);
	ck_assert_str_eq(m->others->pdata[0], "Công văn 123.pdf");
	ck_assert_str_eq(m->others->pdata[1], "image001.png");
	mail_free(m);
	m = parse_fixture("auto-reply.eml");
	assert_counts(m, 0, 0, 0);
	ck_assert_uint_eq(m->markers, MAIL_AUTO_SUBMITTED | MAIL_BULK);
	mail_free(m);
}
END_TEST

/* A bounce carries our own form back: flagged, and nothing in it counts. */
START_TEST(bounce)
{
	struct mail *m = parse_fixture("bounce.eml");

	ck_assert_str_eq(m->sender, "mailer-daemon@mx.example.test");
	ck_assert_uint_eq(m->markers, MAIL_BOUNCE | MAIL_AUTO_SUBMITTED);
	assert_counts(m, 0, 0, 0);
	mail_free(m);
}
END_TEST

/* DESIGN's mail loops: what marks a mail no one may answer. */
START_TEST(loop_markers)
{
	static const struct {
		const char	*head;
		unsigned	 markers;
	} cases[] = {
		{ "", 0 },
		{ "Auto-Submitted: no\r\n", 0 },
		{ "Auto-Submitted: auto-replied\r\n", MAIL_AUTO_SUBMITTED },
		{ "Precedence: bulk\r\n", MAIL_BULK },
		{ "Precedence: list\r\n", MAIL_BULK },
		{ "List-Id: <tin.example.test>\r\n", MAIL_BULK },
		{ "Return-Path: <>\r\n", MAIL_BOUNCE },
	};
	char err[GRID_ERRLEN], *text;
	struct mail *m;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		text = g_strdup_printf("%sFrom: a@example.test\r\nMIME-Version:"
		    " 1.0\r\n\r\nhi\r\n", cases[i].head);
		m = parse_text(text, err);
		ck_assert_msg(m != NULL, "%s", err);
		ck_assert_uint_eq(m->markers, cases[i].markers);
		mail_free(m);
		g_free(text);
	}
	m = parse_fixture("bounces/opensmtpd-6.8.eml");
	ck_assert(m->markers & MAIL_BOUNCE);
	mail_free(m);
}
END_TEST

START_TEST(sender_fallback_and_no_date)
{
	char err[GRID_ERRLEN];
	struct mail *m;

	m = parse_text("Reply-To: Văn Thư <VanThu@Example.Test>\r\n"
	    "MIME-Version: 1.0\r\nSubject: =?utf-8?q?Phi=E1=BA=BFu?=\r\n"
	    "Auto-Submitted: No\r\n\r\nbody\r\n", err);
	ck_assert_ptr_nonnull(m);
	ck_assert_str_eq(m->sender, "vanthu@example.test");
	ck_assert_str_eq(m->subject, "Phiếu");
	ck_assert_ptr_null(m->message_id);
	ck_assert_int_eq(m->date, 0);
	ck_assert_uint_eq(m->markers, 0);
	assert_counts(m, 0, 0, 0);
	mail_free(m);
	m = parse_text(HEAD "Auto-Submitted: auto-generated; owner-email=\"x@y\"\r\n"
	    "Precedence: List (mailman)\r\n\r\nbody\r\n", err);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->markers, MAIL_AUTO_SUBMITTED | MAIL_BULK);
	mail_free(m);
}
END_TEST

START_TEST(looks_like)
{
	unsigned char *buf;
	size_t len;

	ck_assert(mail_looks_like((const unsigned char *)HEAD "\r\nx", 40));
	ck_assert(mail_looks_like((const unsigned char *)
	    "\nFrom - Tue Jun 20 10:00:00 2023\nX-Mozilla-Status: 0001\n"
	    "Received: from x\n\tby y\nFrom: a@b\n\nbody", 84));
	ck_assert(!mail_looks_like((const unsigned char *)
	    "Subject: x\nTo: y\n\nbody", 22));
	ck_assert(!mail_looks_like((const unsigned char *)"From: a@b\n\nbody", 15));
	ck_assert(!mail_looks_like((const unsigned char *)
	    "name,value\nct_so_chuong_trinh,5\n", 32));
	ck_assert(!mail_looks_like((const unsigned char *)"", 0));
	buf = test_file_read(&len, REPLIES "01-openpyxl.xlsx");
	ck_assert(!mail_looks_like(buf, len));
	free(buf);
}
END_TEST

START_TEST(filename_clean)
{
	static const struct {
		const char	*raw;
		const char	*clean;
	} cases[] = {
		{ "../../etc/passwd", "passwd" },
		{ "C:\\Users\\An\\..\\phieu.xlsx", "phieu.xlsx" },
		{ "...", "attachment-3" },
		{ NULL, "attachment-3" },
		{ "", "attachment-3" },
		{ "dir/", "attachment-3" },
		{ " .hidden.xlsx ", "hidden.xlsx" },
		{ "a\x01\x7f" "b\tc.xlsx", "abc.xlsx" },
		{ "Ha\xcc\x80 N\xc3\xb4\xcc\xa3i.xlsx", "Hà Nội.xlsx" },
		{ "\xff.xlsx", "\xef\xbf\xbd.xlsx" },
	};
	GString *lng = g_string_new(NULL);
	char *c;
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(cases); i++) {
		c = mail_filename_clean(cases[i].raw, 3);
		ck_assert_str_eq(c, cases[i].clean);
		g_free(c);
	}
	/* 300 bytes of three-byte letters: cut at a letter, 198 bytes. */
	for (i = 0; i < 100; i++)
		g_string_append(lng, "ệ");
	g_string_append(lng, ".xlsx");
	c = mail_filename_clean(lng->str, 1);
	ck_assert_uint_eq(strlen(c), 198);
	ck_assert(g_utf8_validate(c, -1, NULL));
	g_free(c);
	g_string_free(lng, TRUE);
}
END_TEST

/* Names from the headers of a mail: RFC 2231 %2F and %00, RFC 2047. */
START_TEST(hostile_names)
{
	char err[GRID_ERRLEN];
	struct mail *m;
	guint i;
	static const char *want[] = { "evil", "phieu.xlsx", "attachment-3",
	    "ab.xlsx" };

	m = parse_text(HEAD "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
	    "--b\r\nContent-Type: application/octet-stream\r\n"
	    "Content-Disposition: attachment; filename*=utf-8''..%2F..%2Fevil%00.xlsx\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n" CSV_B64 "\r\n"
	    "--b\r\nContent-Type: application/octet-stream\r\n"
	    "Content-Disposition: attachment; filename=\"..\\\\..\\\\phieu.xlsx\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n" CSV_B64 "\r\n"
	    "--b\r\nContent-Type: application/octet-stream; name=\"....\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n" CSV_B64 "\r\n"
	    "--b\r\nContent-Type: application/octet-stream\r\n"
	    "Content-Disposition: attachment; filename=\"=?utf-8?q?a=01b.xlsx?=\"\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n" CSV_B64 "\r\n"
	    "--b--\r\n", err);
	ck_assert_ptr_nonnull(m);
	assert_counts(m, 4, 0, 0);
	for (i = 0; i < G_N_ELEMENTS(want); i++)
		ck_assert_str_eq(((struct mail_part *)m->candidates->pdata[i])->filename,
		    want[i]);
	mail_free(m);
}
END_TEST

/* Declared base64 that is not: unreadable, and the good part still counts. */
START_TEST(bad_base64)
{
	char err[GRID_ERRLEN];
	struct mail *m;
	const struct mail_part *p;

	m = parse_text(HEAD "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
	    "--b\r\nContent-Type: application/vnd.ms-excel; name=hong.xls\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n"
	    "!!!! this is not base64, not at all ????\r\n"
	    "--b\r\nContent-Type: application/octet-stream; name=a.csv\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n=\r\n"
	    "--b\r\nContent-Type: text/csv; name=tot.csv\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n" CSV_B64 "\r\n--b--\r\n",
	    err);
	ck_assert_ptr_nonnull(m);
	assert_counts(m, 1, 2, 0);
	p = m->refused->pdata[0];
	ck_assert_str_eq(p->filename, "hong.xls");
	ck_assert_str_eq(p->reason, "it is declared base64 but is not: unreadable");
	ck_assert_ptr_null(p->data);
	ck_assert_str_eq(((struct mail_part *)m->refused->pdata[1])->filename, "a.csv");
	p = m->candidates->pdata[0];
	ck_assert_str_eq(p->filename, "tot.csv");
	ck_assert_uint_eq(p->len, 17);
	mail_free(m);
}
END_TEST

/* The last part runs to the end of the message: GMime ends it there. */
START_TEST(boundary_never_closes)
{
	char err[GRID_ERRLEN];
	unsigned char *buf;
	const char *close;
	struct mail *m;
	size_t len;

	buf = test_file_read(&len, MAILS "reply-2231.eml");
	close = g_strrstr_len((const char *)buf, (gssize)len, "--=_surveyd_0_=--");
	ck_assert_ptr_nonnull(close);
	m = parse_bytes(buf, (size_t)(close - (const char *)buf), NULL, err);
	ck_assert_msg(m != NULL, "%s", err);
	assert_counts(m, 1, 0, 0);
	assert_candidate(m, 0, "Phiếu khảo sát - Hà Nội.xlsx", "01-openpyxl.xlsx");
	mail_free(m);
	free(buf);
}
END_TEST

/*
 * A Content-Type that ends right after "boundary" (found by fuzzing: the
 * pre-scan read past the end of the value).  No boundary, so one leaf.
 */
START_TEST(boundary_without_value)
{
	char err[GRID_ERRLEN];
	struct mail *m;

	m = parse_text(HEAD "Content-Type: multipart/mixed; boundary\r\n"
	    "\r\nhello\r\n", err);
	if (m != NULL) {
		assert_counts(m, 0, 0, 0);
		mail_free(m);
	}
	m = parse_text(HEAD "Content-Type: multipart/mixed; boundary \t\r\n"
	    "\r\nhello\r\n", err);
	mail_free(m);
}
END_TEST

/* A message of n parts, each a small CSV. */
static GString *
many_parts(unsigned n)
{
	GString *s = g_string_new(HEAD "Content-Type: multipart/mixed; boundary=b\r\n\r\n");
	unsigned i;

	for (i = 0; i < n; i++)
		g_string_append(s, "--b\r\nContent-Type: text/csv\r\n\r\nname,value\r\n");
	g_string_append(s, "--b--\r\n");
	return s;
}

START_TEST(too_many_parts)
{
	char err[GRID_ERRLEN];
	struct mail *m;
	GString *s;
	gint64 t;

	s = many_parts(500);
	m = parse_bytes(s->str, s->len, NULL, err);
	ck_assert_msg(m != NULL, "%s", err);
	ck_assert_uint_eq(m->candidates->len, 500);
	mail_free(m);
	g_string_free(s, TRUE);
	s = many_parts(10000);
	t = g_get_monotonic_time();
	ck_assert_ptr_null(parse_bytes(s->str, s->len, NULL, err));
	t = g_get_monotonic_time() - t;
	ck_assert_str_eq(err, "the message has more than 500 MIME parts");
	/* Refused by the scan, before GMime builds 10,000 objects. */
	ck_assert_msg(t < 100000, "refusing 10,000 parts took %" G_GINT64_FORMAT
	    " us", t);
	g_string_free(s, TRUE);
}
END_TEST

/* depth multiparts, one inside the other, around one CSV. */
static GString *
nested(unsigned depth, int rfc822)
{
	GString *s = g_string_new(HEAD);
	unsigned i;

	for (i = depth; i > 0; i--) {
		if (rfc822 && i < depth)
			g_string_append(s, "Content-Type: message/rfc822\r\n\r\n" HEAD);
		g_string_append_printf(s, "Content-Type: multipart/mixed; "
		    "boundary=\"b%u\"\r\n\r\n--b%u\r\n", i, i);
	}
	g_string_append(s, "Content-Type: text/csv\r\n\r\nname,value\r\n");
	for (i = 1; i <= depth; i++)
		g_string_append_printf(s, "--b%u--\r\n", i);
	return s;
}

START_TEST(too_deep)
{
	char err[GRID_ERRLEN];
	struct mail *m;
	GString *s;

	s = nested(8, 0);
	m = parse_bytes(s->str, s->len, NULL, err);
	ck_assert_msg(m != NULL, "%s", err);
	ck_assert_uint_eq(m->candidates->len, 1);
	mail_free(m);
	g_string_free(s, TRUE);
	s = nested(9, 0);
	ck_assert_ptr_null(parse_bytes(s->str, s->len, NULL, err));
	ck_assert_str_eq(err, "the message nests MIME parts deeper than 8 levels");
	g_string_free(s, TRUE);
	s = nested(20, 0);
	ck_assert_ptr_null(parse_bytes(s->str, s->len, NULL, err));
	g_string_free(s, TRUE);
	/* Forwarded inside forwarded: each message/rfc822 is a level too. */
	s = nested(20, 1);
	ck_assert_ptr_null(parse_bytes(s->str, s->len, NULL, err));
	ck_assert_str_eq(err, "the message nests MIME parts deeper than 8 levels");
	g_string_free(s, TRUE);
}
END_TEST

START_TEST(huge_header_line)
{
	char err[GRID_ERRLEN];
	GString *s;
	unsigned i;

	s = g_string_new(HEAD "X-Junk: ");
	for (i = 0; i < 1024 * 1024; i++)
		g_string_append_c(s, 'a');
	g_string_append(s, "\r\n\r\nbody\r\n");
	ck_assert_ptr_null(parse_bytes(s->str, s->len, NULL, err));
	ck_assert_str_eq(err, "the message has a header line longer than 65536 bytes");
	g_string_free(s, TRUE);
	/* The same folded over many short lines is still one field. */
	s = g_string_new(HEAD "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
	    "--b\r\nX-Junk: a");
	for (i = 0; i < 20000; i++)
		g_string_append(s, "\r\n aaaa");
	g_string_append(s, "\r\n\r\nx\r\n--b--\r\n");
	ck_assert_ptr_null(parse_bytes(s->str, s->len, NULL, err));
	ck_assert_str_eq(err, "the message has a header line longer than 65536 bytes");
	g_string_free(s, TRUE);
}
END_TEST

START_TEST(size_limits)
{
	struct mime_limits l;
	char err[GRID_ERRLEN];
	unsigned char *buf;
	struct mail *m;
	size_t len;

	buf = test_file_read(&len, MAILS "reply-2231.eml");
	mime_limits_init(&l, 1000, 1000);
	ck_assert_ptr_null(mail_parse(buf, len, &l, err, sizeof(err)));
	ck_assert_str_eq(err, "the message has 16384 bytes, over the limit of "
	    "1000 (max-message-size)");
	mime_limits_init(&l, len, 1000);
	m = mail_parse(buf, len, &l, err, sizeof(err));
	ck_assert_ptr_nonnull(m);
	assert_counts(m, 0, 1, 0);
	ck_assert_str_eq(((struct mail_part *)m->refused->pdata[0])->filename,
	    "Phiếu khảo sát - Hà Nội.xlsx");
	ck_assert_str_eq(((struct mail_part *)m->refused->pdata[0])->reason,
	    "the file has 11343 bytes, over the limit of 1000 (max-attachment-size)");
	mail_free(m);
	free(buf);
}
END_TEST

static Suite *
mime_suite(void)
{
	Suite *s = suite_create("mime");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, reply_rfc2231);
	tcase_add_test(tc, forwarded_zipped_xls_ods);
	tcase_add_test(tc, unnamed_parts);
	tcase_add_test(tc, no_spreadsheet);
	tcase_add_test(tc, bounce);
	tcase_add_test(tc, loop_markers);
	tcase_add_test(tc, sender_fallback_and_no_date);
	tcase_add_test(tc, looks_like);
	tcase_add_test(tc, filename_clean);
	tcase_add_test(tc, hostile_names);
	tcase_add_test(tc, bad_base64);
	tcase_add_test(tc, boundary_never_closes);
	tcase_add_test(tc, boundary_without_value);
	tcase_add_test(tc, too_many_parts);
	tcase_add_test(tc, too_deep);
	tcase_add_test(tc, huge_header_line);
	tcase_add_test(tc, size_limits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_suite_run(mime_suite());
}
