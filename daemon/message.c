/*
 * message.c — GMime on the sending side: addresses checked to be one
 * mailbox each, the header fields set, the body and attachment parts
 * encoded, and the tree written with CRLF line ends.
 */
#include <stdio.h>
#include <string.h>

#include <gmime/gmime.h>

#include "message.h"

/*
 * A fixed boundary keeps the bytes a function of the data.  It cannot
 * occur in the parts: quoted-printable writes '=' as =3D and base64 has
 * neither '=' before its end nor '_'.
 */
#define MESSAGE_BOUNDARY	"=_surveyd_0_="
/* RFC 2047 Q words of at most 66 characters: "Subject: " and one fit 76. */
#define MESSAGE_WORD_HEAD	"=?UTF-8?Q?"
#define MESSAGE_WORD_PAYLOAD	54

/* Types by extension: the name decides, as it does for the reader. */
static const struct {
	const char	*suffix;
	const char	*subtype;	/* of application/ */
} attachment_types[] = {
	{ ".xlsx", "vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
	{ ".xls", "vnd.ms-excel" },
	{ ".ods", "vnd.oasis.opendocument.spreadsheet" },
};

/* The one mailbox of text, or NULL; unref it. */
static InternetAddressMailbox *
mailbox_parse(const char *text)
{
	InternetAddressList *list;
	InternetAddress *a;
	InternetAddressMailbox *mb = NULL;

	if (text == NULL || strpbrk(text, "\r\n") != NULL)
		return NULL;
	g_mime_init();
	if ((list = internet_address_list_parse(NULL, text)) == NULL)
		return NULL;
	if (internet_address_list_length(list) == 1) {
		a = internet_address_list_get_address(list, 0);
		if (INTERNET_ADDRESS_IS_MAILBOX(a) && strchr(
		    internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(a)), '@') != NULL)
			mb = g_object_ref(INTERNET_ADDRESS_MAILBOX(a));
	}
	g_object_unref(list);
	return mb;
}

char *
message_address(const char *text)
{
	InternetAddressMailbox *mb = mailbox_parse(text);
	char *addr;

	if (mb == NULL)
		return NULL;
	addr = g_strdup(internet_address_mailbox_get_addr(mb));
	g_object_unref(mb);
	return addr;
}

char *
message_address_domain(const char *text)
{
	char *addr = message_address(text), *domain;

	if (addr == NULL)
		return NULL;
	domain = g_strdup(strrchr(addr, '@') + 1);
	g_free(addr);
	return domain;
}

char *
message_id_make(const char *survey, const char *respondent,
    const char *kind, const char *step, const char *domain)
{
	const char *const key[] = { survey, respondent, kind, step };
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	char *id;
	size_t i;

	/* The NUL between parts keeps ("a", "bc") apart from ("ab", "c"). */
	for (i = 0; i < G_N_ELEMENTS(key); i++)
		g_checksum_update(sum, (const guchar *)key[i],
		    (gssize)strlen(key[i]) + 1);
	id = g_strdup_printf("surveyd.%.*s@%s", MESSAGE_ID_HEX,
	    g_checksum_get_string(sum), domain);
	g_checksum_free(sum);
	return id;
}

/* Adds each mailbox of addrs to the field; -1 naming the bad one. */
static int
message_mailboxes_add(GMimeMessage *msg, GMimeAddressType type,
    const char *const *addrs, size_t n, char *err, size_t errlen)
{
	InternetAddressMailbox *mb;
	size_t i;

	for (i = 0; i < n; i++) {
		if ((mb = mailbox_parse(addrs[i])) == NULL) {
			snprintf(err, errlen, "'%s' is not one e-mail address",
			    addrs[i] ? addrs[i] : "");
			return -1;
		}
		internet_address_list_add(g_mime_message_get_addresses(msg,
		    type), INTERNET_ADDRESS(mb));
		g_object_unref(mb);
	}
	return 0;
}

static int
message_addresses_set(GMimeMessage *msg, const struct message_spec *s,
    char *err, size_t errlen)
{
	if (s->nto == 0) {
		snprintf(err, errlen, "a message needs a recipient");
		return -1;
	}
	if (message_mailboxes_add(msg, GMIME_ADDRESS_TYPE_FROM, &s->from, 1,
	    err, errlen) == -1 ||
	    message_mailboxes_add(msg, GMIME_ADDRESS_TYPE_TO, s->to, s->nto,
	    err, errlen) == -1 ||
	    message_mailboxes_add(msg, GMIME_ADDRESS_TYPE_CC, s->cc, s->ncc,
	    err, errlen) == -1)
		return -1;
	if (s->reply_to != NULL)
		return message_mailboxes_add(msg, GMIME_ADDRESS_TYPE_REPLY_TO,
		    &s->reply_to, 1, err, errlen);
	return 0;
}

/* "<id>" into the header; ids with a line break or <> are refused. */
static int
message_id_header(GMimeMessage *msg, const char *name, const char *id,
    char *err, size_t errlen)
{
	char *v;

	if (id == NULL)
		return 0;
	if (*id == '\0' || strpbrk(id, "<>\r\n \t") != NULL) {
		snprintf(err, errlen, "%s: '%s' is not a message id", name, id);
		return -1;
	}
	v = g_strdup_printf("<%s>", id);
	g_mime_object_set_header(GMIME_OBJECT(msg), name, v, NULL);
	g_free(v);
	return 0;
}

static int
message_headers_set(GMimeMessage *msg, const struct message_spec *s,
    char *err, size_t errlen)
{
	GDateTime *date;

	if (s->subject == NULL || strpbrk(s->subject, "\r\n") != NULL) {
		snprintf(err, errlen, "the subject is missing or holds a line "
		    "break");
		return -1;
	}
	if (message_addresses_set(msg, s, err, errlen) == -1 ||
	    message_id_header(msg, "Message-ID", s->message_id, err,
	    errlen) == -1 ||
	    message_id_header(msg, "In-Reply-To", s->in_reply_to, err,
	    errlen) == -1 ||
	    message_id_header(msg, "References", s->references ?
	    s->references : s->in_reply_to, err, errlen) == -1)
		return -1;
	if (s->message_id == NULL) {
		snprintf(err, errlen, "a message needs a Message-ID");
		return -1;
	}
	date = g_date_time_new_from_unix_utc(s->date);
	g_mime_message_set_date(msg, date);
	g_date_time_unref(date);
	g_mime_object_set_header(GMIME_OBJECT(msg), "Auto-Submitted",
	    "auto-generated", NULL);
	return 0;
}

static GMimeObject *
message_text_part(const char *body)
{
	GMimeTextPart *text = g_mime_text_part_new_with_subtype("plain");

	g_mime_text_part_set_text(text, body);
	g_mime_text_part_set_charset(text, "utf-8");
	g_mime_part_set_content_encoding(GMIME_PART(text),
	    GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	return GMIME_OBJECT(text);
}

static GMimeObject *
message_attachment_part(const struct message_attachment *a)
{
	const char *subtype = "octet-stream";
	GMimePart *part;
	GMimeStream *stream;
	GMimeDataWrapper *content;
	char *lower = g_utf8_strdown(a->filename, -1);
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(attachment_types); i++)
		if (g_str_has_suffix(lower, attachment_types[i].suffix))
			subtype = attachment_types[i].subtype;
	g_free(lower);
	part = g_mime_part_new_with_type("application", subtype);
	stream = g_mime_stream_mem_new_with_buffer((const char *)a->data,
	    a->len);
	content = g_mime_data_wrapper_new_with_stream(stream,
	    GMIME_CONTENT_ENCODING_DEFAULT);
	g_object_unref(stream);
	g_mime_part_set_content(part, content);
	g_object_unref(content);
	g_mime_part_set_filename(part, a->filename);
	g_mime_part_set_content_encoding(part, GMIME_CONTENT_ENCODING_BASE64);
	return GMIME_OBJECT(part);
}

static GMimeObject *
message_body(const struct message_spec *s)
{
	GMimeMultipart *mixed;
	GMimeObject *part;

	if (s->attachment == NULL)
		return message_text_part(s->body);
	mixed = g_mime_multipart_new_with_subtype("mixed");
	g_mime_multipart_set_boundary(mixed, MESSAGE_BOUNDARY);
	part = message_text_part(s->body);
	g_mime_multipart_add(mixed, part);
	g_object_unref(part);
	part = message_attachment_part(s->attachment);
	g_mime_multipart_add(mixed, part);
	g_object_unref(part);
	return GMIME_OBJECT(mixed);
}

/* One character's bytes as Q-encoding writes them. */
static void
q_char(GString *out, const char *c, const char *next)
{
	for (; c < next; c++) {
		if (g_ascii_isalnum(*c) || strchr("!*+-/", *c) != NULL)
			g_string_append_c(out, *c);
		else if (*c == ' ')
			g_string_append_c(out, '_');
		else
			g_string_append_printf(out, "=%02X", (unsigned char)*c);
	}
}

/*
 * The Subject field, its text in Q-encoded words cut between characters.
 * Not GMime's encoder: it cuts base64 words at byte counts that GMime's
 * own decoder (3.2), joining adjacent words, then garbles, which would
 * cost words of a subject a respondent's "Re:" quotes back to us.
 */
static void
message_subject_write(GString *out, const char *subject)
{
	GString *q = g_string_new(NULL);
	const char *c, *next;
	gsize mark;

	g_string_append(out, "Subject:");
	for (c = subject; *c != '\0'; c = next) {
		next = g_utf8_next_char(c);
		mark = q->len;
		q_char(q, c, next);
		if (q->len > MESSAGE_WORD_PAYLOAD && mark > 0) {
			g_string_append_printf(out, " %s%.*s?=\r\n",
			    MESSAGE_WORD_HEAD, (int)mark, q->str);
			g_string_erase(q, 0, (gssize)mark);
		}
	}
	g_string_append_printf(out, " %s%s?=\r\n", MESSAGE_WORD_HEAD, q->str);
	g_string_free(q, TRUE);
}

/* The tree as SMTP wants it: CRLF everywhere, RFC 2231 parameters. */
static void
message_write(GMimeMessage *msg, const char *subject, unsigned char **out,
    size_t *len)
{
	GMimeFormatOptions *opts = g_mime_format_options_new();
	GMimeStream *stream = g_mime_stream_mem_new();
	GByteArray *bytes;
	GString *head = g_string_new(NULL);

	g_mime_format_options_set_newline_format(opts,
	    GMIME_NEWLINE_FORMAT_DOS);
	g_mime_format_options_set_param_encoding_method(opts,
	    GMIME_PARAM_ENCODING_METHOD_RFC2231);
	g_mime_object_write_to_stream(GMIME_OBJECT(msg), opts, stream);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(stream));
	/* Header order means nothing: the subject goes first. */
	message_subject_write(head, subject);
	g_byte_array_prepend(bytes, (const guint8 *)head->str, (guint)head->len);
	*len = bytes->len;
	*out = g_memdup2(bytes->data, bytes->len);
	g_string_free(head, TRUE);
	g_object_unref(stream);
	g_mime_format_options_free(opts);
}

int
message_build(const struct message_spec *s, unsigned char **out,
    size_t *len, char *err, size_t errlen)
{
	GMimeMessage *msg;
	GMimeObject *body;

	g_mime_init();
	msg = g_mime_message_new(TRUE);
	if (message_headers_set(msg, s, err, errlen) == -1) {
		g_object_unref(msg);
		return -1;
	}
	body = message_body(s);
	g_mime_message_set_mime_part(msg, body);
	g_object_unref(body);
	message_write(msg, s->subject, out, len);
	g_object_unref(msg);
	return 0;
}
