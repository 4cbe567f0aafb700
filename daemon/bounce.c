/*
 * bounce.c — reading delivery reports: the header-field blocks of a
 * message/delivery-status part and of text/rfc822-headers, the plain
 * notices some servers send instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounce.h"

/* Subjects of the reports that carry no message/delivery-status. */
static const char *const bounce_subjects[] = {
	"undelivered mail returned to sender",		/* Postfix */
	"mail delivery failed",				/* Exim */
	"delivery status notification",			/* OpenSMTPD, Gmail */
	"undeliverable:",				/* Exchange */
	"returned mail:",				/* Sendmail */
};

/* The local parts of senders that are machines reporting. */
static const char *const bounce_senders[] = {
	"mailer-daemon@", "postmaster@",
};

struct bounce_walk {
	struct bounce	*b;
	int		 report;	/* a message/delivery-status was read */
	char		*text;		/* the first text/plain, for notices */
};

static void
recipient_free(gpointer p)
{
	struct bounce_recipient *r = p;

	g_free(r->address);
	g_free(r->diagnostic);
	g_free(r);
}

void
bounce_free(struct bounce *b)
{
	if (b == NULL)
		return;
	g_free(b->message_id);
	g_ptr_array_unref(b->recipients);
	g_free(b);
}

/* "rfc822; a@b" or "smtp; 550 ...": the part after the type. */
static const char *
field_typed_value(const char *v)
{
	const char *semi = strchr(v, ';');

	v = semi ? semi + 1 : v;
	while (*v == ' ' || *v == '\t')
		v++;
	return v;
}

static struct bounce_recipient *
recipient_add(struct bounce *b, const char *address)
{
	struct bounce_recipient *r;
	char *addr = g_ascii_strdown(address, -1);

	g_strstrip(g_strdelimit(addr, "<>", ' '));
	if (*addr == '\0' || b->recipients->len >= BOUNCE_RECIPIENTS) {
		g_free(addr);
		return NULL;
	}
	r = g_new0(struct bounce_recipient, 1);
	r->address = addr;
	g_ptr_array_add(b->recipients, r);
	return r;
}

static void
recipient_status(struct bounce_recipient *r, const char *status)
{
	g_strlcpy(r->status, status, sizeof(r->status));
	r->status[strcspn(r->status, " \t(")] = '\0';
	r->permanent = r->status[0] == '5';
}

static void
recipient_diagnostic(struct bounce_recipient *r, const char *text)
{
	g_free(r->diagnostic);
	r->diagnostic = g_strndup(text, BOUNCE_DIAGNOSTIC);
	g_strstrip(r->diagnostic);
}

/*
 * Calls fn(name, value, arg) for each header field of text (folded
 * lines joined), groups separated by blank lines going on as one.
 */
static void
fields_each(const char *text, void (*fn)(const char *, const char *,
    void *), void *arg)
{
	char **lines = g_strsplit(text, "\n", -1), *colon;
	GString *field = g_string_new(NULL);
	guint i;

	for (i = 0; lines[i] != NULL; i++) {
		g_strchomp(lines[i]);
		if (lines[i][0] == ' ' || lines[i][0] == '\t') {
			g_string_append_c(field, ' ');
			g_string_append(field, g_strchug(lines[i]));
			continue;
		}
		if ((colon = strchr(field->str, ':')) != NULL) {
			*colon = '\0';
			fn(field->str, g_strstrip(colon + 1), arg);
		}
		g_string_assign(field, lines[i]);
	}
	if ((colon = strchr(field->str, ':')) != NULL) {
		*colon = '\0';
		fn(field->str, g_strstrip(colon + 1), arg);
	}
	g_string_free(field, TRUE);
	g_strfreev(lines);
}

/* One field of a delivery-status block: a recipient starts a record. */
static void
status_field(const char *name, const char *value, void *arg)
{
	struct bounce *b = arg;
	struct bounce_recipient *r = b->recipients->len ?
	    g_ptr_array_index(b->recipients, b->recipients->len - 1) : NULL;

	if (g_ascii_strcasecmp(name, "Final-Recipient") == 0)
		recipient_add(b, field_typed_value(value));
	else if (r == NULL)
		return;
	else if (g_ascii_strcasecmp(name, "Status") == 0)
		recipient_status(r, value);
	else if (g_ascii_strcasecmp(name, "Diagnostic-Code") == 0)
		recipient_diagnostic(r, field_typed_value(value));
}

static void
headers_field(const char *name, const char *value, void *arg)
{
	struct bounce *b = arg;
	GMimeReferences *refs;

	if (b->message_id != NULL || g_ascii_strcasecmp(name, "Message-ID"))
		return;
	if ((refs = g_mime_references_parse(NULL, value)) == NULL)
		return;
	if (g_mime_references_length(refs) > 0)
		b->message_id = g_strdup(g_mime_references_get_message_id(refs,
		    0));
	g_mime_references_free(refs);
}

/* A leaf part's decoded content as text with LF line ends; g_free it. */
static char *
part_text(GMimePart *part)
{
	GMimeDataWrapper *content = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *bytes;
	char *text;

	if (content == NULL)
		return g_strdup("");
	mem = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(content, mem);
	bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	text = g_strndup((const char *)bytes->data, bytes->len);
	g_object_unref(mem);
	return g_strdelimit(text, "\r", ' ');
}

static void
walk_part(GMimeObject *parent, GMimeObject *part, gpointer arg)
{
	struct bounce_walk *w = arg;
	GMimeContentType *type = g_mime_object_get_content_type(part);
	GMimeMessage *orig;
	char *text;

	(void)parent;
	if (GMIME_IS_MESSAGE_PART(part)) {
		orig = g_mime_message_part_get_message(GMIME_MESSAGE_PART(part));
		if (orig != NULL && w->b->message_id == NULL &&
		    g_mime_message_get_message_id(orig) != NULL)
			w->b->message_id = g_strdup(
			    g_mime_message_get_message_id(orig));
		return;
	}
	if (!GMIME_IS_PART(part))
		return;
	if (g_mime_content_type_is_type(type, "message", "delivery-status") ||
	    g_mime_content_type_is_type(type, "message",
	    "global-delivery-status")) {
		text = part_text(GMIME_PART(part));
		fields_each(text, status_field, w->b);
		w->report = 1;
		g_free(text);
	} else if (g_mime_content_type_is_type(type, "text",
	    "rfc822-headers")) {
		text = part_text(GMIME_PART(part));
		fields_each(text, headers_field, w->b);
		g_free(text);
	} else if (w->text == NULL &&
	    g_mime_content_type_is_type(type, "text", "plain"))
		w->text = part_text(GMIME_PART(part));
}

/*
 * A notice's failed addresses: "<a@b>: host said: 550 5.1.1 ..."
 * (Postfix), "a@b: 550 ..." (OpenSMTPD), or an address alone on an
 * indented line with the error on the next lines (Exim).
 */
static void
notice_read(struct bounce *b, const char *text)
{
	GRegex *addr = g_regex_new("^\\s*<?([^\\s<>:@]+@[^\\s<>:]+)>?"
	    "(?::\\s*(.*))?$", G_REGEX_MULTILINE, 0, NULL);
	GRegex *status = g_regex_new("\\b([45]\\.\\d{1,3}\\.\\d{1,3})\\b",
	    0, 0, NULL);
	GMatchInfo *m, *sm;
	struct bounce_recipient *r;
	char *a, *rest, *code;

	g_regex_match(addr, text, 0, &m);
	for (; g_match_info_matches(m); g_match_info_next(m, NULL)) {
		a = g_match_info_fetch(m, 1);
		rest = g_match_info_fetch(m, 2);
		if ((r = recipient_add(b, a)) != NULL && rest != NULL &&
		    *rest != '\0') {
			recipient_diagnostic(r, rest);
			g_regex_match(status, rest, 0, &sm);
			code = g_match_info_fetch(sm, 1);
			recipient_status(r, code ? code : rest[0] == '4' ?
			    "4.0.0" : "5.0.0");
			g_free(code);
			g_match_info_free(sm);
		} else if (r != NULL)
			recipient_status(r, "5.0.0");
		g_free(a);
		g_free(rest);
	}
	g_match_info_free(m);
	g_regex_unref(addr);
	g_regex_unref(status);
}

static int
sender_is_machine(GMimeMessage *msg)
{
	InternetAddressList *from = g_mime_message_get_from(msg);
	InternetAddress *a;
	const char *addr;
	size_t i;

	if (from == NULL || internet_address_list_length(from) < 1)
		return 0;
	a = internet_address_list_get_address(from, 0);
	if (!INTERNET_ADDRESS_IS_MAILBOX(a))
		return 0;
	addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(a));
	for (i = 0; i < G_N_ELEMENTS(bounce_senders); i++)
		if (addr != NULL && g_ascii_strncasecmp(addr,
		    bounce_senders[i], strlen(bounce_senders[i])) == 0)
			return 1;
	return 0;
}

static int
subject_is_notice(GMimeMessage *msg)
{
	const char *subject = g_mime_message_get_subject(msg);
	char *lower;
	size_t i;
	int found = 0;

	if (subject == NULL)
		return 0;
	lower = g_utf8_strdown(subject, -1);
	for (i = 0; i < G_N_ELEMENTS(bounce_subjects); i++)
		found |= strstr(lower, bounce_subjects[i]) != NULL;
	g_free(lower);
	return found;
}

struct bounce *
bounce_read(GMimeMessage *msg)
{
	struct bounce_walk w = { 0 };

	w.b = g_new0(struct bounce, 1);
	w.b->recipients = g_ptr_array_new_with_free_func(recipient_free);
	g_mime_message_foreach(msg, walk_part, &w);
	if (!w.report && w.text != NULL && (sender_is_machine(msg) ||
	    subject_is_notice(msg)))
		notice_read(w.b, w.text);
	g_free(w.text);
	if (w.b->recipients->len == 0) {
		bounce_free(w.b);
		return NULL;
	}
	return w.b;
}

struct bounce *
bounce_read_bytes(const unsigned char *data, size_t len)
{
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	struct bounce *b = NULL;

	g_mime_init();
	stream = g_mime_stream_mem_new_with_buffer((const char *)data, len);
	parser = g_mime_parser_new_with_stream(stream);
	if ((msg = g_mime_parser_construct_message(parser, NULL)) != NULL) {
		b = bounce_read(msg);
		g_object_unref(msg);
	}
	g_object_unref(parser);
	g_object_unref(stream);
	return b;
}
