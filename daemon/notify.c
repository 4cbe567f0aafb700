/*
 * notify.c — the sd_notify side of running under systemd, on libsystemd.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-daemon.h>

#include "log.h"
#include "notify.h"

/* STATUS= lines longer than this are cut: systemctl shows one line. */
#define NOTIFY_STATUS_MAX	256

static void
notify_send(const char *state)
{
	int rc;

	/* 0 means no NOTIFY_SOCKET: not under systemd, nothing to say. */
	if ((rc = sd_notify(0, state)) < 0)
		log_debug("sd_notify: %s", strerror(-rc));
}

void
notify_ready(void)
{
	notify_send("READY=1");
}

void
notify_status(const char *fmt, ...)
{
	char buf[sizeof("STATUS=") + NOTIFY_STATUS_MAX], *p;
	va_list ap;
	int n;

	n = snprintf(buf, sizeof(buf), "STATUS=");
	va_start(ap, fmt);
	vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	/*
	 * A line break would start another assignment: a file name from the
	 * spool must not be able to say READY=1 or MAINPID=.
	 */
	for (p = buf + n; (p = strpbrk(p, "\r\n")) != NULL; p++)
		*p = ' ';
	notify_send(buf);
}

void
notify_watchdog(void)
{
	notify_send("WATCHDOG=1");
}

void
notify_stopping(void)
{
	notify_send("STOPPING=1");
}

void
notify_reloading(void)
{
	char buf[64];
	struct timespec ts;

	/*
	 * systemd 253's Type=notify-reload wants the monotonic time with
	 * RELOADING=1; 252 ignores it, so one message suits both.
	 */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(buf, sizeof(buf), "RELOADING=1\nMONOTONIC_USEC=%llu",
	    (unsigned long long)ts.tv_sec * 1000000ULL +
	    (unsigned long long)ts.tv_nsec / 1000);
	notify_send(buf);
}
