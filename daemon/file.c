/*
 * file.c — bounded reads and atomic writes.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "file.h"

int
file_read(const char *path, size_t max, unsigned char **out, size_t *outlen,
    char *err, size_t errlen)
{
	struct stat st;
	unsigned char *buf;
	size_t off = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if ((uint64_t)st.st_size > max) {
		snprintf(err, errlen, "%s: %lld bytes, over the limit of %zu",
		    path, (long long)st.st_size, max);
		close(fd);
		return -1;
	}
	buf = g_malloc((size_t)st.st_size + 1);
	while (off < (size_t)st.st_size &&
	    (n = read(fd, buf + off, (size_t)st.st_size - off)) != 0) {
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			g_free(buf);
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	close(fd);
	buf[off] = '\0';
	*out = buf;
	*outlen = off;
	return 0;
}

static int
write_full(int fd, const unsigned char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
file_write_mode(const char *path, const void *data, size_t len, int sync,
    mode_t mode, char *err, size_t errlen)
{
	char *tmp;
	int fd, saved;

	tmp = g_strdup_printf("%s.tmp.XXXXXX", path);
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		g_free(tmp);
		return -1;
	}
	if (write_full(fd, data, len) == -1 || (sync && fsync(fd) == -1) ||
	    fchmod(fd, mode) == -1) {
		saved = errno;
		close(fd);
		goto fail;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1) {
		saved = errno;
		goto fail;
	}
	g_free(tmp);
	return 0;
fail:
	snprintf(err, errlen, "%s: %s", path, strerror(saved));
	unlink(tmp);
	g_free(tmp);
	return -1;
}

int
file_write_atomic(const char *path, const void *data, size_t len, int sync,
    char *err, size_t errlen)
{
	return file_write_mode(path, data, len, sync, 0640, err, errlen);
}

int
file_write_secret(const char *path, const void *data, size_t len, char *err,
    size_t errlen)
{
	return file_write_mode(path, data, len, 1, 0600, err, errlen);
}

char *
file_temp_create(const char *path, char *err, size_t errlen)
{
	char *tmp = g_strdup_printf("%s.tmp.XXXXXX", path);
	int fd;

	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "cannot write %s: %s", path,
		    strerror(errno));
		g_free(tmp);
		return NULL;
	}
	close(fd);
	return tmp;
}

int
file_temp_commit(const char *tmp, const char *path, char *err, size_t errlen)
{
	int fd, saved;

	if ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) == -1)
		goto fail;
	if (fsync(fd) == -1 || fchmod(fd, 0640) == -1) {
		saved = errno;
		close(fd);
		errno = saved;
		goto fail;
	}
	if (close(fd) == -1 || rename(tmp, path) == -1)
		goto fail;
	return 0;
fail:
	snprintf(err, errlen, "cannot write %s: %s", path, strerror(errno));
	unlink(tmp);
	return -1;
}

int
file_mkdirs(const char *path, int mode)
{
	return g_mkdir_with_parents(path, mode);
}

char *
file_resolve(const char *base_dir, const char *path)
{
	if (path[0] == '/' || base_dir == NULL)
		return g_strdup(path);
	return g_build_filename(base_dir, path, NULL);
}
