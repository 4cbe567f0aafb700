/*
 * log.c — writes log lines to stderr, with priority prefixes for the
 * journal or timestamps for a terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"

static enum log_level	log_level = LOG_LEVEL_INFO;
static int		log_journal;
static int		log_timestamps;

void
log_init(enum log_level level, int timestamps)
{
	log_level = level;
	log_journal = getenv("JOURNAL_STREAM") != NULL;
	log_timestamps = timestamps;
}

static void
log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	char stamp[32];
	time_t now;
	struct tm tm;

	if (level > log_level)
		return;
	if (log_journal)
		fprintf(stderr, "<%d>", (int)level);
	else if (!log_timestamps)
		fputs("surveyd: ", stderr);
	else {
		now = time(NULL);
		localtime_r(&now, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S", &tm);
		fprintf(stderr, "%s ", stamp);
	}
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

#define LOG_FUNC(name, level)				\
void							\
name(const char *fmt, ...)				\
{							\
	va_list ap;					\
							\
	va_start(ap, fmt);				\
	log_vwrite(level, fmt, ap);			\
	va_end(ap);					\
}

LOG_FUNC(log_err, LOG_LEVEL_ERR)
LOG_FUNC(log_warn, LOG_LEVEL_WARN)
LOG_FUNC(log_info, LOG_LEVEL_INFO)
LOG_FUNC(log_debug, LOG_LEVEL_DEBUG)
