/*
 * charset.c — deciding a text file's encoding by its bytes and decoding it
 * to UTF-8: UTF-8, UTF-16 with a byte order mark, Windows-1258 (composed to
 * NFC) and Windows-1252.
 *
 * The single-byte tables are here rather than in iconv so decoding needs no
 * gconv modules loaded from disk inside the parser's sandbox.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "charset.h"

/* Windows-1252 and Windows-1258 from 0x80 to 0xFF; 0 where undefined. */
static const uint16_t cp1252_high[128] = {
	0x20ac, 0x0000, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,	/* 80 */
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x0000, 0x017d, 0x0000,	/* 88 */
	0x0000, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,	/* 90 */
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x0000, 0x017e, 0x0178,	/* 98 */
	0x00a0, 0x00a1, 0x00a2, 0x00a3, 0x00a4, 0x00a5, 0x00a6, 0x00a7,	/* A0 */
	0x00a8, 0x00a9, 0x00aa, 0x00ab, 0x00ac, 0x00ad, 0x00ae, 0x00af,	/* A8 */
	0x00b0, 0x00b1, 0x00b2, 0x00b3, 0x00b4, 0x00b5, 0x00b6, 0x00b7,	/* B0 */
	0x00b8, 0x00b9, 0x00ba, 0x00bb, 0x00bc, 0x00bd, 0x00be, 0x00bf,	/* B8 */
	0x00c0, 0x00c1, 0x00c2, 0x00c3, 0x00c4, 0x00c5, 0x00c6, 0x00c7,	/* C0 */
	0x00c8, 0x00c9, 0x00ca, 0x00cb, 0x00cc, 0x00cd, 0x00ce, 0x00cf,	/* C8 */
	0x00d0, 0x00d1, 0x00d2, 0x00d3, 0x00d4, 0x00d5, 0x00d6, 0x00d7,	/* D0 */
	0x00d8, 0x00d9, 0x00da, 0x00db, 0x00dc, 0x00dd, 0x00de, 0x00df,	/* D8 */
	0x00e0, 0x00e1, 0x00e2, 0x00e3, 0x00e4, 0x00e5, 0x00e6, 0x00e7,	/* E0 */
	0x00e8, 0x00e9, 0x00ea, 0x00eb, 0x00ec, 0x00ed, 0x00ee, 0x00ef,	/* E8 */
	0x00f0, 0x00f1, 0x00f2, 0x00f3, 0x00f4, 0x00f5, 0x00f6, 0x00f7,	/* F0 */
	0x00f8, 0x00f9, 0x00fa, 0x00fb, 0x00fc, 0x00fd, 0x00fe, 0x00ff,	/* F8 */
};

static const uint16_t cp1258_high[128] = {
	0x20ac, 0x0000, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,	/* 80 */
	0x02c6, 0x2030, 0x0000, 0x2039, 0x0152, 0x0000, 0x0000, 0x0000,	/* 88 */
	0x0000, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,	/* 90 */
	0x02dc, 0x2122, 0x0000, 0x203a, 0x0153, 0x0000, 0x0000, 0x0178,	/* 98 */
	0x00a0, 0x00a1, 0x00a2, 0x00a3, 0x00a4, 0x00a5, 0x00a6, 0x00a7,	/* A0 */
	0x00a8, 0x00a9, 0x00aa, 0x00ab, 0x00ac, 0x00ad, 0x00ae, 0x00af,	/* A8 */
	0x00b0, 0x00b1, 0x00b2, 0x00b3, 0x00b4, 0x00b5, 0x00b6, 0x00b7,	/* B0 */
	0x00b8, 0x00b9, 0x00ba, 0x00bb, 0x00bc, 0x00bd, 0x00be, 0x00bf,	/* B8 */
	0x00c0, 0x00c1, 0x00c2, 0x0102, 0x00c4, 0x00c5, 0x00c6, 0x00c7,	/* C0 */
	0x00c8, 0x00c9, 0x00ca, 0x00cb, 0x0300, 0x00cd, 0x00ce, 0x00cf,	/* C8 */
	0x0110, 0x00d1, 0x0309, 0x00d3, 0x00d4, 0x01a0, 0x00d6, 0x00d7,	/* D0 */
	0x00d8, 0x00d9, 0x00da, 0x00db, 0x00dc, 0x01af, 0x0303, 0x00df,	/* D8 */
	0x00e0, 0x00e1, 0x00e2, 0x0103, 0x00e4, 0x00e5, 0x00e6, 0x00e7,	/* E0 */
	0x00e8, 0x00e9, 0x00ea, 0x00eb, 0x0301, 0x00ed, 0x00ee, 0x00ef,	/* E8 */
	0x0111, 0x00f1, 0x0323, 0x00f3, 0x00f4, 0x01a1, 0x00f6, 0x00f7,	/* F0 */
	0x00f8, 0x00f9, 0x00fa, 0x00fb, 0x00fc, 0x01b0, 0x20ab, 0x00ff,	/* F8 */
};

/* Bytes that read as a vowel in Windows-1258: where a tone mark belongs. */
static const char cp1258_vowels[] = "aeiouyAEIOUY"
    "\xc0\xc1\xc2\xc3\xc8\xc9\xca\xcd\xd3\xd4\xd5\xd9\xda\xdd"
    "\xe0\xe1\xe2\xe3\xe8\xe9\xea\xed\xf3\xf4\xf5\xf9\xfa\xfd";

#define ASCII_MASK	0x8080808080808080ULL

static uint64_t
load64(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/*
 * Offset of the first byte that does not start a well-formed UTF-8
 * sequence, or len when there is none.
 */
static size_t
utf8_bad_offset(const unsigned char *s, size_t len)
{
	size_t i = 0, k, n;
	uint32_t cp, min;

	while (i < len) {
		/* Most of a reply is ASCII: skip it a word at a time. */
		while (len - i >= 8 && (load64(s + i) & ASCII_MASK) == 0)
			i += 8;
		if (i == len)
			break;
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			n = 1;
			cp = s[i] & 0x1f;
			min = 0x80;
		} else if ((s[i] & 0xf0) == 0xe0) {
			n = 2;
			cp = s[i] & 0x0f;
			min = 0x800;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			n = 3;
			cp = s[i] & 0x07;
			min = 0x10000;
		} else
			return i;
		if (len - i <= n)
			return i;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		/* Overlong forms hide '/' or '"' from byte-level checks. */
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

int
charset_utf8_valid(const char *s, size_t len)
{
	return utf8_bad_offset((const unsigned char *)s, len) == len;
}

size_t
charset_utf8_put(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

static int
is_tone_mark(uint32_t cp)
{
	return cp == 0x0300 || cp == 0x0301 || cp == 0x0303 || cp == 0x0309 ||
	    cp == 0x0323;
}

/*
 * Windows-1258 or Windows-1252, by the bytes; CHARSET_UNKNOWN with *bad
 * set when a byte is defined in neither.  Both agree on most letters; they
 * differ where 1258 has Ă Đ Ơ Ư ₫ and the five combining tone marks.  A
 * tone mark sits on a vowel in Vietnamese, while the 1252 letters on those
 * bytes (Ì Ò Þ ì ò) follow consonants as often as not, so tone marks after
 * vowels and Đ/đ (Icelandic Ð/ð in 1252) vote for 1258, the same bytes
 * after consonants for 1252.  A byte 1258 lacks (Š Ž š ž) settles it.
 */
static enum charset
sniff_single_byte(const unsigned char *p, size_t len, size_t *bad)
{
	size_t i, viet = 0, western = 0;
	uint32_t cp;
	int only1252 = 0;

	for (i = 0; i < len; i++) {
		if (p[i] < 0x80)
			continue;
		if (cp1252_high[p[i] - 0x80] == 0) {
			*bad = i;
			return CHARSET_UNKNOWN;
		}
		cp = cp1258_high[p[i] - 0x80];
		if (cp == 0)
			only1252 = 1;
		else if (cp == 0x0110 || cp == 0x0111)
			viet++;
		else if (is_tone_mark(cp)) {
			if (i > 0 && memchr(cp1258_vowels, p[i - 1],
			    sizeof(cp1258_vowels) - 1) != NULL)
				viet++;
			else
				western++;
		}
	}
	if (only1252)
		return CHARSET_CP1252;
	return viet > western ? CHARSET_CP1258 : CHARSET_CP1252;
}

/* As charset_detect(); *bad is where an unknown encoding shows itself. */
static enum charset
sniff(const unsigned char *p, size_t len, size_t *bad)
{
	const unsigned char *nul;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		return CHARSET_UTF8_BOM;
	if (len >= 2 && p[0] == 0xff && p[1] == 0xfe)
		return CHARSET_UTF16LE;
	if (len >= 2 && p[0] == 0xfe && p[1] == 0xff)
		return CHARSET_UTF16BE;
	if ((nul = memchr(p, '\0', len)) != NULL) {
		*bad = (size_t)(nul - p);
		return CHARSET_UNKNOWN;
	}
	if (utf8_bad_offset(p, len) == len)
		return CHARSET_UTF8;
	return sniff_single_byte(p, len, bad);
}

enum charset
charset_detect(const unsigned char *p, size_t len)
{
	size_t bad;

	return sniff(p, len, &bad);
}

const char *
charset_name(enum charset cs)
{
	switch (cs) {
	case CHARSET_UTF8:
		return "UTF-8";
	case CHARSET_UTF8_BOM:
		return "UTF-8 with BOM";
	case CHARSET_UTF16LE:
		return "UTF-16LE";
	case CHARSET_UTF16BE:
		return "UTF-16BE";
	case CHARSET_CP1258:
		return "Windows-1258";
	case CHARSET_CP1252:
		return "Windows-1252";
	default:
		return "unknown";
	}
}

static char *
copy_text(const unsigned char *p, size_t len, size_t *outlen, char *err,
    size_t errlen)
{
	char *out;

	if ((out = malloc(len + 1)) == NULL) {
		snprintf(err, errlen, "out of memory decoding text");
		return NULL;
	}
	memcpy(out, p, len);
	out[len] = '\0';
	*outlen = len;
	return out;
}

/*
 * UTF-8 after a byte order mark: the mark alone chose UTF-8, so the rest
 * must live up to it.  (Without a mark, sniffing already checked.)
 */
static char *
decode_utf8_bom(const unsigned char *p, size_t len, size_t *outlen,
    char *err, size_t errlen)
{
	const unsigned char *nul;
	size_t bad;

	if ((bad = utf8_bad_offset(p + 3, len - 3)) != len - 3) {
		snprintf(err, errlen, "invalid UTF-8 at offset %zu of a file "
		    "marked as UTF-8", bad + 3);
		return NULL;
	}
	if ((nul = memchr(p + 3, '\0', len - 3)) != NULL) {
		snprintf(err, errlen, "NUL byte at offset %zu: not a text file",
		    (size_t)(nul - p));
		return NULL;
	}
	return copy_text(p + 3, len - 3, outlen, err, errlen);
}

static uint32_t
utf16_unit(const unsigned char *p, int bigendian)
{
	return bigendian ? (uint32_t)p[0] << 8 | p[1] :
	    (uint32_t)p[1] << 8 | p[0];
}

/* UTF-16 after its byte order mark; offsets in errors count the mark. */
static char *
decode_utf16(const unsigned char *p, size_t len, int bigendian,
    size_t *outlen, char *err, size_t errlen)
{
	size_t i, o = 0;
	uint32_t cp, lo;
	char *out;

	if (len % 2 != 0) {
		snprintf(err, errlen, "UTF-16 text with an odd number of bytes "
		    "(%zu): the file is cut short", len + 2);
		return NULL;
	}
	/* A unit gives at most 3 bytes of UTF-8; a pair (4 bytes) gives 4. */
	if ((out = malloc(len / 2 * 3 + 1)) == NULL) {
		snprintf(err, errlen, "out of memory decoding text");
		return NULL;
	}
	for (i = 0; i < len; i += 2) {
		cp = utf16_unit(p + i, bigendian);
		if (cp >= 0xd800 && cp <= 0xdbff && i + 3 < len &&
		    (lo = utf16_unit(p + i + 2, bigendian)) >= 0xdc00 &&
		    lo <= 0xdfff) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			i += 2;
		} else if (cp >= 0xd800 && cp <= 0xdfff) {
			snprintf(err, errlen, "broken UTF-16 surrogate pair at "
			    "offset %zu", i + 2);
			free(out);
			return NULL;
		}
		if (cp == 0) {
			snprintf(err, errlen, "NUL character at offset %zu: not "
			    "a text file", i + 2);
			free(out);
			return NULL;
		}
		o += charset_utf8_put(out + o, cp);
	}
	out[o] = '\0';
	*outlen = o;
	return out;
}

/* Composes base letters and tone marks: "a" U+0300 becomes "à". */
static char *
compose_nfc(char *s, size_t *len, char *err, size_t errlen)
{
	gchar *nfc;
	char *out;
	size_t n;

	nfc = g_utf8_normalize(s, (gssize)*len, G_NORMALIZE_NFC);
	free(s);
	if (nfc == NULL) {
		snprintf(err, errlen, "out of memory composing text");
		return NULL;
	}
	/* Callers free() what we return; GLib's buffer goes back to GLib. */
	n = strlen(nfc);
	if ((out = malloc(n + 1)) != NULL) {
		memcpy(out, nfc, n + 1);
		*len = n;
	} else
		snprintf(err, errlen, "out of memory composing text");
	g_free(nfc);
	return out;
}

/* Windows-1258 or -1252, already known to hold no undefined byte or NUL. */
static char *
decode_single_byte(const unsigned char *p, size_t len, enum charset cs,
    size_t *outlen, char *err, size_t errlen)
{
	const uint16_t *high = cs == CHARSET_CP1258 ? cp1258_high : cp1252_high;
	size_t i, o = 0;
	uint32_t cp;
	int marks = 0;
	char *out;

	/* Every byte gives at most 3 bytes of UTF-8 (€ is 3). */
	if (len > (SIZE_MAX - 1) / 3 || (out = malloc(len * 3 + 1)) == NULL) {
		snprintf(err, errlen, "out of memory decoding text");
		return NULL;
	}
	for (i = 0; i < len; i++) {
		cp = p[i] < 0x80 ? p[i] : high[p[i] - 0x80];
		marks |= is_tone_mark(cp);
		o += charset_utf8_put(out + o, cp);
	}
	out[o] = '\0';
	*outlen = o;
	return marks ? compose_nfc(out, outlen, err, errlen) : out;
}

static void
unknown_error(const unsigned char *p, size_t bad, char *err, size_t errlen)
{
	if (p[bad] == '\0')
		snprintf(err, errlen, "unknown encoding: NUL byte at offset %zu "
		    "(not a text file, or UTF-16 without a byte order mark)",
		    bad);
	else
		snprintf(err, errlen, "unknown encoding: byte 0x%02X at offset "
		    "%zu is not UTF-8, Windows-1258 or Windows-1252", p[bad],
		    bad);
}

char *
charset_decode(const unsigned char *p, size_t len, enum charset *csp,
    size_t *outlenp, char *err, size_t errlen)
{
	enum charset cs;
	size_t bad = 0, outlen = 0;
	char *out = NULL;

	switch ((cs = sniff(p, len, &bad))) {
	case CHARSET_UNKNOWN:
		unknown_error(p, bad, err, errlen);
		break;
	case CHARSET_UTF8:
		out = copy_text(p, len, &outlen, err, errlen);
		break;
	case CHARSET_UTF8_BOM:
		out = decode_utf8_bom(p, len, &outlen, err, errlen);
		break;
	case CHARSET_UTF16LE:
	case CHARSET_UTF16BE:
		out = decode_utf16(p + 2, len - 2, cs == CHARSET_UTF16BE,
		    &outlen, err, errlen);
		break;
	case CHARSET_CP1258:
	case CHARSET_CP1252:
		out = decode_single_byte(p, len, cs, &outlen, err, errlen);
		break;
	}
	if (csp != NULL)
		*csp = cs;
	if (outlenp != NULL)
		*outlenp = outlen;
	return out;
}
