/*
 * cmd_run.c — `surveyd run [--survey ID] [--now T]`: the daemon loop.
 * Polls the mailbox every poll-interval (backing off while the server is
 * down), scans the spool, queues and sends the mail due (forms,
 * acknowledgements, reminders, digest), and sleeps in between; SIGHUP re-reads the
 * config, SIGTERM lets the message in hand finish and then exits 0.
 *
 * With --now the clock starts at T and runs on from there, so a survey
 * round can be played on a simulated date.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "cmd.h"
#include "log.h"
#include "mailbox.h"
#include "mailout.h"
#include "notify.h"
#include "outbox.h"
#include "secret.h"
#include "spool.h"
#include "web.h"

#define RUN_SPOOL_INTERVAL	10	/* seconds between spool scans */
#define RUN_BACKOFF_FIRST	5	/* seconds before the first retry */
#define RUN_BACKOFF_MAX		900	/* the retries' ceiling, 15 minutes */
#define RUN_SLEEP_MAX		60	/* wake at least this often */

/* Set by the signal handlers, read by the loop: the only shared state. */
static volatile sig_atomic_t run_stop;
static volatile sig_atomic_t run_reload;

struct run {
	struct cmd_env	*env;
	const char	*survey;	/* --survey, or NULL */
	gint64		 offset;	/* --now minus the real clock */
	gint64		 next_poll;
	gint64		 next_spool;
	guint		 failures;	/* poll cycles failed in a row */
	int		 spool_missing;	/* said once, not every scan */
	struct web	*web;		/* the secretary's page, or NULL */
};

static void
run_signal(int sig)
{
	if (sig == SIGHUP)
		run_reload = 1;
	else
		run_stop = 1;
}

static void
run_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = run_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a signal must cut the sleep short. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static gint64
run_now(const struct run *r)
{
	return g_get_real_time() / G_USEC_PER_SEC + r->offset;
}

/*
 * The survey the mailbox and spool feed: --survey, the only one, or the
 * one open now that opened last (a union runs one round at a time).
 */
static const struct survey *
run_survey(const struct run *r, gint64 now)
{
	const struct config *c = r->env->config;
	const struct survey *best = NULL, *s;
	guint i;

	if (r->survey != NULL || c->nsurveys == 1)
		return config_survey(c, r->survey);
	for (i = 0; i < c->nsurveys; i++) {
		s = &c->surveys[i];
		if (s->opens > now || (s->closes != 0 && s->closes < now))
			continue;
		if (best == NULL || s->opens > best->opens)
			best = s;
	}
	return best != NULL ? best : &c->surveys[0];
}

/* After a failed cycle: 5 s, 10 s, 20 s ... up to 15 minutes. */
static gint64
run_backoff(guint failures)
{
	gint64 wait = RUN_BACKOFF_FIRST;

	while (--failures > 0 && wait < RUN_BACKOFF_MAX)
		wait *= 2;
	return MIN(wait, RUN_BACKOFF_MAX);
}

static void
run_poll(struct run *r, const struct survey *sv, gint64 now)
{
	const struct imap_config *ic = &r->env->config->imap;
	struct mailbox_stats stats;
	struct intake in;
	char *password;
	int rc = EXIT_RUNTIME;

	if ((password = secret_read(ic->password_file,
	    "[imap] password-file")) != NULL) {
		intake_init(&in, r->env->config, r->env->store, now);
		in.log = 1;
		rc = mailbox_poll(&in, sv, password, &run_stop, &stats);
		intake_clear(&in);
		secret_free(password);
	}
	/* A cycle may take minutes: the next is timed from its end. */
	now = run_now(r);
	if (rc != EXIT_RUNTIME) {
		if (r->failures > 0)
			log_info("%s: polling again after %u failed cycle(s)",
			    ic->url, r->failures);
		r->failures = 0;
		r->next_poll = now + ic->poll_interval;
		return;
	}
	r->failures++;
	r->next_poll = now + run_backoff(r->failures);
	log_warn("%s: cycle failed; next try in %" G_GINT64_FORMAT " s",
	    ic->url, r->next_poll - now);
}

static void
run_spool(struct run *r, const struct survey *sv, gint64 now)
{
	const char *dir = r->env->config->spool;
	struct intake in;
	guint taken;

	r->next_spool = now + RUN_SPOOL_INTERVAL;
	/* A folder not made yet is one warning, not one every ten seconds. */
	if (!g_file_test(dir, G_FILE_TEST_IS_DIR)) {
		if (!r->spool_missing)
			log_warn("[intake] spool: %s: no such folder; files "
			    "put there will be taken once it exists", dir);
		r->spool_missing = 1;
		return;
	}
	r->spool_missing = 0;
	intake_init(&in, r->env->config, r->env->store, now);
	in.log = 1;
	(void)spool_scan(&in, sv, dir, &run_stop, &taken);
	intake_clear(&in);
	if (taken > 0)
		log_info("[intake] spool: %u file(s) taken", taken);
}

/* Every survey's mail due now queued, then the outbox sent. */
static void
run_mail(struct run *r, gint64 now)
{
	const struct config *c = r->env->config;
	struct outbox_stats s;
	guint i;

	for (i = 0; i < c->nsurveys && !run_stop; i++)
		(void)mailout_due(r->env->store, c, &c->surveys[i], now);
	if (run_stop)
		return;
	(void)outbox_deliver(r->env->store, c, now, &run_stop, &s);
	if (s.sent + s.retry + s.failed > 0)
		log_info("mail: %u sent, %u to be tried again, %u failed",
		    s.sent, s.retry, s.failed);
}

/*
 * Sleeps until the next due work or a signal.  The signals are blocked
 * while the flags are checked and ppoll unblocks them atomically, so one
 * arriving just before the sleep still ends it.
 */
static void
run_sleep(const struct run *r, gint64 now)
{
	struct timespec ts = { RUN_SLEEP_MAX, 0 };
	sigset_t block, old;
	gint64 next = now + RUN_SLEEP_MAX;

	if (r->env->config->imap.url != NULL)
		next = MIN(next, r->next_poll);
	if (r->env->config->spool != NULL)
		next = MIN(next, r->next_spool);
	ts.tv_sec = MAX(next - now, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (!run_stop && !run_reload && ts.tv_sec > 0)
		(void)ppoll(NULL, 0, &ts, &old);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

/* "63 respondents, 41 answered, next reminder 2023-06-08 08:00". */
static void
run_status(const struct run *r, const struct survey *sv, gint64 now)
{
	gint64 next = mailout_next_reminder(r->env->store, sv, now, NULL);
	char *when = next > 0 ? clock_format(next, sv->tz) : NULL;

	notify_status("%s: %u respondents, %" G_GINT64_FORMAT " answered%s%s%s",
	    sv->id, sv->roster->n, store_survey_answered(r->env->store, sv->id),
	    r->failures ? ", mail server unreachable" : "",
	    when ? ", next reminder " : "", when ? when : "");
	g_free(when);
}

/* The page failing to start is logged; mail intake goes on without it. */
static struct web *
run_web_start(const struct config *c)
{
	struct web *w;
	char err[600];

	if ((w = web_start(c, err, sizeof(err))) == NULL && *err != '\0')
		log_err("%s", err);
	return w;
}

static void
run_loop(struct run *r)
{
	const struct survey *sv;
	gint64 now;

	while (!run_stop) {
		if (run_reload) {
			run_reload = 0;
			notify_reloading();
			/* The page reads the config: it restarts with the new one. */
			web_stop(r->web);
			(void)cmd_config_reload(r->env);
			r->web = run_web_start(r->env->config);
			notify_ready();
		}
		now = run_now(r);
		sv = run_survey(r, now);
		if (r->env->config->imap.url != NULL && now >= r->next_poll)
			run_poll(r, sv, now);
		if (r->env->config->spool != NULL && now >= r->next_spool &&
		    !run_stop)
			run_spool(r, sv, now);
		if (r->env->config->smtp.url != NULL && !run_stop)
			run_mail(r, run_now(r));
		run_status(r, sv, run_now(r));
		/* Each round is the heartbeat; rounds are at most a minute apart. */
		notify_watchdog();
		run_sleep(r, run_now(r));
	}
	notify_stopping();
}

int
cmd_run(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "survey", required_argument, NULL, 's' },
		{ "now", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct run r = { env, NULL, 0, 0, 0, 0, 0, NULL };
	const char *now = NULL;
	gint64 t;
	int c, lock, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': r.survey = optarg; break;
		case 'n': now = optarg; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return EXIT_USAGE;
	/* A SIGTERM while starting ends the daemon as one later would: cleanly. */
	run_signals_install();
	if ((rc = cmd_config_open(env)) != EXIT_OK)
		return rc;
	if (r.survey != NULL && cmd_survey(env, r.survey) == NULL)
		return EXIT_USAGE;
	/* --now reads in the first survey's timezone: one union, one zone. */
	if (now != NULL) {
		if (cmd_now(r.survey ? cmd_survey(env, r.survey) :
		    &env->config->surveys[0], now, &t) == -1)
			return EXIT_USAGE;
		r.offset = t - g_get_real_time() / G_USEC_PER_SEC;
	}
	if ((lock = cmd_lock_take(env->config)) == -1)
		return EXIT_RUNTIME;
	if ((rc = cmd_store_open(env)) == EXIT_OK) {
		log_info("running: %s%s%s", env->config->imap.url ?
		    env->config->imap.url : "no mailbox", env->config->spool ?
		    ", spool " : "", env->config->spool ? env->config->spool : "");
		r.web = run_web_start(env->config);
		notify_ready();
		run_loop(&r);
		web_stop(r.web);
		log_info("stopped");
	}
	close(lock);
	return rc;
}
