/*
 * log.h — the logger: one line per event on stderr.
 *
 * Under systemd (JOURNAL_STREAM set) lines carry sd-daemon priority prefixes
 * and no timestamps, since the journal adds its own.  On a terminal the
 * daemon stamps its lines with the time; a one-shot command prefixes them
 * with the program name, as command-line tools do.
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

#endif
