/*
 * charset.h — turning the bytes of a text file into UTF-8.
 *
 * Replies saved as CSV or "Unicode text" come in whatever encoding the
 * sender's Excel used: UTF-8 (with or without a byte order mark), UTF-16
 * with a byte order mark, or, from Excel set to Vietnamese, Windows-1258
 * with its combining tone marks; Windows-1252 from anything Western.  This
 * module decides which by the bytes and decodes to NUL-terminated UTF-8,
 * and says "unknown encoding" rather than guess when the bytes fit none.
 */
#ifndef SURVEYD_CHARSET_H
#define SURVEYD_CHARSET_H

#include <stddef.h>
#include <stdint.h>

enum charset {
	CHARSET_UNKNOWN = 0,	/* NUL bytes, or bytes no candidate defines */
	CHARSET_UTF8,		/* valid UTF-8 (plain ASCII too), no BOM */
	CHARSET_UTF8_BOM,	/* starts with EF BB BF */
	CHARSET_UTF16LE,	/* starts with FF FE */
	CHARSET_UTF16BE,	/* starts with FE FF */
	CHARSET_CP1258,		/* Windows-1258, Vietnamese */
	CHARSET_CP1252,		/* Windows-1252, Western */
};

/*
 * 1 when the bytes are well-formed UTF-8 (RFC 3629): no overlong forms, no
 * surrogates, nothing above U+10FFFF.
 */
int		 charset_utf8_valid(const char *, size_t);

/* The encoding charset_decode() would choose for these bytes. */
enum charset	 charset_detect(const unsigned char *, size_t);

/*
 * Decodes a whole file to UTF-8 without its byte order mark.  Text decoded
 * from Windows-1258 is NFC-composed, so "a" + U+0300 comes out as "à";
 * UTF-8 and UTF-16 text is passed on as the sender wrote it.  Returns a
 * NUL-terminated string the caller frees with free(), its length in
 * *outlen and the encoding in *cs (either may be NULL); NULL with err
 * filled when the encoding is unknown or the text is malformed.  U+0000 is
 * refused in every encoding, so the result is one C string.
 */
char		*charset_decode(const unsigned char *, size_t, enum charset *cs,
		    size_t *outlen, char *err, size_t errlen);

/* "UTF-8", "UTF-16LE", "Windows-1258", ...: for logs and tests. */
const char	*charset_name(enum charset);

/* Writes a code point as UTF-8 (at most 4 bytes); returns the bytes written. */
size_t		 charset_utf8_put(char *out, uint32_t cp);

#endif
