/*
 * sandbox.c — the parser children: started on first use, fed files over
 * socket pairs, replaced when they die or have used half their CPU
 * allowance.  One child per CPU, so a batch of replies is read on every
 * core while the parent validates and stores what has come back.
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
#include <time.h>
#include <unistd.h>

#include "sandbox.h"

#define REPLY_GRID	0
#define REPLY_ERROR	1
#define REPLY_RETIRE	0x80	/* the child exits after this reply */

/* More children than this buys nothing on the machines surveyd runs on. */
#define SANDBOX_MAX_WORKERS	8

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

struct worker {
	pid_t		 pid;		/* -1 when not running */
	int		 fd;
	size_t		 job;		/* the file it reads, when busy */
	int		 busy;
	int64_t		 deadline;	/* monotonic ms */
};

struct sandbox {
	struct limits	 limits;
	struct worker	 w[SANDBOX_MAX_WORKERS];
	size_t		 nworkers;
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

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --- the child -------------------------------------------------------- */

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

/* --- one worker, from the parent's side -------------------------------- */

static int
worker_start(struct worker *w, const struct limits *l)
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
		child_main(sv[1], l);
	}
	close(sv[1]);
	w->pid = pid;
	w->fd = sv[0];
	return 0;
}

/* Reaps the child; describes how it died when it did not exit cleanly. */
static void
worker_stop(struct worker *w, const struct limits *l, int kill_it,
    char *err, size_t errlen)
{
	int status;

	if (w->pid <= 0)
		return;
	close(w->fd);
	if (kill_it)
		kill(w->pid, SIGKILL);
	while (waitpid(w->pid, &status, 0) == -1 && errno == EINTR)
		;
	if (err != NULL && WIFSIGNALED(status)) {
		if (WTERMSIG(status) == SIGXCPU ||
		    (kill_it && WTERMSIG(status) == SIGKILL))
			snprintf(err, errlen, "reading the file took more "
			    "than %u s of CPU", l->parser_cpu);
		else
			snprintf(err, errlen, "the spreadsheet reader "
			    "crashed on this file (signal %d)",
			    WTERMSIG(status));
	} else if (err != NULL)
		snprintf(err, errlen, "the spreadsheet reader stopped on "
		    "this file (out of memory?)");
	w->pid = -1;
	w->fd = -1;
	w->busy = 0;
}

/*
 * A child that died between files (killed by an administrator, the OOM
 * killer) has nothing to do with the next file: start a fresh one.
 */
static void
worker_check_idle(struct worker *w, const struct limits *l)
{
	struct pollfd pfd = { w->fd, POLLIN, 0 };

	if (w->pid > 0 && poll(&pfd, 1, 0) != 0)
		worker_stop(w, l, 1, NULL, 0);
}

/* Hands a file to a worker.  -1 with err filled when it cannot. */
static int
worker_send(struct worker *w, const struct limits *l, size_t job,
    const unsigned char *buf, size_t len, char *err, size_t errlen)
{
	uint64_t n = len;

	worker_check_idle(w, l);
	if (w->pid <= 0 && worker_start(w, l) == -1) {
		snprintf(err, errlen, "cannot start the spreadsheet reader: %s",
		    strerror(errno));
		return -1;
	}
	if (io_full(w->fd, &n, sizeof(n), 1) == -1 ||
	    io_full(w->fd, (void *)buf, len, 1) == -1) {
		worker_stop(w, l, 1, err, errlen);
		return -1;
	}
	w->busy = 1;
	w->job = job;
	w->deadline = now_ms() + (int64_t)l->parser_cpu * SANDBOX_WALL_FACTOR * 1000;
	return 0;
}

/* Takes a worker's answer, which has begun to arrive. */
static struct grid *
worker_receive(struct worker *w, const struct limits *l, char *err,
    size_t errlen)
{
	unsigned char status, *reply;
	struct grid *g = NULL;
	uint64_t rlen;

	if (io_full(w->fd, &status, 1, 0) == -1 ||
	    io_full(w->fd, &rlen, sizeof(rlen), 0) == -1 ||
	    rlen > SIZE_MAX - 1 || (reply = malloc(rlen + 1)) == NULL) {
		worker_stop(w, l, 1, err, errlen);
		return NULL;
	}
	if (io_full(w->fd, reply, rlen, 0) == -1) {
		free(reply);
		worker_stop(w, l, 1, err, errlen);
		return NULL;
	}
	w->busy = 0;
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
		worker_stop(w, l, 0, NULL, 0);
	return g;
}

/* --- the pool ---------------------------------------------------------- */

struct sandbox *
sandbox_new(const struct limits *l)
{
	struct sandbox *sb;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t i;

	if ((sb = calloc(1, sizeof(*sb))) == NULL)
		return NULL;
	sb->limits = *l;
	sb->nworkers = cpus < 1 ? 1 : cpus > SANDBOX_MAX_WORKERS ?
	    SANDBOX_MAX_WORKERS : (size_t)cpus;
	for (i = 0; i < SANDBOX_MAX_WORKERS; i++) {
		sb->w[i].pid = -1;
		sb->w[i].fd = -1;
	}
	return sb;
}

void
sandbox_free(struct sandbox *sb)
{
	size_t i;

	if (sb == NULL)
		return;
	for (i = 0; i < sb->nworkers; i++)
		worker_stop(&sb->w[i], &sb->limits, 1, NULL, 0);
	free(sb);
}

pid_t
sandbox_pid(const struct sandbox *sb)
{
	return sb->w[0].pid;
}

/* The files of one sandbox_read_many() call, and how far it has got. */
struct batch {
	const unsigned char	**data;
	const size_t		 *len;
	size_t			  n, next;
	sandbox_done_cb		  done;
	void			 *arg;
};

/* Gives every idle worker the next file, while there are files. */
static void
batch_dispatch(struct sandbox *sb, struct batch *b)
{
	char err[GRID_ERRLEN];
	size_t i;

	for (i = 0; i < sb->nworkers && b->next < b->n; i++) {
		if (sb->w[i].busy)
			continue;
		if (worker_send(&sb->w[i], &sb->limits, b->next,
		    b->data[b->next], b->len[b->next], err, sizeof(err)) == -1)
			b->done(b->arg, b->next, NULL, err);
		b->next++;
	}
}

/*
 * Waits for busy workers to answer or run out of time.  A worker that
 * answers gets its next file before done() runs, so it reads while the
 * caller works.  0 when no worker was busy.
 */
static int
batch_collect(struct sandbox *sb, struct batch *b)
{
	struct pollfd pfd[SANDBOX_MAX_WORKERS];
	size_t map[SANDBOX_MAX_WORKERS], n = 0, i, job;
	int64_t soonest = INT64_MAX, t;
	struct worker *w;
	struct grid *g;
	char err[GRID_ERRLEN];
	int rc;

	for (i = 0; i < sb->nworkers; i++) {
		if (!sb->w[i].busy)
			continue;
		pfd[n].fd = sb->w[i].fd;
		pfd[n].events = POLLIN;
		map[n++] = i;
		if (sb->w[i].deadline < soonest)
			soonest = sb->w[i].deadline;
	}
	if (n == 0)
		return 0;
	t = soonest - now_ms();
	while ((rc = poll(pfd, n, t < 0 ? 0 : (int)t)) == -1 && errno == EINTR)
		;
	for (i = 0; i < n; i++) {
		w = &sb->w[map[i]];
		job = w->job;
		err[0] = '\0';
		if (rc > 0 && pfd[i].revents != 0)
			g = worker_receive(w, &sb->limits, err, sizeof(err));
		else if (now_ms() >= w->deadline) {
			g = NULL;
			worker_stop(w, &sb->limits, 1, err, sizeof(err));
		} else
			continue;
		batch_dispatch(sb, b);
		b->done(b->arg, job, g, g == NULL ? err : NULL);
	}
	return 1;
}

void
sandbox_read_many(struct sandbox *sb, size_t n, const unsigned char **data,
    const size_t *len, sandbox_done_cb done, void *arg)
{
	struct batch b = { data, len, n, 0, done, arg };

	do
		batch_dispatch(sb, &b);
	while (batch_collect(sb, &b) || b.next < b.n);
}

struct one_result {
	struct grid	*g;
	char		*err;
	size_t		 errlen;
};

static void
one_done(void *arg, size_t job, struct grid *g, const char *err)
{
	struct one_result *r = arg;

	(void)job;
	r->g = g;
	if (err != NULL)
		snprintf(r->err, r->errlen, "%s", err);
}

struct grid *
sandbox_grid_read(struct sandbox *sb, const unsigned char *buf, size_t len,
    char *err, size_t errlen)
{
	struct one_result r = { NULL, err, errlen };
	size_t saved = sb->nworkers;

	/* One file needs one child: the first, so tests can find it. */
	sb->nworkers = 1;
	sandbox_read_many(sb, 1, &buf, &len, one_done, &r);
	sb->nworkers = saved;
	return r.g;
}
