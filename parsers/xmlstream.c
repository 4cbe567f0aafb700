/*
 * xmlstream.c — the expat wrapper the XLSX and ODS readers share: one
 * parser reused for every member, names split into namespace id and local
 * name, DOCTYPEs refused, depth bounded, errors as one line; bounded text
 * collection; XML Schema numbers and dates.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <expat.h>

#include "grid.h"
#include "xmlstream.h"

/* expat joins a namespace URI and a local name with this; no URI has one. */
#define XMLSTREAM_NSSEP	' '

/* The most handed to expat at once; it counts in ints. */
#define XMLSTREAM_MAXPARSE	(1 << 30)

struct xmlstream {
	XML_Parser			 parser;
	const struct xmlns		*ns;
	size_t				 nns;
	unsigned			 maxdepth;
	unsigned			 depth;
	int				 failed;
	int				 stopped;	/* done early */
	const char			*what;
	/*
	 * The last start tag, split.  expat gives an element's end tag the
	 * buffer its start tag had (per namespace binding, rewritten with the
	 * same URI), so a matching pointer means the same namespace and the
	 * local name at the same offset: leaf elements split once.
	 */
	const char			*last_qname;
	const char			*last_local;
	int				 last_ns;
	const struct xmlstream_handlers	*h;
	void				*arg;
	char				 err[GRID_ERRLEN];
};

/* Splits expat's "URI local" into a namespace id and the local name. */
static int
ns_split(const struct xmlstream *xs, const char *qname, const char **local)
{
	const char *sep;
	size_t len, i;

	if ((sep = strrchr(qname, XMLSTREAM_NSSEP)) == NULL) {
		*local = qname;
		return XMLNS_NONE;
	}
	*local = sep + 1;
	len = (size_t)(sep - qname);
	for (i = 0; i < xs->nns; i++)
		if (strncmp(xs->ns[i].uri, qname, len) == 0 &&
		    xs->ns[i].uri[len] == '\0')
			return xs->ns[i].id;
	return XMLNS_OTHER;
}

static void
on_start(void *ud, const XML_Char *qname, const XML_Char **attrs)
{
	struct xmlstream *xs = ud;
	const char *local;
	int ns;

	if (xs->failed || xs->stopped)
		return;
	if (++xs->depth > xs->maxdepth) {
		xmlstream_fail(xs, "XML in '%s' nests deeper than %u elements "
		    "(line %lu)", xs->what, xs->maxdepth,
		    (unsigned long)XML_GetCurrentLineNumber(xs->parser));
		return;
	}
	ns = ns_split(xs, qname, &local);
	xs->last_qname = qname;
	xs->last_ns = ns;
	xs->last_local = local;
	if (xs->h->start != NULL)
		xs->h->start(xs->arg, ns, local, attrs);
}

static void
on_end(void *ud, const XML_Char *qname)
{
	struct xmlstream *xs = ud;
	const char *local;
	int ns;

	if (xs->failed || xs->stopped)
		return;
	xs->depth--;
	if (qname == xs->last_qname) {
		ns = xs->last_ns;
		local = xs->last_local;
	} else
		ns = ns_split(xs, qname, &local);
	if (xs->h->end != NULL)
		xs->h->end(xs->arg, ns, local);
}

static void
on_text(void *ud, const XML_Char *s, int len)
{
	struct xmlstream *xs = ud;

	if (!xs->failed && !xs->stopped && xs->h->text != NULL)
		xs->h->text(xs->arg, s, (size_t)len);
}

/*
 * Office files never carry a DTD; one that does can only be trying entity
 * expansion ("billion laughs") or external entities.
 */
static void
on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
    const XML_Char *pubid, int has_internal_subset)
{
	struct xmlstream *xs = ud;

	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	xmlstream_fail(xs, "'%s': XML with a DOCTYPE is refused "
	    "(entity expansion)", xs->what);
}

struct xmlstream *
xmlstream_new(const struct limits *l, const struct xmlns *ns, size_t nns)
{
	struct xmlstream *xs;

	if ((xs = calloc(1, sizeof(*xs))) == NULL)
		return NULL;
	if ((xs->parser = XML_ParserCreateNS(NULL, XMLSTREAM_NSSEP)) == NULL) {
		free(xs);
		return NULL;
	}
	xs->ns = ns;
	xs->nns = nns;
	xs->maxdepth = l->xml_depth;
	return xs;
}

void
xmlstream_free(struct xmlstream *xs)
{
	if (xs == NULL)
		return;
	XML_ParserFree(xs->parser);
	free(xs);
}

void
xmlstream_begin(struct xmlstream *xs, const char *what,
    const struct xmlstream_handlers *h, void *arg)
{
	XML_Parser p = xs->parser;

	/* Reset clears the handlers; a fresh parser per member costs more. */
	XML_ParserReset(p, NULL);
	XML_SetUserData(p, xs);
	XML_SetElementHandler(p, on_start, on_end);
	XML_SetCharacterDataHandler(p, on_text);
	XML_SetStartDoctypeDeclHandler(p, on_doctype);
	xs->depth = 0;
	xs->last_qname = NULL;
	xs->failed = 0;
	xs->stopped = 0;
	xs->err[0] = '\0';
	xs->what = what;
	xs->h = h;
	xs->arg = arg;
}

/* After XML_Parse failed: our own message, or expat's with the line. */
static void
parse_error(const struct xmlstream *xs, char *err, size_t errlen)
{
	XML_Parser p = xs->parser;

	if (xs->failed)
		snprintf(err, errlen, "%s", xs->err);
	else
		snprintf(err, errlen, "XML error in '%s' at line %lu: %s",
		    xs->what, (unsigned long)XML_GetCurrentLineNumber(p),
		    XML_ErrorString(XML_GetErrorCode(p)));
}

static int
parse(struct xmlstream *xs, const char *buf, size_t len, int final,
    char *err, size_t errlen)
{
	size_t n;

	/* expat takes int lengths. */
	do {
		n = len > XMLSTREAM_MAXPARSE ? XMLSTREAM_MAXPARSE : len;
		if (XML_Parse(xs->parser, buf, (int)n, final && n == len) !=
		    XML_STATUS_OK) {
			/* Stopped early: -1 ends the ZIP stream, no error. */
			if (xs->stopped)
				err[0] = '\0';
			else
				parse_error(xs, err, errlen);
			return -1;
		}
		buf += n;
		len -= n;
	} while (len > 0);
	return 0;
}

int
xmlstream_feed(void *arg, const char *buf, size_t len, char *err,
    size_t errlen)
{
	return parse(arg, buf, len, 0, err, errlen);
}

int
xmlstream_finish(struct xmlstream *xs, char *err, size_t errlen)
{
	if (!xs->stopped && parse(xs, "", 0, 1, err, errlen) == -1)
		return xs->stopped ? 0 : -1;
	return 0;
}

int
xmlstream_parse_member(struct xmlstream *xs, struct zipfile *zip,
    const char *member, const struct xmlstream_handlers *h, void *arg,
    char *err, size_t errlen)
{
	xmlstream_begin(xs, member, h, arg);
	if (zipfile_member_stream(zip, member, xmlstream_feed, xs, err,
	    errlen) == -1)
		return xs->stopped ? 0 : -1;
	return xmlstream_finish(xs, err, errlen);
}

void
xmlstream_fail(struct xmlstream *xs, const char *fmt, ...)
{
	va_list ap;

	if (xs->failed || xs->stopped)
		return;
	va_start(ap, fmt);
	vsnprintf(xs->err, sizeof(xs->err), fmt, ap);
	va_end(ap);
	xs->failed = 1;
	XML_StopParser(xs->parser, XML_FALSE);
}

void
xmlstream_stop(struct xmlstream *xs)
{
	if (xs->failed || xs->stopped)
		return;
	xs->stopped = 1;
	XML_StopParser(xs->parser, XML_FALSE);
}

const char *
xmlstream_attr(const struct xmlstream *xs, const char **attrs, int ns,
    const char *name)
{
	const char *local;
	size_t i;

	/* An unprefixed name has no separator, so plain comparison is exact. */
	if (ns == XMLNS_NONE) {
		for (i = 0; attrs[i] != NULL; i += 2)
			if (strcmp(attrs[i], name) == 0)
				return attrs[i + 1];
		return NULL;
	}
	for (i = 0; attrs[i] != NULL; i += 2)
		if (ns_split(xs, attrs[i], &local) == ns &&
		    strcmp(local, name) == 0)
			return attrs[i + 1];
	return NULL;
}

void
xmltext_init(struct xmltext *t, size_t max)
{
	t->buf = NULL;
	t->len = 0;
	t->cap = 0;
	t->max = max;
}

/* Makes room for n more bytes and the NUL; n already fits under max + 1. */
static int
xmltext_room(struct xmltext *t, size_t n)
{
	size_t ncap;
	char *p;

	if (t->len + n < t->cap)
		return 0;
	for (ncap = t->cap ? t->cap : 64; t->len + n >= ncap; ncap *= 2)
		;
	if ((p = realloc(t->buf, ncap)) == NULL)
		return -1;
	t->buf = p;
	t->cap = ncap;
	return 0;
}

int
xmltext_add(struct xmltext *t, const char *s, size_t n)
{
	if (n > t->max + 1 - t->len)
		n = t->max + 1 - t->len;
	if (n == 0)
		return 0;
	if (xmltext_room(t, n) == -1)
		return -1;
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
	return 0;
}

int
xmltext_addc(struct xmltext *t, char c, size_t count)
{
	if (count > t->max + 1 - t->len)
		count = t->max + 1 - t->len;
	if (count == 0)
		return 0;
	if (xmltext_room(t, count) == -1)
		return -1;
	memset(t->buf + t->len, c, count);
	t->len += count;
	t->buf[t->len] = '\0';
	return 0;
}

void
xmltext_reset(struct xmltext *t)
{
	t->len = 0;
	if (t->buf != NULL)
		t->buf[0] = '\0';
}

void
xmltext_free(struct xmltext *t)
{
	free(t->buf);
	xmltext_init(t, t->max);
}

char *
xmltext_dup(const struct xmltext *t)
{
	char *s;

	if ((s = malloc(t->len + 1)) == NULL)
		return NULL;
	if (t->len > 0)
		memcpy(s, t->buf, t->len);
	s[t->len] = '\0';
	return s;
}

int
xml_number(const char *s, double *out)
{
	const char *p;
	char *end;
	double d;

	/* Only xsd:double's characters: no hex, "inf" or "nan" from strtod. */
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	for (p = s; (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' ||
	    *p == '+' || *p == 'e' || *p == 'E'; p++)
		;
	if (p == s)
		return -1;
	d = strtod(s, &end);
	if (end != p || !isfinite(d))
		return -1;
	while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
		end++;
	if (*end != '\0')
		return -1;
	*out = d;
	return 0;
}

/* Reads exactly n digits; -1 when they are not there. */
static int
digits(const char **sp, int n)
{
	const char *s = *sp;
	int v = 0;

	for (; n > 0; n--, s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	*sp = s;
	return v;
}

static int
days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* "HH:MM[:SS[.fff]]" as a fraction of a day. */
static int
xml_time(const char *s, const char **end, double *frac)
{
	int h, mi, sec = 0;
	double part = 0, scale = 0.1;

	if ((h = digits(&s, 2)) == -1 || *s++ != ':' ||
	    (mi = digits(&s, 2)) == -1)
		return -1;
	if (*s == ':') {
		s++;
		if ((sec = digits(&s, 2)) == -1)
			return -1;
		if (*s == '.')
			for (s++; *s >= '0' && *s <= '9'; s++, scale /= 10)
				part += (*s - '0') * scale;
	}
	if (h > 24 || mi > 59 || sec > 60)
		return -1;
	*frac = (h * 3600.0 + mi * 60.0 + sec + part) / 86400.0;
	*end = s;
	return 0;
}

int
xml_datetime(const char *s, double *serial)
{
	int y, m, d;
	double frac = 0;

	if ((y = digits(&s, 4)) == -1 || *s++ != '-' ||
	    (m = digits(&s, 2)) == -1 || *s++ != '-' ||
	    (d = digits(&s, 2)) == -1)
		return -1;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	if (*s == 'T' && xml_time(s + 1, &s, &frac) == -1)
		return -1;
	/* A zone (Z, +07:00) says where the clock was; the date stays. */
	if (*s != '\0' && *s != 'Z' && *s != '+' && *s != '-')
		return -1;
	*serial = grid_date_serial(y, m, d) + frac;
	return 0;
}
