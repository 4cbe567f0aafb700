/*
 * mime.c — a received message taken apart: the cheap scan that refuses a
 * hostile message before GMime sees it, the headers intake needs, and the
 * walk over GMime's tree that sorts every file into possible replies,
 * refusals and the rest.
 */
#include <stdio.h>
#include <string.h>

#include <gmime/gmime.h>

#include "grid.h"
#include "mime.h"

void
mime_limits_init(struct mime_limits *l, size_t message, size_t attachment)
{
	l->message = message;
	l->attachment = attachment;
	l->depth = MIME_DEPTH;
	l->parts = MIME_PARTS;
	l->header_line = MIME_HEADER_LINE;
}

/* GMime keeps its type tables for the process; set them up once. */
static void
mime_init(void)
{
	static gsize done;

	if (g_once_init_enter(&done)) {
		g_mime_init();
		g_once_init_leave(&done, 1);
	}
}

/* --- lines and header fields -------------------------------------------- */

/* The line at *p without its line end; moves *p past it. */
static size_t
line_next(const unsigned char **p, const unsigned char *end,
    const unsigned char **line)
{
	const unsigned char *eol = memchr(*p, '\n', (size_t)(end - *p));
	size_t n;

	*line = *p;
	if (eol == NULL)
		eol = end;
	*p = eol < end ? eol + 1 : end;
	n = (size_t)(eol - *line);
	if (n > 0 && (*line)[n - 1] == '\r')
		n--;
	return n;
}

/* The length of the field name when the line starts a header field. */
static size_t
field_name_len(const unsigned char *line, size_t n)
{
	size_t i;

	for (i = 0; i < n && line[i] != ':'; i++)
		if (line[i] < 33 || line[i] > 126)
			return 0;
	return i < n ? i : 0;
}

static int
field_is(const unsigned char *line, size_t namelen, const char *name)
{
	return namelen == strlen(name) &&
	    g_ascii_strncasecmp((const char *)line, name, namelen) == 0;
}

int
mail_looks_like(const unsigned char *data, size_t len)
{
	const unsigned char *p = data, *end = data + len, *line;
	size_t n, name;
	int fields = 0, key = 0;

	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	/* Thunderbird's "Save as" may keep the mbox separator line. */
	if (end - p >= 5 && memcmp(p, "From ", 5) == 0)
		line_next(&p, end, &line);
	while (p < end) {
		if ((n = line_next(&p, end, &line)) == 0)
			break;
		if (line[0] == ' ' || line[0] == '\t') {
			if (fields == 0)
				return 0;
			continue;
		}
		if ((name = field_name_len(line, n)) == 0)
			return 0;
		fields++;
		if (field_is(line, name, "From") ||
		    field_is(line, name, "MIME-Version"))
			key = 1;
	}
	return fields >= 2 && key;
}

/* --- the scan before GMime ------------------------------------------------ */

struct scan {
	const struct mime_limits *l;
	GPtrArray	*open;		/* boundaries (char *); NULL for message/rfc822 */
	GString		*field;		/* the header field being read, unfolded */
	char		*boundary;	/* the header block's multipart boundary */
	int		 rfc822;	/* the header block declares message/rfc822 */
	int		 header;	/* inside a header block */
	unsigned	 parts;
	char		*err;
	size_t		 errlen;
};

/* The boundary parameter of a multipart Content-Type value, or NULL. */
static char *
boundary_param(const char *v)
{
	const char *p = v, *start;
	size_t n;

	/* Every step forward stops at the NUL: a value may end anywhere. */
	while (*p != '\0') {
		if (g_ascii_strncasecmp(p, "boundary", 8) != 0) {
			p++;
			continue;
		}
		for (p += 8; *p == ' ' || *p == '\t'; p++)
			;
		if (*p != '=')
			continue;
		for (p++; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == '"') {
			start = ++p;
			n = strcspn(p, "\"");
		} else {
			start = p;
			n = strcspn(p, "; \t");
		}
		return n > 0 ? g_strndup(start, n) : NULL;
	}
	return NULL;
}

static void
scan_field_end(struct scan *s)
{
	const unsigned char *f = (const unsigned char *)s->field->str;
	const char *v;
	size_t name = field_name_len(f, s->field->len);

	if (field_is(f, name, "Content-Type")) {
		for (v = s->field->str + name + 1; *v == ' ' || *v == '\t'; v++)
			;
		if (g_ascii_strncasecmp(v, "multipart/", 10) == 0) {
			g_free(s->boundary);
			s->boundary = boundary_param(v);
		} else if (g_ascii_strncasecmp(v, "message/rfc822", 14) == 0)
			s->rfc822 = 1;
	}
	g_string_truncate(s->field, 0);
}

static int
scan_push(struct scan *s, char *boundary)
{
	if (s->open->len >= s->l->depth) {
		g_free(boundary);
		snprintf(s->err, s->errlen, "the message nests MIME parts deeper "
		    "than %u levels", s->l->depth);
		return -1;
	}
	g_ptr_array_add(s->open, boundary);
	return 0;
}

/*
 * The blank line after a header block: a multipart's body starts, or a
 * forwarded message's own header block, or a leaf's content.
 */
static int
scan_block_end(struct scan *s)
{
	char *b;
	int rfc822;

	scan_field_end(s);
	b = s->boundary;
	rfc822 = s->rfc822;
	s->boundary = NULL;
	s->rfc822 = 0;
	s->header = b == NULL && rfc822;
	if (b != NULL)
		return scan_push(s, b);
	return rfc822 ? scan_push(s, NULL) : 0;
}

/*
 * A "--" line that names an open boundary: parts left open inside it end
 * here, as GMime ends them.  0 when it names none.
 */
static int
scan_boundary_follow(struct scan *s, const unsigned char *line, size_t n,
    int *closing)
{
	const char *b;
	size_t bl;
	guint i;

	for (i = s->open->len; i-- > 0;) {
		if ((b = s->open->pdata[i]) == NULL)
			continue;
		bl = strlen(b);
		if (n - 2 < bl || memcmp(line + 2, b, bl) != 0)
			continue;
		*closing = n - 2 - bl >= 2 && memcmp(line + 2 + bl, "--", 2) == 0;
		g_ptr_array_set_size(s->open, *closing ? i : i + 1);
		g_string_truncate(s->field, 0);
		g_clear_pointer(&s->boundary, g_free);
		s->rfc822 = 0;
		s->header = !*closing;
		return 1;
	}
	return 0;
}

/*
 * Every "--" line but a closing delimiter counts as a part: one that
 * names no boundary the scan knows may still be one to GMime.
 */
static int
scan_boundary(struct scan *s, const unsigned char *line, size_t n)
{
	int closing = 0;

	if (scan_boundary_follow(s, line, n, &closing) && closing)
		return 0;
	if (++s->parts > s->l->parts) {
		snprintf(s->err, s->errlen, "the message has more than %u MIME "
		    "parts", s->l->parts);
		return -1;
	}
	return 0;
}

static int
scan_header_line(struct scan *s, const unsigned char *line, size_t n)
{
	if (n == 0)
		return scan_block_end(s);
	if (line[0] != ' ' && line[0] != '\t')
		scan_field_end(s);
	if (s->field->len + n > s->l->header_line) {
		snprintf(s->err, s->errlen, "the message has a header line "
		    "longer than %zu bytes", s->l->header_line);
		return -1;
	}
	g_string_append_len(s->field, (const char *)line, (gssize)n);
	return 0;
}

/*
 * Counts boundary lines and follows multipart and message/rfc822 nesting
 * without building anything, so that a message GMime would turn into a
 * huge or deep tree is refused in one pass over its bytes.
 */
static int
mail_scan(const unsigned char *data, size_t len, const struct mime_limits *l,
    char *err, size_t errlen)
{
	struct scan s = { .l = l, .header = 1, .err = err, .errlen = errlen };
	const unsigned char *p = data, *end = data + len, *line;
	size_t n;
	int rc = 0;

	s.open = g_ptr_array_new_with_free_func(g_free);
	s.field = g_string_new(NULL);
	while (rc == 0 && p < end) {
		n = line_next(&p, end, &line);
		if (n >= 2 && line[0] == '-' && line[1] == '-')
			rc = scan_boundary(&s, line, n);
		else if (s.header)
			rc = scan_header_line(&s, line, n);
	}
	g_ptr_array_unref(s.open);
	g_string_free(s.field, TRUE);
	g_free(s.boundary);
	return rc;
}

/* --- headers -------------------------------------------------------------- */

/* Text for the store: valid UTF-8, or NULL. */
static char *
text_dup(const char *s)
{
	return s != NULL ? g_utf8_make_valid(s, -1) : NULL;
}

/* The first mailbox of an address list, looking into groups. */
static char *
address_first(InternetAddressList *list)
{
	InternetAddress *a;
	const char *addr;
	char *valid, *found = NULL;
	int i;

	for (i = 0; list != NULL && found == NULL &&
	    i < internet_address_list_length(list); i++) {
		a = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(a)) {
			found = address_first(internet_address_group_get_members(
			    INTERNET_ADDRESS_GROUP(a)));
			continue;
		}
		addr = internet_address_mailbox_get_addr(
		    INTERNET_ADDRESS_MAILBOX(a));
		if (addr == NULL || *addr == '\0')
			continue;
		valid = text_dup(addr);
		found = g_utf8_strdown(valid, -1);
		g_free(valid);
	}
	return found;
}

static char *
message_sender(GMimeMessage *msg)
{
	char *s;

	if ((s = address_first(g_mime_message_get_from(msg))) == NULL &&
	    (s = address_first(g_mime_message_get_sender(msg))) == NULL)
		s = address_first(g_mime_message_get_reply_to(msg));
	return s;
}

/* The first word of a header's value, lower-case, or NULL; g_free it. */
static char *
header_token(GMimeMessage *msg, const char *name)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(msg), name);

	if (v == NULL)
		return NULL;
	while (*v == ' ' || *v == '\t')
		v++;
	return g_ascii_strdown(v, (gssize)strcspn(v, " \t;("));
}

/* "Return-Path: <>": the envelope of a bounce, as the server wrote it. */
static int
return_path_empty(GMimeMessage *msg)
{
	const char *v = g_mime_object_get_header(GMIME_OBJECT(msg),
	    "Return-Path");

	if (v == NULL)
		return 0;
	while (g_ascii_isspace(*v))
		v++;
	return strncmp(v, "<>", 2) == 0;
}

static unsigned
message_markers(GMimeMessage *msg, const char *sender)
{
	GMimeObject *body = g_mime_message_get_mime_part(msg);
	char *auto_submitted = header_token(msg, "Auto-Submitted");
	char *precedence = header_token(msg, "Precedence");
	unsigned m = 0;

	if (auto_submitted != NULL && strcmp(auto_submitted, "no") != 0)
		m |= MAIL_AUTO_SUBMITTED;
	if ((precedence != NULL && (strcmp(precedence, "bulk") == 0 ||
	    strcmp(precedence, "list") == 0 || strcmp(precedence, "junk") == 0)) ||
	    g_mime_object_get_header(GMIME_OBJECT(msg), "List-Id") != NULL)
		m |= MAIL_BULK;
	if ((body != NULL && g_mime_content_type_is_type(
	    g_mime_object_get_content_type(body), "multipart", "report")) ||
	    (sender != NULL && (g_str_has_prefix(sender, "mailer-daemon@") ||
	    g_str_has_prefix(sender, "postmaster@"))) || return_path_empty(msg))
		m |= MAIL_BOUNCE;
	g_free(auto_submitted);
	g_free(precedence);
	return m;
}

/* In-Reply-To and References: which of our mails a reply answers. */
static void
references_read(GPtrArray *out, GMimeMessage *msg)
{
	static const char *const names[] = { "In-Reply-To", "References" };
	GMimeReferences *refs;
	const char *v;
	size_t i;
	int k;

	for (i = 0; i < G_N_ELEMENTS(names); i++) {
		v = g_mime_object_get_header(GMIME_OBJECT(msg), names[i]);
		if (v == NULL || (refs = g_mime_references_parse(NULL, v)) == NULL)
			continue;
		for (k = 0; k < g_mime_references_length(refs) &&
		    out->len < MIME_REFERENCES; k++)
			g_ptr_array_add(out, text_dup(
			    g_mime_references_get_message_id(refs, k)));
		g_mime_references_free(refs);
	}
}

static void
mail_headers_read(struct mail *m, GMimeMessage *msg)
{
	GDateTime *date;

	m->sender = message_sender(msg);
	m->subject = text_dup(g_mime_message_get_subject(msg));
	m->message_id = text_dup(g_mime_message_get_message_id(msg));
	if ((date = g_mime_message_get_date(msg)) != NULL)
		m->date = g_date_time_to_unix(date);
	m->markers = message_markers(msg, m->sender);
	references_read(m->references, msg);
}

/* --- filenames ------------------------------------------------------------ */

char *
mail_filename_clean(const char *raw, unsigned n)
{
	GString *s = g_string_new(NULL);
	char *valid, *nfc;
	const char *p, *base;
	gunichar c;

	if (raw != NULL) {
		valid = g_utf8_make_valid(raw, -1);
		nfc = g_utf8_normalize(valid, -1, G_NORMALIZE_NFC);
		g_free(valid);
		/* Windows clients send paths with backslashes. */
		for (base = p = nfc; *p != '\0'; p++)
			if (*p == '/' || *p == '\\')
				base = p + 1;
		for (p = base; *p != '\0'; p = g_utf8_next_char(p)) {
			c = g_utf8_get_char(p);
			if (g_unichar_iscntrl(c) || (s->len == 0 &&
			    (c == '.' || g_unichar_isspace(c))))
				continue;
			if (s->len + (size_t)g_unichar_to_utf8(c, NULL) > MIME_FILENAME)
				break;
			g_string_append_unichar(s, c);
		}
		g_string_truncate(s, strlen(g_strchomp(s->str)));
		g_free(nfc);
	}
	if (s->len == 0)
		g_string_printf(s, "attachment-%u", n);
	return g_string_free(s, FALSE);
}

/* --- parts ---------------------------------------------------------------- */

static struct mail_part *
mail_part_new(char *filename, GByteArray *bytes, const char *reason)
{
	struct mail_part *p = g_new0(struct mail_part, 1);
	guint len;

	p->filename = filename;
	if (bytes != NULL) {
		len = bytes->len;
		p->data = g_byte_array_free(bytes, FALSE);
		p->len = len;
	}
	p->reason = g_strdup(reason);
	return p;
}

static void
mail_part_free(gpointer v)
{
	struct mail_part *p = v;

	g_free(p->filename);
	g_free(p->data);
	g_free(p->reason);
	g_free(p);
}

/*
 * GMime decodes base64 leniently, skipping what is not base64: content
 * with other characters, or too little to make one byte, is garbage that
 * no reader should be handed.
 */
static int
base64_garbage(GMimeDataWrapper *w)
{
	GMimeStream *st = g_mime_data_wrapper_get_stream(w);
	char buf[4096];
	size_t alpha = 0, other = 0;
	ssize_t n, i;
	unsigned char c;

	if (st == NULL || g_mime_stream_reset(st) == -1)
		return 1;
	while ((n = g_mime_stream_read(st, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++) {
			c = (unsigned char)buf[i];
			if (g_ascii_isalnum(c) || c == '+' || c == '/')
				alpha++;
			else if (c != '=' && !g_ascii_isspace(c))
				return 1;
			else if (c == '=')
				other++;
		}
	}
	return n < 0 || ((alpha > 0 || other > 0) && alpha < 2);
}

/* The part's content, transfer encoding undone; NULL: the reason. */
static const char *
part_decode(GMimePart *part, GByteArray **out)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	GMimeStream *mem;
	GByteArray *b = g_byte_array_new();
	ssize_t rc;

	*out = b;
	if (w == NULL)
		return NULL;
	if (g_mime_data_wrapper_get_encoding(w) == GMIME_CONTENT_ENCODING_BASE64 &&
	    base64_garbage(w)) {
		*out = NULL;
		g_byte_array_unref(b);
		return "it is declared base64 but is not: unreadable";
	}
	mem = g_mime_stream_mem_new_with_byte_array(b);
	g_mime_stream_mem_set_owner(GMIME_STREAM_MEM(mem), FALSE);
	rc = g_mime_data_wrapper_write_to_stream(w, mem);
	g_object_unref(mem);
	if (rc == -1) {
		*out = NULL;
		g_byte_array_unref(b);
		return "its content cannot be decoded: unreadable";
	}
	return NULL;
}

enum part_kind {
	PART_BODY,		/* the message's own text: nothing to list */
	PART_OTHER,		/* a file that is no reply: named only */
	PART_CANDIDATE,		/* a file that may be a reply */
};

/* Text parts that are the message's words, not a CSV someone attached. */
static int
part_is_body_text(GMimePart *part)
{
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(part));

	return g_mime_content_type_is_type(ct, "text", "*") &&
	    !g_mime_content_type_is_type(ct, "text", "csv") &&
	    !g_mime_content_type_is_type(ct, "text", "comma-separated-values");
}

static int
name_is_csv(const char *name)
{
	size_t n = strlen(name);

	return n >= 4 && g_ascii_strcasecmp(name + n - 4, ".csv") == 0;
}

/* Content decides; a declared text type only keeps the body out. */
static enum part_kind
part_kind(GMimePart *part, const char *name, int named, const GByteArray *b)
{
	enum grid_format f = grid_format_detect(b->data, b->len);
	int body = part_is_body_text(part);

	if (f == GRID_FORMAT_UNKNOWN)
		return named || !body ? PART_OTHER : PART_BODY;
	if (f == GRID_FORMAT_CSV && body && !name_is_csv(name))
		return named ? PART_OTHER : PART_BODY;
	return PART_CANDIDATE;
}

/* --- the walk ------------------------------------------------------------- */

struct walk {
	const struct mime_limits *l;
	struct mail	*m;
	unsigned	 leaves;	/* numbers unnamed files */
};

static void
walk_refuse(struct walk *w, char *name, const char *reason)
{
	g_ptr_array_add(w->m->refused, mail_part_new(name, NULL, reason));
}

static void
walk_leaf(struct walk *w, GMimePart *part)
{
	const char *raw = g_mime_part_get_filename(part);
	char *name = mail_filename_clean(raw, ++w->leaves), *why;
	GByteArray *b;
	const char *err;

	if ((err = part_decode(part, &b)) != NULL) {
		walk_refuse(w, name, err);
		return;
	}
	switch (part_kind(part, name, raw != NULL && *raw != '\0', b)) {
	case PART_CANDIDATE:
		if (b->len <= w->l->attachment) {
			g_ptr_array_add(w->m->candidates, mail_part_new(name, b, NULL));
			return;
		}
		why = g_strdup_printf("the file has %u bytes, over the limit of "
		    "%zu (max-attachment-size)", b->len, w->l->attachment);
		walk_refuse(w, name, why);
		g_free(why);
		break;
	case PART_OTHER:
		g_ptr_array_add(w->m->others, name);
		break;
	case PART_BODY:
		g_free(name);
		break;
	}
	g_byte_array_unref(b);
}

static void
walk_object(struct walk *w, GMimeObject *o, unsigned depth)
{
	GMimeMessage *inner;
	GMimeObject *root;
	int i;

	/* The scan counted the nesting GMime should see; this is its backstop. */
	if (depth > w->l->depth) {
		walk_refuse(w, mail_filename_clean(NULL, ++w->leaves),
		    "MIME parts nested too deep");
		return;
	}
	if (GMIME_IS_MULTIPART(o)) {
		/* A bounce returns our own mail: nothing in it is a reply. */
		if (g_mime_content_type_is_type(g_mime_object_get_content_type(o),
		    "multipart", "report"))
			return;
		for (i = 0; i < g_mime_multipart_get_count(GMIME_MULTIPART(o)); i++)
			walk_object(w, g_mime_multipart_get_part(GMIME_MULTIPART(o),
			    i), depth + 1);
	} else if (GMIME_IS_MESSAGE_PART(o)) {
		inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(o));
		if (inner != NULL &&
		    (root = g_mime_message_get_mime_part(inner)) != NULL)
			walk_object(w, root, depth + 1);
	} else if (GMIME_IS_PART(o))
		walk_leaf(w, GMIME_PART(o));
}

/* --- the message ---------------------------------------------------------- */

static GMimeMessage *
message_construct(const unsigned char *data, size_t len)
{
	GMimeStream *st;
	GMimeParser *p;
	GMimeMessage *msg;

	st = g_mime_stream_mem_new_with_buffer((const char *)data, len);
	p = g_mime_parser_new_with_stream(st);
	g_mime_parser_set_format(p, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(p, NULL);
	g_object_unref(p);
	g_object_unref(st);
	return msg;
}

struct mail *
mail_parse(const unsigned char *data, size_t len, const struct mime_limits *l,
    char *err, size_t errlen)
{
	struct walk w = { l, NULL, 0 };
	GMimeMessage *msg;
	GMimeObject *root;

	if (len > l->message) {
		snprintf(err, errlen, "the message has %zu bytes, over the limit "
		    "of %zu (max-message-size)", len, l->message);
		return NULL;
	}
	if (mail_scan(data, len, l, err, errlen) == -1)
		return NULL;
	mime_init();
	if ((msg = message_construct(data, len)) == NULL) {
		snprintf(err, errlen, "not a mail message");
		return NULL;
	}
	w.m = g_new0(struct mail, 1);
	w.m->candidates = g_ptr_array_new_with_free_func(mail_part_free);
	w.m->refused = g_ptr_array_new_with_free_func(mail_part_free);
	w.m->others = g_ptr_array_new_with_free_func(g_free);
	w.m->references = g_ptr_array_new_with_free_func(g_free);
	mail_headers_read(w.m, msg);
	if ((root = g_mime_message_get_mime_part(msg)) != NULL)
		walk_object(&w, root, 0);
	g_object_unref(msg);
	return w.m;
}

void
mail_free(struct mail *m)
{
	if (m == NULL)
		return;
	g_free(m->sender);
	g_free(m->subject);
	g_free(m->message_id);
	g_ptr_array_unref(m->references);
	g_ptr_array_unref(m->candidates);
	g_ptr_array_unref(m->refused);
	g_ptr_array_unref(m->others);
	g_free(m);
}
