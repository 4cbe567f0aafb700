/*
 * check_notify.c — the sd_notify messages as systemd receives them: a real
 * AF_UNIX datagram socket in a scratch folder stands in for the service
 * manager's.  Also the log lines log_fields() prints off the journal.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include <check.h>

#include "log.h"
#include "notify.h"
#include "testutil.h"

struct listener {
	char	*dir;
	char	*path;
	int	 fd;
};

static void
listener_open(struct listener *l)
{
	struct sockaddr_un sun;
	struct timeval tv = { 2, 0 };

	l->dir = tu_tmpdir();
	l->path = g_build_filename(l->dir, "notify", NULL);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	ck_assert_uint_lt(strlen(l->path), sizeof(sun.sun_path));
	strcpy(sun.sun_path, l->path);
	l->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(l->fd, 0);
	ck_assert_int_eq(bind(l->fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	/* A message that never comes fails the test instead of hanging it. */
	ck_assert_int_eq(setsockopt(l->fd, SOL_SOCKET, SO_RCVTIMEO, &tv,
	    sizeof(tv)), 0);
	ck_assert_int_eq(setenv("NOTIFY_SOCKET", l->path, 1), 0);
}

static void
listener_close(struct listener *l)
{
	unsetenv("NOTIFY_SOCKET");
	close(l->fd);
	g_free(l->path);
	tu_cleanup(l->dir);
}

/* The next datagram, NUL-terminated, in buf. */
static void
listener_next(struct listener *l, char *buf, size_t len)
{
	ssize_t n = recv(l->fd, buf, len - 1, 0);

	ck_assert_msg(n >= 0, "no notification arrived");
	buf[n] = '\0';
}

static void
listener_expect(struct listener *l, const char *want)
{
	char buf[1024];

	listener_next(l, buf, sizeof(buf));
	ck_assert_str_eq(buf, want);
}

START_TEST(in_order)
{
	struct listener l;

	listener_open(&l);
	notify_ready();
	notify_status("polling %s, %d waiting", "imaps://mail.example.vn", 3);
	notify_watchdog();
	notify_stopping();
	listener_expect(&l, "READY=1");
	listener_expect(&l, "STATUS=polling imaps://mail.example.vn, 3 waiting");
	listener_expect(&l, "WATCHDOG=1");
	listener_expect(&l, "STOPPING=1");
	listener_close(&l);
}
END_TEST

START_TEST(reloading_carries_the_clock)
{
	struct listener l;
	char buf[1024];

	listener_open(&l);
	notify_reloading();
	listener_next(&l, buf, sizeof(buf));
	ck_assert_msg(g_str_has_prefix(buf, "RELOADING=1\nMONOTONIC_USEC="),
	    "got '%s'", buf);
	ck_assert(strlen(buf) > strlen("RELOADING=1\nMONOTONIC_USEC="));
	listener_close(&l);
}
END_TEST

START_TEST(long_status_is_cut)
{
	struct listener l;
	char buf[1024], *text = g_strnfill(600, 'x');

	listener_open(&l);
	notify_status("%s", text);
	listener_next(&l, buf, sizeof(buf));
	ck_assert(g_str_has_prefix(buf, "STATUS=xxx"));
	ck_assert_uint_lt(strlen(buf), 600);
	g_free(text);
	listener_close(&l);
}
END_TEST

START_TEST(status_is_one_line)
{
	struct listener l;

	listener_open(&l);
	notify_status("taking %s", "evil\nREADY=1\r.xlsx");
	listener_expect(&l, "STATUS=taking evil READY=1 .xlsx");
	listener_close(&l);
}
END_TEST

START_TEST(quiet_without_systemd)
{
	struct listener l;
	char buf[64];

	listener_open(&l);
	unsetenv("NOTIFY_SOCKET");
	notify_ready();
	notify_status("nobody listens");
	notify_watchdog();
	notify_stopping();
	notify_reloading();
	/* Nothing reached the socket: the next message is this one. */
	ck_assert_int_eq(setenv("NOTIFY_SOCKET", l.path, 1), 0);
	notify_watchdog();
	listener_next(&l, buf, sizeof(buf));
	ck_assert_str_eq(buf, "WATCHDOG=1");
	listener_close(&l);
}
END_TEST

/* What the logger writes to stderr while fn runs, as a string to g_free. */
static char *
stderr_capture(void (*fn)(void))
{
	char *dir = tu_tmpdir(), *path = g_build_filename(dir, "err", NULL);
	char *text = NULL;
	int saved, fd;

	fflush(stderr);
	saved = dup(STDERR_FILENO);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
	fn();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	ck_assert(g_file_get_contents(path, &text, NULL, NULL));
	g_free(path);
	tu_cleanup(dir);
	return text;
}

static void
log_both(void)
{
	log_fields(LOG_LEVEL_INFO, "khaosat2023", "24", "<a@example.vn>",
	    "survey %s: reply from %s stored", "khaosat2023", "24");
	log_info("survey %s: reply from %s stored", "khaosat2023", "24");
	log_fields(LOG_LEVEL_DEBUG, "khaosat2023", NULL, NULL, "not shown");
	log_fields(LOG_LEVEL_WARN, NULL, NULL, NULL, "no fields");
}

START_TEST(fields_on_a_terminal)
{
	char *got;

	unsetenv("JOURNAL_STREAM");
	log_init(LOG_LEVEL_INFO, 0);
	got = stderr_capture(log_both);
	ck_assert_str_eq(got,
	    "surveyd: survey khaosat2023: reply from 24 stored\n"
	    "surveyd: survey khaosat2023: reply from 24 stored\n"
	    "surveyd: no fields\n");
	g_free(got);
}
END_TEST

/*
 * Under systemd but with no journal socket (a container), lines keep their
 * sd-daemon priority prefixes on stderr.
 */
START_TEST(fields_without_the_journal_socket)
{
	char *got;

	if (access("/run/systemd/journal/socket", F_OK) == 0)
		return;
	setenv("JOURNAL_STREAM", "8:1234", 1);
	log_init(LOG_LEVEL_INFO, 0);
	got = stderr_capture(log_both);
	unsetenv("JOURNAL_STREAM");
	ck_assert_str_eq(got,
	    "<6>survey khaosat2023: reply from 24 stored\n"
	    "<6>survey khaosat2023: reply from 24 stored\n"
	    "<4>no fields\n");
	g_free(got);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("notify");
	TCase *tc = tcase_create("notify");
	TCase *lg = tcase_create("log");

	tcase_add_test(tc, in_order);
	tcase_add_test(tc, reloading_carries_the_clock);
	tcase_add_test(tc, long_status_is_cut);
	tcase_add_test(tc, status_is_one_line);
	tcase_add_test(tc, quiet_without_systemd);
	suite_add_tcase(s, tc);
	tcase_add_test(lg, fields_on_a_terminal);
	tcase_add_test(lg, fields_without_the_journal_socket);
	suite_add_tcase(s, lg);
	return test_suite_run(s);
}
