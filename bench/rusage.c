/*
 * rusage.c — runs a command and reports what it cost, for bench/run.sh.
 *
 *	rusage -r figures-file [-o stdout-file] command [argument ...]
 *
 * Writes "wall user sys maxrss_kib" to figures-file once the command has
 * exited, and exits as it did.  The figures are wait4()'s, as /usr/bin/time -v gives
 * them: CPU time and peak RSS cover the children the command reaped (for
 * surveyd, its parser child).  Linux keeps the peak RSS a process had before
 * exec(), so the process that forks the command must be small: a Python
 * wrapper would count its own interpreter, this one adds about 1 MiB.
 */
#include <sys/resource.h>
#include <sys/wait.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr, "usage: rusage -r figures-file [-o stdout-file] "
	    "command [argument ...]\n");
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
seconds(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

int
main(int argc, char *argv[])
{
	struct rusage ru;
	const char *out = NULL, *figures = NULL;
	FILE *f;
	double t0, wall;
	pid_t pid;
	int ch, fd, status;

	while ((ch = getopt(argc, argv, "+o:r:")) != -1) {
		switch (ch) {
		case 'o':
			out = optarg;
			break;
		case 'r':
			figures = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 || figures == NULL)
		usage();
	if ((f = fopen(figures, "we")) == NULL)
		err(1, "%s", figures);

	t0 = now();
	if ((pid = fork()) == -1)
		err(1, "fork");
	if (pid == 0) {
		if (out != NULL) {
			if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC |
			    O_CLOEXEC, 0644)) == -1)
				err(127, "%s", out);
			if (dup2(fd, STDOUT_FILENO) == -1)
				err(127, "dup2");
		}
		execvp(argv[0], argv);
		err(127, "%s", argv[0]);
	}
	while (wait4(pid, &status, 0, &ru) == -1)
		if (errno != EINTR)
			err(1, "wait4");
	wall = now() - t0;
	fprintf(f, "%.4f %.4f %.4f %ld\n", wall, seconds(&ru.ru_utime),
	    seconds(&ru.ru_stime), ru.ru_maxrss);
	if (fclose(f) == EOF)
		err(1, "%s", figures);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
