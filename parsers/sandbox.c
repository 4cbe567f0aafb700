/*
 * sandbox.c — the parser child: started on first use, fed files over a
 * socket pair, replaced when it dies or has used half its CPU allowance.
 *
 * The request is a 64-bit length and the file; the reply a status byte, a
 * 64-bit length and either an encoded grid (wire.c) or an error line.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sandbox.h"

#define REPLY_GRID	0
#define REPLY_ERROR	1
#define REPLY_RETIRE	0x80	/* the child exits after this reply */

/*
 * Wall-clock allowance per file, as a multiple of the CPU limit: a child
 * stuck without using CPU (it cannot block on anything, but still) is
 * killed rather than waited on forever.
 */
#define SANDBOX_WALL_FACTOR	3

#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_NO_RLIMIT_AS	1	/* ASan reserves terabytes of shadow */
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANDBOX_NO_RLIMIT_AS	1
#endif
#endif

struct sandbox {
	struct limits	 limits;
	pid_t		 pid;
	int		 fd;
};

static int
io_full(int fd, void *buf, size_t len, int writing)
{
	unsigned char *p = buf;
	ssize_t n;

	while (len > 0) {
		if (writing)
			n = send(fd, p, len, MSG_NOSIGNAL);
		else
			n = recv(fd, p, len, 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int
child_reply(int fd, unsigned char status, const void *data, size_t len)
{
	uint64_t n = len;

	if (io_full(fd, &status, 1, 1) == -1 ||
	    io_full(fd, &n, sizeof(n), 1) == -1)
		return -1;
	return io_full(fd, (void *)data, len, 1);
}

static int
child_cpu_spent(const struct limits *l)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return 1;
	return (unsigned long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 2 >=
	    l->parser_cpu;
}

static void
child_limits_set(const struct limits *l)
{
	struct rlimit rl;

	rl.rlim_cur = l->parser_cpu;
	rl.rlim_max = l->parser_cpu + 1;
	setrlimit(RLIMIT_CPU, &rl);
#ifndef SANDBOX_NO_RLIMIT_AS
	rl.rlim_cur = rl.rlim_max = l->parser_memory;
	setrlimit(RLIMIT_AS, &rl);
#endif
	rl.rlim_cur = rl.rlim_max = 0;
	setrlimit(RLIMIT_CORE, &rl);
}

/* One request: read the file, parse, answer.  -1 ends the child. */
static int
child_serve_one(int fd, const struct limits *l)
{
	uint64_t len;
	unsigned char *buf, *out = NULL, status;
	struct grid *g;
	char err[GRID_ERRLEN];
	size_t outlen;
	int rc;

	if (io_full(fd, &len, sizeof(len), 0) == -1 || len > SIZE_MAX - 1)
		return -1;
	if ((buf = malloc(len ? len : 1)) == NULL ||
	    io_full(fd, buf, len, 0) == -1) {
		free(buf);
		return -1;
	}
	g = grid_read(buf, len, l, err, sizeof(err));
	free(buf);
	status = child_cpu_spent(l) ? REPLY_RETIRE : 0;
	if (g != NULL && grid_encode(g, &out, &outlen) == 0)
		rc = child_reply(fd, status | REPLY_GRID, out, outlen);
	else {
		if (g != NULL)
			snprintf(err, sizeof(err), "out of memory");
		rc = child_reply(fd, status | REPLY_ERROR, err, strlen(err));
	}
	grid_free(g);
	free(out);
	return (rc == -1 || status & REPLY_RETIRE) ? -1 : 0;
}

static void
child_main(int fd, const struct limits *l)
{
	child_limits_set(l);
	while (child_serve_one(fd, l) == 0)
		;
	_exit(0);
}

static int
sandbox_start(struct sandbox *sb)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1)
		return -1;
	if ((pid = fork()) == -1) {
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0) {
		close(sv[0]);
		/* The child needs nothing of ours: not the store, not the net. */
		close_range(3, (unsigned)sv[1] - 1, 0);
		close_range((unsigned)sv[1] + 1, ~0U, 0);
		child_main(sv[1], &sb->limits);
	}
	close(sv[1]);
	sb->pid = pid;
	sb->fd = sv[0];
	return 0;
}

/* Reaps the child; describes how it died when it did not exit cleanly. */
static void
sandbox_stop(struct sandbox *sb, int kill_it, char *err, size_t errlen)
{
	int status;

	if (sb->pid <= 0)
		return;
	close(sb->fd);
	if (kill_it)
		kill(sb->pid, SIGKILL);
	while (waitpid(sb->pid, &status, 0) == -1 && errno == EINTR)
		;
	if (err != NULL && WIFSIGNALED(status)) {
		if (WTERMSIG(status) == SIGXCPU ||
		    (kill_it && WTERMSIG(status) == SIGKILL))
			snprintf(err, errlen, "reading the file took more "
			    "than %u s of CPU", sb->limits.parser_cpu);
		else
			snprintf(err, errlen, "the spreadsheet reader "
			    "crashed on this file (signal %d)",
			    WTERMSIG(status));
	} else if (err != NULL)
		snprintf(err, errlen, "the spreadsheet reader stopped on "
		    "this file (out of memory?)");
	sb->pid = -1;
	sb->fd = -1;
}

struct sandbox *
sandbox_new(const struct limits *l)
{
	struct sandbox *sb;

	if ((sb = calloc(1, sizeof(*sb))) == NULL)
		return NULL;
	sb->limits = *l;
	sb->pid = -1;
	sb->fd = -1;
	return sb;
}

void
sandbox_free(struct sandbox *sb)
{
	if (sb == NULL)
		return;
	sandbox_stop(sb, 1, NULL, 0);
	free(sb);
}

static int
sandbox_wait_reply(struct sandbox *sb)
{
	struct pollfd pfd = { sb->fd, POLLIN, 0 };
	int n, ms = (int)sb->limits.parser_cpu * SANDBOX_WALL_FACTOR * 1000;

	while ((n = poll(&pfd, 1, ms)) == -1 && errno == EINTR)
		;
	return n == 1 ? 0 : -1;
}

/*
 * A child that died between files (killed by an administrator, the OOM
 * killer) has nothing to do with the next file: start a fresh one.
 */
static void
sandbox_check_idle(struct sandbox *sb)
{
	struct pollfd pfd = { sb->fd, POLLIN, 0 };

	if (sb->pid > 0 && poll(&pfd, 1, 0) != 0)
		sandbox_stop(sb, 1, NULL, 0);
}

pid_t
sandbox_pid(const struct sandbox *sb)
{
	return sb->pid;
}

struct grid *
sandbox_grid_read(struct sandbox *sb, const unsigned char *buf, size_t len,
    char *err, size_t errlen)
{
	uint64_t n = len, rlen;
	unsigned char status, *reply;
	struct grid *g = NULL;

	sandbox_check_idle(sb);
	if (sb->pid <= 0 && sandbox_start(sb) == -1) {
		snprintf(err, errlen, "cannot start the spreadsheet reader: %s",
		    strerror(errno));
		return NULL;
	}
	if (io_full(sb->fd, &n, sizeof(n), 1) == -1 ||
	    io_full(sb->fd, (void *)buf, len, 1) == -1 ||
	    sandbox_wait_reply(sb) == -1 ||
	    io_full(sb->fd, &status, 1, 0) == -1 ||
	    io_full(sb->fd, &rlen, sizeof(rlen), 0) == -1 ||
	    rlen > SIZE_MAX - 1 || (reply = malloc(rlen + 1)) == NULL) {
		sandbox_stop(sb, 1, err, errlen);
		return NULL;
	}
	if (io_full(sb->fd, reply, rlen, 0) == -1) {
		free(reply);
		sandbox_stop(sb, 1, err, errlen);
		return NULL;
	}
	if ((status & ~REPLY_RETIRE) == REPLY_GRID) {
		if ((g = grid_decode(reply, rlen)) == NULL)
			snprintf(err, errlen, "the spreadsheet reader sent "
			    "back garbage");
	} else {
		reply[rlen] = '\0';
		snprintf(err, errlen, "%s", (char *)reply);
	}
	free(reply);
	if (status & REPLY_RETIRE)
		sandbox_stop(sb, 0, NULL, 0);
	return g;
}
