/*
 * xmlstream.h — expat, fed in chunks, under limits, for the XLSX and ODS
 * readers.
 *
 * The readers see XML only through this.  It refuses any DOCTYPE (so no
 * entity is ever declared, let alone expanded), stops at the depth limit,
 * and turns expat's errors into one line naming the ZIP member and the
 * line.  Element and attribute names arrive as a namespace id (from the
 * table the reader gives) and a local name, so a writer's choice of
 * prefixes ("x:c" or "c") does not matter.  Also here: text collected under
 * a size cap, and the XML Schema number and date forms both formats use.
 */
#ifndef SURVEYD_XMLSTREAM_H
#define SURVEYD_XMLSTREAM_H

#include <stddef.h>

#include "limit.h"
#include "zipfile.h"

#define XMLNS_NONE	(-1)	/* an unprefixed attribute */
#define XMLNS_OTHER	(-2)	/* not in the reader's table */

/* One known namespace; several URIs may share an id (OOXML strict). */
struct xmlns {
	const char	*uri;
	int		 id;
};

struct xmlstream_handlers {
	void	(*start)(void *arg, int ns, const char *name,
		    const char **attrs);
	void	(*end)(void *arg, int ns, const char *name);
	void	(*text)(void *arg, const char *s, size_t len);
};

struct xmlstream;

/* The namespace table must outlive the stream; NULL when out of memory. */
struct xmlstream	*xmlstream_new(const struct limits *,
			    const struct xmlns *, size_t nns);
void			 xmlstream_free(struct xmlstream *);

/*
 * One document: begin (what names it in errors, e.g. the member's name,
 * and must outlive the parse), feed chunks, finish.  feed fits
 * zipfile_chunk_cb, with the stream as its argument; after a handler
 * stopped the parse it returns -1 with an empty err, to end the stream,
 * and finish then returns 0.
 */
void	xmlstream_begin(struct xmlstream *, const char *what,
	    const struct xmlstream_handlers *, void *arg);
int	xmlstream_feed(void *xs, const char *buf, size_t len, char *err,
	    size_t errlen);
int	xmlstream_finish(struct xmlstream *, char *err, size_t errlen);

/* begin, the ZIP member's bytes, finish.  0, or -1 with err filled. */
int	xmlstream_parse_member(struct xmlstream *, struct zipfile *,
	    const char *member, const struct xmlstream_handlers *, void *arg,
	    char *err, size_t errlen);

/*
 * Called from a handler: stops the parse, which then fails with this
 * message.  No handler is called after it.
 */
void	xmlstream_fail(struct xmlstream *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/*
 * Called from a handler that has read all it needs: the rest of the
 * document is neither inflated nor parsed, and the parse succeeds.
 */
void	xmlstream_stop(struct xmlstream *);

/* The value of attribute ns:name in a start handler's attrs, or NULL. */
const char	*xmlstream_attr(const struct xmlstream *, const char **attrs,
		    int ns, const char *name);

/*
 * Character data collected into one string.  It keeps at most max + 1
 * bytes: the caller sees the text was longer than max, and the buffer never
 * grows past that whatever the document holds.
 */
struct xmltext {
	char	*buf;		/* NUL-terminated; NULL until used */
	size_t	 len;
	size_t	 cap;
	size_t	 max;
};

void	xmltext_init(struct xmltext *, size_t max);
/* Add text, or count copies of c; -1 when out of memory. */
int	xmltext_add(struct xmltext *, const char *, size_t);
int	xmltext_addc(struct xmltext *, char c, size_t count);
void	xmltext_reset(struct xmltext *);
void	xmltext_free(struct xmltext *);
/* The text as a new string (of len bytes); NULL when out of memory. */
char	*xmltext_dup(const struct xmltext *);

/* xsd:double, whole string, C locale: 0 and *out, or -1. */
int	xml_number(const char *, double *out);
/*
 * xsd:date or xsd:dateTime ("2024-03-15", "2024-03-15T10:30:00.5",
 * a zone is ignored) as a 1900-system serial with the time as a fraction.
 */
int	xml_datetime(const char *, double *serial);

#endif
