/*
 * template.c — reading a template file into its subject and body, and the
 * one scanner of {placeholders} that both checks them at load and fills
 * them in at render, so what load accepts render can always do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "file.h"
#include "template.h"
#include "text.h"

#define TEMPLATE_SUBJECT	"Subject:"
#define TEMPLATE_BOM		"\xef\xbb\xbf"

struct template {
	char			*path;
	enum template_kind	 kind;
	char			*subject;
	char			*body;
	int			 subject_line;	/* for messages: PATH:LINE */
	int			 body_line;
};

static const char *const kind_names[TEMPLATE_KINDS] = {
	"form", "ack-accepted", "ack-fix", "ack-unmatched", "reminder",
	"reminder-late", "digest",
};

static const char *const var_names[TEMPLATE_VARS] = {
	"respondent", "code", "token", "survey_title", "organiser",
	"deadline", "days_left", "filename", "received", "issues", "sender",
	"date", "accepted", "pending", "total",
};

#define VAR(v)		(1u << (v))
#define VARS_COMMON	(VAR(TEMPLATE_SURVEY_TITLE) | VAR(TEMPLATE_ORGANISER) | \
			 VAR(TEMPLATE_DEADLINE) | VAR(TEMPLATE_DAYS_LEFT))
#define VARS_TO_ONE	(VARS_COMMON | VAR(TEMPLATE_RESPONDENT) | \
			 VAR(TEMPLATE_CODE) | VAR(TEMPLATE_TOKEN))
#define VARS_REPLY	(VAR(TEMPLATE_FILENAME) | VAR(TEMPLATE_RECEIVED))

/* What each kind's caller can know when it builds the mail. */
static const unsigned kind_vars[TEMPLATE_KINDS] = {
	[TEMPLATE_FORM] = VARS_TO_ONE,
	[TEMPLATE_ACK_ACCEPTED] = VARS_TO_ONE | VARS_REPLY,
	[TEMPLATE_ACK_FIX] = VARS_TO_ONE | VARS_REPLY | VAR(TEMPLATE_ISSUES),
	[TEMPLATE_ACK_UNMATCHED] = VARS_COMMON | VARS_REPLY |
	    VAR(TEMPLATE_SENDER),
	[TEMPLATE_REMINDER] = VARS_TO_ONE,
	[TEMPLATE_REMINDER_LATE] = VARS_TO_ONE,
	[TEMPLATE_DIGEST] = VARS_COMMON | VAR(TEMPLATE_DATE) |
	    VAR(TEMPLATE_ACCEPTED) | VAR(TEMPLATE_PENDING) | VAR(TEMPLATE_TOTAL),
};

const char *
template_kind_name(enum template_kind k)
{
	return k < TEMPLATE_KINDS ? kind_names[k] : "?";
}

const char *
template_var_name(enum template_var v)
{
	return v < TEMPLATE_VARS ? var_names[v] : "?";
}

int
template_kind_allows(enum template_kind k, enum template_var v)
{
	return k < TEMPLATE_KINDS && v < TEMPLATE_VARS &&
	    (kind_vars[k] & VAR(v)) != 0;
}

char *
template_dir_default(const char *language)
{
	return g_build_filename(SURVEYD_DATADIR, "templates", language, NULL);
}

const char *
template_path(const struct template *t)
{
	return t->path;
}

/* The placeholder named by the len bytes at name, or TEMPLATE_VARS. */
static enum template_var
var_lookup(const char *name, size_t len)
{
	int v;

	for (v = 0; v < TEMPLATE_VARS; v++)
		if (strlen(var_names[v]) == len &&
		    strncmp(var_names[v], name, len) == 0)
			return (enum template_var)v;
	return TEMPLATE_VARS;
}

/*
 * Walks text from its line `line` on, copying it to out (when not NULL)
 * with {{, }} and every {placeholder} replaced; values NULL only checks.
 * -1 with err "PATH:LINE: ..." at the first mistake.
 */
static int
template_expand(const struct template *t, const char *text, int line,
    const char *const *values, GString *out, char *err, size_t errlen)
{
	const char *p, *close;
	enum template_var v;

	for (p = text; *p != '\0'; p++) {
		if (*p == '\n')
			line++;
		if ((*p == '{' && p[1] == '{') || (*p == '}' && p[1] == '}')) {
			if (out != NULL)
				g_string_append_c(out, *p);
			p++;
			continue;
		}
		if (*p == '}') {
			snprintf(err, errlen, "%s:%d: a lone '}' (write }} "
			    "for a brace)", t->path, line);
			return -1;
		}
		if (*p != '{') {
			if (out != NULL)
				g_string_append_c(out, *p);
			continue;
		}
		close = p + 1 + strcspn(p + 1, "{}\n");
		if (*close != '}') {
			snprintf(err, errlen, "%s:%d: a '{' that is not closed "
			    "on its line (write {{ for a brace)", t->path, line);
			return -1;
		}
		v = var_lookup(p + 1, (size_t)(close - p - 1));
		if (!template_kind_allows(t->kind, v)) {
			snprintf(err, errlen, "%s:%d: unknown placeholder "
			    "{%.*s} in a %s mail", t->path, line,
			    (int)(close - p - 1), p + 1, kind_names[t->kind]);
			return -1;
		}
		if (out != NULL && values != NULL && values[v] != NULL)
			g_string_append(out, values[v]);
		p = close;
	}
	return 0;
}

/* The file's text as UTF-8 with LF line ends and no BOM; g_free it. */
static char *
template_text_read(const char *path, struct problems *p)
{
	char err[TEMPLATE_ERRLEN], **lines, *text;
	unsigned char *buf;
	size_t len;

	if (file_read(path, TEMPLATE_MAX, &buf, &len, err, sizeof(err)) == -1) {
		problems_error(p, "%s", err);
		return NULL;
	}
	if (!g_utf8_validate((const char *)buf, (gssize)len, NULL) ||
	    memchr(buf, '\0', len) != NULL) {
		problems_error(p, "%s: not UTF-8 text (save it as UTF-8)", path);
		g_free(buf);
		return NULL;
	}
	text = g_strndup((const char *)buf, len);
	g_free(buf);
	if (g_str_has_prefix(text, TEMPLATE_BOM))
		memmove(text, text + strlen(TEMPLATE_BOM),
		    strlen(text) - strlen(TEMPLATE_BOM) + 1);
	/* Notepad writes CRLF; the message is built with LF and encoded. */
	lines = g_strsplit(text, "\r\n", -1);
	g_free(text);
	text = g_strjoinv("\n", lines);
	g_strfreev(lines);
	return text;
}

/* Comments, then "Subject: ...", a blank line, the body. */
static int
template_split(struct template *t, char *text, struct problems *p)
{
	char *line = text, *eol;
	int n = 1;

	while (*line == '#' && (eol = strchr(line, '\n')) != NULL) {
		line = eol + 1;
		n++;
	}
	if (g_ascii_strncasecmp(line, TEMPLATE_SUBJECT,
	    strlen(TEMPLATE_SUBJECT)) != 0) {
		problems_error(p, "%s:%d: the first line after the comments "
		    "must be 'Subject: ...'", t->path, n);
		return -1;
	}
	if ((eol = strchr(line, '\n')) == NULL || eol[1] != '\n') {
		problems_error(p, "%s:%d: a blank line must follow the "
		    "subject", t->path, n + 1);
		return -1;
	}
	*eol = '\0';
	t->subject = g_strstrip(g_strdup(line + strlen(TEMPLATE_SUBJECT)));
	t->subject_line = n;
	t->body = g_strchomp(g_strdup(eol + 2));
	t->body_line = n + 2;
	if (*t->subject == '\0' || text_blank(t->body)) {
		problems_error(p, "%s:%d: the %s is empty", t->path,
		    *t->subject == '\0' ? n : n + 2,
		    *t->subject == '\0' ? "subject" : "body");
		return -1;
	}
	/* CR LF became LF: a CR still inside would break the header. */
	if (strchr(t->subject, '\r') != NULL) {
		problems_error(p, "%s:%d: a line break (CR) inside the subject",
		    t->path, n);
		return -1;
	}
	return 0;
}

struct template *
template_load(const char *dir, enum template_kind kind, struct problems *p)
{
	struct template *t = g_new0(struct template, 1);
	char err[TEMPLATE_ERRLEN], *text;
	int rc = -1;

	t->kind = kind;
	t->path = g_strdup_printf("%s/%s.txt", dir, template_kind_name(kind));
	if ((text = template_text_read(t->path, p)) != NULL &&
	    template_split(t, text, p) == 0) {
		rc = 0;
		if (template_expand(t, t->subject, t->subject_line, NULL, NULL,
		    err, sizeof(err)) == -1) {
			problems_error(p, "%s", err);
			rc = -1;
		}
		if (template_expand(t, t->body, t->body_line, NULL, NULL,
		    err, sizeof(err)) == -1) {
			problems_error(p, "%s", err);
			rc = -1;
		}
	}
	g_free(text);
	if (rc == -1) {
		template_free(t);
		return NULL;
	}
	return t;
}

void
template_free(struct template *t)
{
	if (t == NULL)
		return;
	g_free(t->path);
	g_free(t->subject);
	g_free(t->body);
	g_free(t);
}

int
template_set_load(struct template_set *set, const char *dir,
    struct problems *p)
{
	int k, rc = 0;

	for (k = 0; k < TEMPLATE_KINDS; k++)
		if ((set->kind[k] = template_load(dir, (enum template_kind)k,
		    p)) == NULL)
			rc = -1;
	return rc;
}

void
template_set_clear(struct template_set *set)
{
	int k;

	for (k = 0; k < TEMPLATE_KINDS; k++) {
		template_free(set->kind[k]);
		set->kind[k] = NULL;
	}
}

int
template_render(const struct template *t,
    const char *const values[TEMPLATE_VARS], char **subject, char **body,
    char *err, size_t errlen)
{
	GString *s = g_string_new(NULL), *b = g_string_new(NULL);

	/* Load checked the placeholders: expanding cannot fail here. */
	template_expand(t, t->subject, t->subject_line, values, s, err, errlen);
	template_expand(t, t->body, t->body_line, values, b, err, errlen);
	if (strpbrk(s->str, "\r\n") != NULL) {
		snprintf(err, errlen, "%s:%d: a value would put a line break "
		    "into the subject", t->path, t->subject_line);
		g_string_free(s, TRUE);
		g_string_free(b, TRUE);
		return -1;
	}
	*subject = g_string_free(s, FALSE);
	*body = g_string_free(b, FALSE);
	return 0;
}
