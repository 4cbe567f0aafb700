/*
 * log.h — the logger: one line per event on stderr.
 *
 * Under systemd (JOURNAL_STREAM set) lines carry sd-daemon priority prefixes
 * and no timestamps, since the journal adds its own.  On a terminal the
 * daemon stamps its lines with the time; a one-shot command prefixes them
 * with the program name, as command-line tools do.
 *
 * log_fields() also names the survey, respondent and mail a line is about:
 * with the journal's socket at hand they go as journal fields SURVEY=,
 * RESPONDENT= and MAIL_MESSAGE_ID=, so an administrator can ask
 * `journalctl -u surveyd RESPONDENT=24`; elsewhere the line is printed as
 * the other functions print it.  (The journal's own MESSAGE_ID= is a
 * catalog id, so a mail's Message-ID goes under another name.)
 */
#ifndef SURVEYD_LOG_H
#define SURVEYD_LOG_H

#include <stdarg.h>

enum log_level {
	LOG_LEVEL_ERR = 3,
	LOG_LEVEL_WARN = 4,
	LOG_LEVEL_INFO = 6,
	LOG_LEVEL_DEBUG = 7,
};

void	log_init(enum log_level, int timestamps);
void	log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* survey, respondent and message_id may each be NULL: no such field. */
void	log_fields(enum log_level, const char *survey, const char *respondent,
	    const char *message_id, const char *, ...)
	    __attribute__((format(printf, 5, 6)));

#endif
