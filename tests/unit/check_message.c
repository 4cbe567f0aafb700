/*
 * check_message.c — outgoing mail: what message_build writes parses back
 * with GMime to the same Vietnamese subject, body, addresses and
 * attachment bytes; it is CRLF throughout and the same bytes each time;
 * Message-IDs are stable; line breaks in fields are refused.
 */
#include <string.h>

#include <check.h>
#include <glib.h>
#include <gmime/gmime.h>

#include "testlib.h"

#include "message.h"

#define FROM		"Liên hiệp các hội KH&KT tỉnh Bắc Giang <khaosat@example.test>"
#define SUBJECT		"Đề nghị bổ sung phiếu khảo sát của Liên hiệp các hội " \
			"Khoa học và Kỹ thuật tỉnh Sơn La"
#define BODY		"Kính gửi: Liên hiệp hội tỉnh Sơn La\n\n- Số hội thành " \
			"viên: chưa điền\n.\nTrân trọng.\n"
#define FILENAME	"Phiếu khảo sát - Sơn La.xlsx"
#define ID		"surveyd.0123456789abcdef0123456789abcdef@example.test"

static const char *const to[] = {
	"Liên hiệp hội Sơn La <lienhiephoi.sonla@example.test>",
	"vanthu.sonla@example.test",
};
static const char *const cc[] = { "lanhdao.sonla@example.test" };
/* Bytes that must survive: NULs, a lone dot line, high bytes. */
static const unsigned char xlsx[] = "PK\3\4\0\0\r\n.\r\n\xff\xfe end";

static void
spec_init(struct message_spec *s, struct message_attachment *a)
{
	memset(s, 0, sizeof(*s));
	a->filename = FILENAME;
	a->data = xlsx;
	a->len = sizeof(xlsx);
	s->from = FROM;
	s->to = to;
	s->nto = G_N_ELEMENTS(to);
	s->cc = cc;
	s->ncc = G_N_ELEMENTS(cc);
	s->reply_to = "khaosat-reply@example.test";
	s->subject = SUBJECT;
	s->body = BODY;
	s->date = 1687230000;
	s->message_id = ID;
	s->in_reply_to = "reply-1@mail.sonla.example.test";
	s->attachment = a;
}

static GMimeMessage *
parse(const unsigned char *data, size_t len)
{
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;

	stream = g_mime_stream_mem_new_with_buffer((const char *)data, len);
	parser = g_mime_parser_new_with_stream(stream);
	msg = g_mime_parser_construct_message(parser, NULL);
	g_object_unref(parser);
	g_object_unref(stream);
	ck_assert_ptr_nonnull(msg);
	return msg;
}

/* A leaf part's decoded bytes. */
static GByteArray *
part_bytes(GMimeObject *part)
{
	GMimeStream *mem = g_mime_stream_mem_new();
	GByteArray *out = g_byte_array_new();
	GByteArray *bytes;

	g_mime_data_wrapper_write_to_stream(g_mime_part_get_content(
	    GMIME_PART(part)), mem);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	g_byte_array_append(out, bytes->data, bytes->len);
	g_object_unref(mem);
	return out;
}

/* The From name, its folding (GMime keeps it) made one space. */
static char *
from_name(GMimeMessage *msg)
{
	InternetAddress *a = internet_address_list_get_address(
	    g_mime_message_get_from(msg), 0);
	GRegex *space = g_regex_new("\\s+", 0, 0, NULL);
	char *name;

	ck_assert_str_eq(internet_address_mailbox_get_addr(
	    INTERNET_ADDRESS_MAILBOX(a)), "khaosat@example.test");
	name = g_regex_replace_literal(space, internet_address_get_name(a),
	    -1, 0, " ", 0, NULL);
	g_regex_unref(space);
	return name;
}

static void
assert_crlf(const unsigned char *data, size_t len)
{
	size_t i, line = 0;

	for (i = 0; i < len; i++, line++) {
		if (data[i] == '\n') {
			ck_assert_msg(i > 0 && data[i - 1] == '\r',
			    "a bare LF at byte %zu", i);
			line = 0;
		}
		ck_assert_msg(line < 998, "a line over 998 bytes at %zu", i);
	}
}

START_TEST(build_parses_back)
{
	struct message_attachment a;
	struct message_spec s;
	GMimeMessage *msg;
	GMimeMultipart *mixed;
	GMimeObject *part;
	GByteArray *bytes;
	unsigned char *data;
	char err[MESSAGE_ERRLEN], *text;
	size_t len;

	spec_init(&s, &a);
	ck_assert_msg(message_build(&s, &data, &len, err, sizeof(err)) == 0,
	    "%s", err);
	assert_crlf(data, len);
	msg = parse(data, len);
	ck_assert_str_eq(g_mime_message_get_subject(msg), SUBJECT);
	ck_assert_str_eq(g_mime_message_get_message_id(msg), ID);
	ck_assert_int_eq(g_date_time_to_unix(g_mime_message_get_date(msg)),
	    1687230000);
	ck_assert_str_eq(g_mime_object_get_header(GMIME_OBJECT(msg),
	    "Auto-Submitted"), "auto-generated");
	ck_assert_str_eq(g_mime_object_get_header(GMIME_OBJECT(msg),
	    "In-Reply-To"), "<reply-1@mail.sonla.example.test>");
	ck_assert_str_eq(g_mime_object_get_header(GMIME_OBJECT(msg),
	    "References"), "<reply-1@mail.sonla.example.test>");
	ck_assert_int_eq(internet_address_list_length(
	    g_mime_message_get_to(msg)), 2);
	ck_assert_int_eq(internet_address_list_length(
	    g_mime_message_get_cc(msg)), 1);
	text = from_name(msg);
	ck_assert_str_eq(text, "Liên hiệp các hội KH&KT tỉnh Bắc Giang");
	g_free(text);
	mixed = GMIME_MULTIPART(g_mime_message_get_mime_part(msg));
	ck_assert_int_eq(g_mime_multipart_get_count(mixed), 2);
	text = g_mime_text_part_get_text(GMIME_TEXT_PART(
	    g_mime_multipart_get_part(mixed, 0)));
	ck_assert_str_eq(text, "Kính gửi: Liên hiệp hội tỉnh Sơn La\r\n\r\n"
	    "- Số hội thành viên: chưa điền\r\n.\r\nTrân trọng.\r\n");
	g_free(text);
	part = g_mime_multipart_get_part(mixed, 1);
	ck_assert_str_eq(g_mime_part_get_filename(GMIME_PART(part)), FILENAME);
	text = g_mime_content_type_get_mime_type(
	    g_mime_object_get_content_type(part));
	ck_assert_str_eq(text, "application/" MESSAGE_TYPE_XLSX +
	    strlen("application/"));
	g_free(text);
	bytes = part_bytes(part);
	ck_assert_uint_eq(bytes->len, sizeof(xlsx));
	ck_assert(memcmp(bytes->data, xlsx, sizeof(xlsx)) == 0);
	g_byte_array_unref(bytes);
	g_object_unref(msg);
	g_free(data);
}
END_TEST

START_TEST(same_bytes)
{
	struct message_attachment a;
	struct message_spec s;
	unsigned char *d1, *d2;
	char err[MESSAGE_ERRLEN];
	size_t l1, l2;

	spec_init(&s, &a);
	ck_assert_int_eq(message_build(&s, &d1, &l1, err, sizeof(err)), 0);
	ck_assert_int_eq(message_build(&s, &d2, &l2, err, sizeof(err)), 0);
	ck_assert(l1 == l2 && memcmp(d1, d2, l1) == 0);
	g_free(d1);
	g_free(d2);
	/* No attachment: a single text/plain part. */
	s.attachment = NULL;
	ck_assert_int_eq(message_build(&s, &d1, &l1, err, sizeof(err)), 0);
	ck_assert(g_strstr_len((char *)d1, (gssize)l1, "multipart") == NULL);
	g_free(d1);
}
END_TEST

START_TEST(refused_fields)
{
	static const char *const bad_to[] = { "x@example.test\r\nBcc: y@z" };
	static const char *const two[] = { "a@example.test, b@example.test" };
	struct message_attachment a;
	struct message_spec s;
	unsigned char *data;
	char err[MESSAGE_ERRLEN];
	size_t len;

	spec_init(&s, &a);
	s.subject = "Phiếu\r\nBcc: all@example.test";
	ck_assert_int_eq(message_build(&s, &data, &len, err, sizeof(err)), -1);
	spec_init(&s, &a);
	s.to = bad_to;
	s.nto = 1;
	ck_assert_int_eq(message_build(&s, &data, &len, err, sizeof(err)), -1);
	s.to = two;
	ck_assert_int_eq(message_build(&s, &data, &len, err, sizeof(err)), -1);
	ck_assert(strstr(err, "not one e-mail address") != NULL);
	spec_init(&s, &a);
	s.message_id = "a@b>\r\nBcc: <c@d";
	ck_assert_int_eq(message_build(&s, &data, &len, err, sizeof(err)), -1);
	spec_init(&s, &a);
	s.nto = 0;
	ck_assert_int_eq(message_build(&s, &data, &len, err, sizeof(err)), -1);
}
END_TEST

START_TEST(addresses_and_ids)
{
	char *a, *b;

	a = message_address(FROM);
	ck_assert_str_eq(a, "khaosat@example.test");
	g_free(a);
	a = message_address_domain("khaosat@example.test");
	ck_assert_str_eq(a, "example.test");
	g_free(a);
	ck_assert_ptr_null(message_address("Khảo sát"));
	ck_assert_ptr_null(message_address("a@example.test, b@example.test"));
	ck_assert_ptr_null(message_address(""));
	a = message_id_make("khaosat2023", "14", "reminder", "-3d",
	    "example.test");
	b = message_id_make("khaosat2023", "14", "reminder", "-3d",
	    "example.test");
	ck_assert_str_eq(a, b);
	ck_assert(g_str_has_prefix(a, "surveyd."));
	ck_assert(g_str_has_suffix(a, "@example.test"));
	ck_assert_uint_eq(strlen(a), strlen("surveyd.@example.test") +
	    MESSAGE_ID_HEX);
	g_free(b);
	b = message_id_make("khaosat2023", "14", "reminder", "-1d",
	    "example.test");
	ck_assert_str_ne(a, b);
	g_free(b);
	/* The parts are kept apart: ("1", "4") is not ("14", ""). */
	b = message_id_make("khaosat2023", "1", "4reminder", "-3d",
	    "example.test");
	ck_assert_str_ne(a, b);
	g_free(a);
	g_free(b);
}
END_TEST

static Suite *
message_suite(void)
{
	Suite *s = suite_create("message");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, build_parses_back);
	tcase_add_test(tc, same_bytes);
	tcase_add_test(tc, refused_fields);
	tcase_add_test(tc, addresses_and_ids);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	g_mime_init();
	return test_suite_run(message_suite());
}
