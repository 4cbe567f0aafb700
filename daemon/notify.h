/*
 * notify.h — telling systemd how the daemon is doing (sd_notify): ready,
 * a one-line status for `systemctl status`, the watchdog's heartbeat,
 * reloading and stopping.
 *
 * Every call is a quiet no-op when NOTIFY_SOCKET is unset, so the same
 * code runs on a terminal, in the tests and under systemd.  A message
 * that cannot be delivered is logged at debug level and otherwise
 * ignored: the daemon's work never depends on the service manager.
 */
#ifndef SURVEYD_NOTIFY_H
#define SURVEYD_NOTIFY_H

/* Startup (and a reload) is done: Type=notify waits for this. */
void	notify_ready(void);
/* STATUS=: what the daemon is doing, one line, printf-formatted. */
void	notify_status(const char *, ...) __attribute__((format(printf, 1, 2)));
/* WATCHDOG=1: the loop is alive; send at least every WatchdogSec / 2. */
void	notify_watchdog(void);
/* SIGTERM was seen: the message in hand finishes, then the exit. */
void	notify_stopping(void);
/* SIGHUP was seen: the config is being read again; notify_ready() after. */
void	notify_reloading(void);

#endif
