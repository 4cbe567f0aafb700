/*
 * zipfile.c — ZIP archives held in memory, read through libzip under the
 * limits: members counted when the archive opens, bytes counted as they
 * inflate.  The sizes an archive declares only ever make it refuse sooner;
 * they never let anything through.  Nothing here touches the filesystem, so
 * member names such as "../x" or "/etc/passwd" are only strings.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "zipfile.h"

/* Inflated this much at a time: memory stays flat whatever a member holds. */
#define ZIPFILE_CHUNK	(64 * 1024)

/* The smallest ZIP is its end-of-central-directory record alone. */
#define ZIPFILE_MINLEN	22

/* zipfile_member_read() starts its buffer no larger than this. */
#define ZIPFILE_READ_START	(1024 * 1024)

struct zipfile {
	zip_t		*za;
	size_t		 count;
	uint64_t	 inflated;	/* so far, all members */
	struct limits	 limits;
	char		*chunk;		/* ZIPFILE_CHUNK bytes */
};

static void
open_error(zip_error_t *ze, char *err, size_t errlen)
{
	switch (zip_error_code_zip(ze)) {
	case ZIP_ER_NOZIP:
	case ZIP_ER_INCONS:
	case ZIP_ER_EOF:
	case ZIP_ER_READ:
	case ZIP_ER_SEEK:
		snprintf(err, errlen, "not a ZIP archive "
		    "(truncated or corrupt)");
		break;
	case ZIP_ER_MULTIDISK:
		snprintf(err, errlen, "ZIP archive split over several disks, "
		    "not supported");
		break;
	case ZIP_ER_MEMORY:
		snprintf(err, errlen, "out of memory opening the ZIP archive");
		break;
	default:
		snprintf(err, errlen, "cannot open the ZIP archive: %s",
		    zip_error_strerror(ze));
		break;
	}
}

struct zipfile *
zipfile_open(const unsigned char *buf, size_t len, const struct limits *l,
    char *err, size_t errlen)
{
	struct zipfile *z;
	zip_source_t *src;
	zip_error_t ze;
	zip_int64_t n;

	/* libzip takes an empty buffer for a new, empty archive. */
	if (len == 0) {
		snprintf(err, errlen, "empty file, not a ZIP archive");
		return NULL;
	}
	if (len < ZIPFILE_MINLEN) {
		snprintf(err, errlen, "not a ZIP archive "
		    "(truncated or corrupt)");
		return NULL;
	}
	if ((z = calloc(1, sizeof(*z))) == NULL ||
	    (z->chunk = malloc(ZIPFILE_CHUNK)) == NULL) {
		free(z);
		snprintf(err, errlen, "out of memory opening the ZIP archive");
		return NULL;
	}
	z->limits = *l;
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(buf, len, 0, &ze)) == NULL ||
	    (z->za = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL) {
		open_error(&ze, err, errlen);
		zip_source_free(src);
		zip_error_fini(&ze);
		zipfile_close(z);
		return NULL;
	}
	zip_error_fini(&ze);
	n = zip_get_num_entries(z->za, 0);
	if (n < 0 || (uint64_t)n > l->zip_entries) {
		snprintf(err, errlen, "ZIP archive has %" PRId64 " members, "
		    "over the limit of %zu", (int64_t)n, l->zip_entries);
		zipfile_close(z);
		return NULL;
	}
	z->count = (size_t)n;
	return z;
}

void
zipfile_close(struct zipfile *z)
{
	if (z == NULL)
		return;
	/* Read-only: discard never writes, and frees the source too. */
	if (z->za != NULL)
		zip_discard(z->za);
	free(z->chunk);
	free(z);
}

size_t
zipfile_count(const struct zipfile *z)
{
	return z->count;
}

const char *
zipfile_name(const struct zipfile *z, size_t index)
{
	if (index >= z->count)
		return NULL;
	/* Names not flagged UTF-8 are guessed (UTF-8, else CP437) by libzip. */
	return zip_get_name(z->za, index, ZIP_FL_ENC_GUESS);
}

int
zipfile_has(const struct zipfile *z, const char *name)
{
	return zip_name_locate(z->za, name, ZIP_FL_ENC_GUESS) >= 0;
}

/* Finds a member and what it declares; -1 with err filled. */
static int
member_stat(struct zipfile *z, const char *name, zip_stat_t *st,
    char *err, size_t errlen)
{
	zip_int64_t idx;
	uint64_t left;

	if ((idx = zip_name_locate(z->za, name, ZIP_FL_ENC_GUESS)) < 0) {
		snprintf(err, errlen, "ZIP archive has no member '%s'", name);
		return -1;
	}
	zip_stat_init(st);
	if (zip_stat_index(z->za, (zip_uint64_t)idx, 0, st) == -1 ||
	    (st->valid & (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE)) !=
	    (ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE)) {
		snprintf(err, errlen, "ZIP member '%s' is corrupt", name);
		return -1;
	}
	/* A declared size can only make us refuse sooner, never read more. */
	left = z->limits.zip_inflated - z->inflated;
	if (st->size > z->limits.zip_inflated) {
		snprintf(err, errlen, "ZIP member '%s' declares %" PRIu64
		    " bytes, over the limit of %" PRIu64 " inflated bytes "
		    "(a ZIP bomb?)", name, (uint64_t)st->size,
		    z->limits.zip_inflated);
		return -1;
	}
	if (st->size > left) {
		snprintf(err, errlen, "ZIP member '%s' would take the archive "
		    "past %" PRIu64 " inflated bytes (a ZIP bomb?)", name,
		    z->limits.zip_inflated);
		return -1;
	}
	return 0;
}

static void
member_open_error(zip_t *za, const char *name, char *err, size_t errlen)
{
	zip_error_t *ze = zip_get_error(za);

	switch (zip_error_code_zip(ze)) {
	case ZIP_ER_NOPASSWD:
	case ZIP_ER_WRONGPASSWD:
	case ZIP_ER_ENCRNOTSUPP:
		snprintf(err, errlen, "ZIP member '%s' is encrypted", name);
		break;
	case ZIP_ER_COMPNOTSUPP:
		snprintf(err, errlen, "ZIP member '%s' uses a compression "
		    "method that is not supported", name);
		break;
	default:
		snprintf(err, errlen, "ZIP member '%s' cannot be read: %s",
		    name, zip_error_strerror(ze));
		break;
	}
}

/* Checks what a member has inflated so far; -1 with err filled past a limit. */
static int
member_count(struct zipfile *z, const char *name, const zip_stat_t *st,
    uint64_t done, char *err, size_t errlen)
{
	const uint64_t ratio = z->limits.zip_ratio;

	if (done > st->size) {
		snprintf(err, errlen, "ZIP member '%s' inflates past its "
		    "declared size (corrupt, or a ZIP bomb?)", name);
		return -1;
	}
	if (z->inflated > z->limits.zip_inflated) {
		snprintf(err, errlen, "ZIP archive inflates past %" PRIu64
		    " bytes (a ZIP bomb?)", z->limits.zip_inflated);
		return -1;
	}
	/* Small members compress well and honestly; judge the big ones. */
	if (done > LIMIT_ZIP_RATIO_FLOOR &&
	    st->comp_size <= UINT64_MAX / ratio &&
	    done > st->comp_size * ratio) {
		snprintf(err, errlen, "ZIP member '%s' inflates past %u:1 "
		    "(a ZIP bomb?)", name, z->limits.zip_ratio);
		return -1;
	}
	return 0;
}

static int
member_pump(struct zipfile *z, const char *name, const zip_stat_t *st,
    zip_file_t *zf, zipfile_chunk_cb cb, void *arg, char *err, size_t errlen)
{
	uint64_t done = 0;
	zip_int64_t n;

	for (;;) {
		if ((n = zip_fread(zf, z->chunk, ZIPFILE_CHUNK)) < 0) {
			snprintf(err, errlen, "ZIP member '%s' is corrupt (%s)",
			    name, zip_error_strerror(zip_file_get_error(zf)));
			return -1;
		}
		if (n == 0)
			return 0;
		done += (uint64_t)n;
		z->inflated += (uint64_t)n;
		if (member_count(z, name, st, done, err, errlen) == -1)
			return -1;
		if (cb(arg, z->chunk, (size_t)n, err, errlen) == -1)
			return -1;
	}
}

/* Streams a member member_stat() has found. */
static int
member_stream(struct zipfile *z, const char *name, const zip_stat_t *st,
    zipfile_chunk_cb cb, void *arg, char *err, size_t errlen)
{
	zip_file_t *zf;
	int rc;

	if ((zf = zip_fopen_index(z->za, st->index, 0)) == NULL) {
		member_open_error(z->za, name, err, errlen);
		return -1;
	}
	rc = member_pump(z, name, st, zf, cb, arg, err, errlen);
	zip_fclose(zf);
	return rc;
}

int
zipfile_member_stream(struct zipfile *z, const char *name,
    zipfile_chunk_cb cb, void *arg, char *err, size_t errlen)
{
	zip_stat_t st;

	if (member_stat(z, name, &st, err, errlen) == -1)
		return -1;
	return member_stream(z, name, &st, cb, arg, err, errlen);
}

/* A growing buffer for zipfile_member_read(). */
struct membuf {
	unsigned char	*buf;
	size_t		 len;
	size_t		 cap;	/* more than len: room for the NUL */
};

static int
membuf_add(void *arg, const char *buf, size_t len, char *err, size_t errlen)
{
	struct membuf *m = arg;
	unsigned char *p;
	size_t ncap;

	if (m->len + len >= m->cap) {
		for (ncap = m->cap; m->len + len >= ncap; ncap *= 2)
			;
		if ((p = realloc(m->buf, ncap)) == NULL) {
			snprintf(err, errlen, "out of memory inflating a "
			    "ZIP member");
			return -1;
		}
		m->buf = p;
		m->cap = ncap;
	}
	memcpy(m->buf + m->len, buf, len);
	m->len += len;
	return 0;
}

int
zipfile_member_read(struct zipfile *z, const char *name,
    unsigned char **out, size_t *outlen, char *err, size_t errlen)
{
	struct membuf m = { NULL, 0, 0 };
	zip_stat_t st;

	if (member_stat(z, name, &st, err, errlen) == -1)
		return -1;
	/* Trust the declared size for the first allocation, within reason. */
	m.cap = st.size < ZIPFILE_READ_START ? (size_t)st.size + 1 :
	    ZIPFILE_READ_START;
	if ((m.buf = malloc(m.cap)) == NULL) {
		snprintf(err, errlen, "out of memory inflating a ZIP member");
		return -1;
	}
	if (member_stream(z, name, &st, membuf_add, &m, err, errlen) == -1) {
		free(m.buf);
		return -1;
	}
	m.buf[m.len] = '\0';
	*out = m.buf;
	*outlen = m.len;
	return 0;
}
