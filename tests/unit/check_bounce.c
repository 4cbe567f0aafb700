/*
 * check_bounce.c — delivery reports read into plain data: a Postfix
 * multipart/report, OpenSMTPD multipart/mixed reports (opensmtpd-6.8.eml
 * is one Debian's smtpd 6.8 sent for a mail surveyd built, relayed to a
 * server answering 550), an Exim plain notice (in
 * tests/fixtures/mail/bounces/), and the mail-loop rule.
 */
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <glib.h>
#include <gmime/gmime.h>

#include "testlib.h"

#include "bounce.h"

#define BOUNCES		"tests/fixtures/mail/bounces/"
#define PLAIN		"From: Lien hiep hoi <lienhiephoi.hanoi@example.test>\r\n" \
			"To: khaosat@example.test\r\nSubject: Phieu\r\n"

static struct bounce *
bounce_fixture(const char *name)
{
	unsigned char *buf;
	struct bounce *b;
	size_t len;

	buf = test_file_read(&len, BOUNCES "%s", name);
	b = bounce_read_bytes(buf, len);
	free(buf);
	ck_assert_msg(b != NULL, "%s is not read as a bounce", name);
	return b;
}

static const struct bounce_recipient *
recipient0(const struct bounce *b)
{
	ck_assert_uint_ge(b->recipients->len, 1);
	return g_ptr_array_index(b->recipients, 0);
}

static void
assert_recipient(const struct bounce *b, const char *addr,
    const char *status, int permanent, const char *diagnostic)
{
	const struct bounce_recipient *r;

	ck_assert_uint_eq(b->recipients->len, 1);
	r = g_ptr_array_index(b->recipients, 0);
	ck_assert_str_eq(r->address, addr);
	ck_assert_str_eq(r->status, status);
	ck_assert_int_eq(r->permanent, permanent);
	ck_assert_ptr_nonnull(r->diagnostic);
	ck_assert_msg(strstr(r->diagnostic, diagnostic) != NULL,
	    "diagnostic '%s' lacks '%s'", r->diagnostic, diagnostic);
}

START_TEST(postfix_report)
{
	struct bounce *b = bounce_fixture("postfix.eml");

	ck_assert_str_eq(b->message_id,
	    "surveyd.e9f4acf597c44a696bfd709282de17bc@example.test");
	assert_recipient(b, "lienhiephoi.hanoi@example.test", "5.1.1", 1,
	    "550 5.1.1 <lienhiephoi.hanoi@example.test>: Recipient address "
	    "rejected");
	bounce_free(b);
}
END_TEST

START_TEST(opensmtpd_report)
{
	struct bounce *b = bounce_fixture("opensmtpd.eml");

	/* A folded Message-ID in text/rfc822-headers. */
	ck_assert_str_eq(b->message_id,
	    "surveyd.0123456789abcdef0123456789abcdef@example.test");
	ck_assert_uint_eq(b->recipients->len, 1);
	ck_assert_str_eq(recipient0(b)->address, "lienhiephoi.sonla@example.test");
	ck_assert_str_eq(recipient0(b)->status, "5.0.0");
	bounce_free(b);
}
END_TEST

/* The real one: no Auto-Submitted, Return-Path <>, MAILER-DAEMON. */
START_TEST(opensmtpd_real)
{
	struct bounce *b = bounce_fixture("opensmtpd-6.8.eml");

	ck_assert_str_eq(b->message_id,
	    "surveyd.d5f0c9cd74f861a323b83d1a64ad768e@example.test");
	ck_assert_uint_eq(b->recipients->len, 1);
	ck_assert_str_eq(recipient0(b)->address, "deferred.lienhiephoi@hanoi.test");
	ck_assert_str_eq(recipient0(b)->status, "5.0.0");
	ck_assert_int_eq(recipient0(b)->permanent, 1);
	bounce_free(b);
}
END_TEST

START_TEST(exim_notice)
{
	struct bounce *b = bounce_fixture("exim-plain.eml");

	ck_assert_str_eq(b->message_id,
	    "surveyd.fedcba9876543210fedcba9876543210@example.test");
	assert_recipient(b, "lienhiephoi.cantho@example.test", "4.2.2", 0,
	    "Mailbox full");
	bounce_free(b);
}
END_TEST

START_TEST(reply_is_no_bounce)
{
	unsigned char *buf;
	size_t len;

	buf = test_file_read(&len, "tests/fixtures/mail/reply-2231.eml");
	ck_assert_ptr_null(bounce_read_bytes(buf, len));
	free(buf);
}
END_TEST

static Suite *
bounce_suite(void)
{
	Suite *s = suite_create("bounce");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, postfix_report);
	tcase_add_test(tc, opensmtpd_report);
	tcase_add_test(tc, opensmtpd_real);
	tcase_add_test(tc, exim_notice);
	tcase_add_test(tc, reply_is_no_bounce);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return test_suite_run(bounce_suite());
}
