/*
 * bench_parse.c — how many reply files per second the readers get through.
 *
 *	bench_parse [-s] [-r rounds] file ...
 *
 * Every round opens, reads and closes every file given, reads it into a grid
 * (grid_read() in this process, or with -s sandbox_grid_read() in the parser
 * child, as intake does) and frees the grid: the work intake does per file
 * before it looks at the answers.  One untimed round first warms the page
 * cache and the allocator.  Pin it to one core (taskset -c 0): with -s the
 * child inherits the pinning, so both processes share the core.  Rates are
 * given by wall clock (median and best round) and per CPU second (this
 * process and the parser child), the latter unmoved by other work on the
 * machine.
 *
 * Prints one line of key=value pairs for bench/run.sh.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "grid.h"
#include "limit.h"
#include "sandbox.h"

#define ROUNDS_DEFAULT	5
#define ROUNDS_MAX	100

struct bench {
	struct limits	 limits;
	struct sandbox	*sb;		/* NULL: read in this process */
	unsigned long	 cells;		/* cells seen, so no work is skipped */
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: bench_parse [-s] [-r rounds] file ...\n");
	exit(2);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_seconds(int who)
{
	struct rusage ru;

	if (getrusage(who, &ru) == -1)
		err(1, "getrusage");
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* The whole file, as intake's file_read() would hand it over. */
static unsigned char *
slurp(const char *path, size_t *lenp)
{
	struct stat st;
	unsigned char *buf;
	size_t len = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		err(1, "%s", path);
	if (fstat(fd, &st) == -1)
		err(1, "%s", path);
	if ((buf = malloc(st.st_size > 0 ? (size_t)st.st_size : 1)) == NULL)
		err(1, NULL);
	while (len < (size_t)st.st_size) {
		n = read(fd, buf + len, (size_t)st.st_size - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			err(1, "%s", path);
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	*lenp = len;
	return buf;
}

static void
read_one(struct bench *b, const char *path)
{
	struct grid *g;
	unsigned char *buf;
	char ebuf[GRID_ERRLEN];
	size_t len, i;

	buf = slurp(path, &len);
	if (b->sb != NULL)
		g = sandbox_grid_read(b->sb, buf, len, ebuf, sizeof(ebuf));
	else
		g = grid_read(buf, len, &b->limits, ebuf, sizeof(ebuf));
	free(buf);
	if (g == NULL)
		errx(1, "%s: %s", path, ebuf);
	for (i = 0; i < g->nsheets; i++)
		b->cells += g->sheets[i].ncells;
	grid_free(g);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char *argv[])
{
	struct bench b;
	double secs[ROUNDS_MAX], t0, total = 0, cpu_self, cpu_child, median;
	const char *errstr = NULL;
	int ch, i, r, rounds = ROUNDS_DEFAULT, sandboxed = 0;
	char *end;
	long v;

	while ((ch = getopt(argc, argv, "r:s")) != -1) {
		switch (ch) {
		case 'r':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || v < 1 || v > ROUNDS_MAX)
				errstr = "rounds must be 1 to 100";
			rounds = (int)v;
			break;
		case 's':
			sandboxed = 1;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (errstr != NULL)
		errx(2, "%s", errstr);
	if (argc == 0)
		usage();

	memset(&b, 0, sizeof(b));
	limits_default(&b.limits);
	if (sandboxed && (b.sb = sandbox_new(&b.limits)) == NULL)
		err(1, "sandbox_new");

	/* Warm-up: page cache, allocator, the parser child's code. */
	for (i = 0; i < argc; i++)
		read_one(&b, argv[i]);
	b.cells = 0;
	/* A fresh child, so its CPU time is the timed rounds' alone. */
	if (sandboxed) {
		sandbox_free(b.sb);
		if ((b.sb = sandbox_new(&b.limits)) == NULL)
			err(1, "sandbox_new");
	}

	cpu_self = cpu_seconds(RUSAGE_SELF);
	cpu_child = cpu_seconds(RUSAGE_CHILDREN);
	for (r = 0; r < rounds; r++) {
		t0 = now();
		for (i = 0; i < argc; i++)
			read_one(&b, argv[i]);
		secs[r] = now() - t0;
		total += secs[r];
	}
	cpu_self = cpu_seconds(RUSAGE_SELF) - cpu_self;
	/* The child's CPU time is counted once it has been reaped. */
	sandbox_free(b.sb);
	cpu_child = cpu_seconds(RUSAGE_CHILDREN) - cpu_child;

	qsort(secs, (size_t)rounds, sizeof(secs[0]), cmp_double);
	median = rounds % 2 ? secs[rounds / 2] :
	    (secs[rounds / 2 - 1] + secs[rounds / 2]) / 2;
	printf("mode=%s files=%d rounds=%d cells_per_file=%.1f "
	    "median_s=%.6f best_s=%.6f median_rate=%.1f best_rate=%.1f "
	    "us_per_file=%.2f wall_s=%.3f cpu_s=%.3f child_cpu_s=%.3f "
	    "cpu_rate=%.1f\n",
	    sandboxed ? "sandbox" : "inprocess", argc, rounds,
	    (double)b.cells / rounds / argc, median, secs[0],
	    argc / median, argc / secs[0], median / argc * 1e6, total,
	    cpu_self + cpu_child, cpu_child,
	    (double)argc * rounds / (cpu_self + cpu_child));
	return 0;
}
