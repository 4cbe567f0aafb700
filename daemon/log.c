/*
 * log.c — writes log lines to stderr, with priority prefixes for the
 * journal or timestamps for a terminal, and lines with fields straight to
 * the journal when it is there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <systemd/sd-journal.h>

#include "log.h"

#define LOG_JOURNAL_SOCKET	"/run/systemd/journal/socket"

static enum log_level	log_level = LOG_LEVEL_INFO;
static int		log_journal;
static int		log_journal_fields;
static int		log_timestamps;

void
log_init(enum log_level level, int timestamps)
{
	log_level = level;
	log_journal = getenv("JOURNAL_STREAM") != NULL;
	/* Without the socket sd_journal_send fails and the line is lost. */
	log_journal_fields = log_journal &&
	    access(LOG_JOURNAL_SOCKET, W_OK) == 0;
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

/* Appends FIELD=value as the next iovec when value is set. */
static void
log_field_add(struct iovec *iov, int *n, const char *field, const char *value)
{
	if (value == NULL)
		return;
	iov[*n].iov_base = g_strconcat(field, "=", value, NULL);
	iov[*n].iov_len = strlen(iov[*n].iov_base);
	(*n)++;
}

/* 0 when the journal took the line, -1 to print it instead. */
static int
log_journal_send(enum log_level level, const char *survey,
    const char *respondent, const char *message_id, const char *text)
{
	struct iovec iov[6];
	char priority[16];
	int i, n = 0, rc;

	snprintf(priority, sizeof(priority), "%d", (int)level);
	log_field_add(iov, &n, "MESSAGE", text);
	log_field_add(iov, &n, "PRIORITY", priority);
	log_field_add(iov, &n, "SYSLOG_IDENTIFIER", "surveyd");
	log_field_add(iov, &n, "SURVEY", survey);
	log_field_add(iov, &n, "RESPONDENT", respondent);
	log_field_add(iov, &n, "MAIL_MESSAGE_ID", message_id);
	rc = sd_journal_sendv(iov, n);
	for (i = 0; i < n; i++)
		g_free(iov[i].iov_base);
	return rc < 0 ? -1 : 0;
}

static void __attribute__((format(printf, 2, 3)))
log_write(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite(level, fmt, ap);
	va_end(ap);
}

void
log_fields(enum log_level level, const char *survey, const char *respondent,
    const char *message_id, const char *fmt, ...)
{
	va_list ap;
	char *text;

	if (level > log_level)
		return;
	va_start(ap, fmt);
	if (!log_journal_fields) {
		log_vwrite(level, fmt, ap);
		va_end(ap);
		return;
	}
	text = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	if (log_journal_send(level, survey, respondent, message_id, text) == -1)
		log_write(level, "%s", text);
	g_free(text);
}
