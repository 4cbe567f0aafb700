/*
 * check_outbox.c — the outbox and the mail plan without a network: forms
 * queued once under stable Message-IDs, the built mail archived and
 * readable, retries with backoff when the server is not there, the
 * acknowledgement rules, reminders on the schedule, the daily digest.
 */
#include <glib/gstdio.h>
#include <string.h>

#include <check.h>
#include <gmime/gmime.h>

#include "clock.h"
#include "cmd.h"
#include "config.h"
#include "file.h"
#include "mailout.h"
#include "outbox.h"
#include "store.h"
#include "testutil.h"

static char *dir;
static struct config *cfg;
static struct store *st;
static struct survey *sv;
static volatile sig_atomic_t never;

/* A closed port: nothing listens on 127.0.0.1:1, so sending fails fast. */
static const char conf[] =
    "[store]\ndatabase=db/s.db\narchive=archive\n"
    "[smtp]\nurl=smtp://127.0.0.1:1\n"
    "from=\"Liên hiệp hội Bắc Giang\" <khaosat@example.test>\n"
    "[survey a]\ndefinition=%s/forms/form-a\nroster=roster.csv\n"
    "deadline=2023-06-15\nreminders=-7d,-3d,+2d\nmax-reminders=2\n"
    "send-window=Mon-Fri 08:00-17:00\ntimezone=Asia/Ho_Chi_Minh\n"
    "templates=%s/templates/vi\ndigest-to=thuky@example.test\n"
    "digest-at=17:00\n";

static gint64
at(const char *when)
{
	gint64 t;

	ck_assert_int_eq(clock_parse(when, sv->tz, &t), 0);
	return t;
}

static void
setup(void)
{
	struct problems p;
	char *cwd = g_get_current_dir(), *text, *path, err[600];

	dir = tu_tmpdir();
	g_free(tu_write(dir, "roster.csv",
	    "code,name,region,emails,cc,language,aliases\n"
	    "01,Hà Nội,Đồng bằng sông Hồng,lhh.hanoi@example.test,ubnd.hanoi@example.test,vi,\n"
	    "14,Sơn La,Tây Bắc,lhh.sonla@example.test,,vi,\n"
	    "79,TP Hồ Chí Minh,Đông Nam Bộ,,,vi,\n"));
	text = g_strdup_printf(conf, cwd, cwd);
	path = tu_write(dir, "surveyd.conf", text);
	problems_init(&p);
	cfg = config_load(path, &p);
	ck_assert_msg(cfg != NULL && p.errors->len == 0, "%s",
	    p.errors->len ? (char *)p.errors->pdata[0] : "no config");
	problems_clear(&p);
	g_free(text);
	g_free(path);
	g_free(cwd);
	sv = &cfg->surveys[0];
	ck_assert(file_mkdirs(cfg->archive, 0750) == 0);
	path = g_path_get_dirname(cfg->database);
	ck_assert(file_mkdirs(path, 0750) == 0);
	g_free(path);
	st = store_open(cfg->database, err, sizeof(err));
	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_int_eq(store_respondents_sync(st, sv->id, sv->roster), 0);
}

static void
teardown(void)
{
	store_close(st);
	config_free(cfg);
	tu_cleanup(dir);
}

static GPtrArray *
rows(const char *kind)
{
	GPtrArray *v = store_outbox_list(st, sv->id, kind);

	ck_assert_ptr_nonnull(v);
	return v;
}

static struct outbox_row *
row_of(GPtrArray *v, const char *respondent)
{
	guint i;

	for (i = 0; i < v->len; i++)
		if (strcmp(((struct outbox_row *)v->pdata[i])->respondent,
		    respondent) == 0)
			return v->pdata[i];
	return NULL;
}

/* The archived mail of a row, parsed back. */
static GMimeMessage *
mail_of(const struct outbox_row *o)
{
	char *path = store_raw_path(st, o->sha256), err[600];
	GMimeStream *s;
	GMimeParser *p;
	GMimeMessage *m;
	unsigned char *data;
	size_t len;

	ck_assert_ptr_nonnull(path);
	ck_assert_msg(file_read(path, 1 << 26, &data, &len, err,
	    sizeof(err)) == 0, "%s", err);
	s = g_mime_stream_mem_new_with_buffer((const char *)data, len);
	p = g_mime_parser_new_with_stream(s);
	m = g_mime_parser_construct_message(p, NULL);
	ck_assert_ptr_nonnull(m);
	g_object_unref(p);
	g_object_unref(s);
	g_free(data);
	g_free(path);
	return m;
}

/* Marks every queued row sent at t, as a delivery would. */
static void
all_sent(gint64 t)
{
	GPtrArray *v = rows(NULL);
	struct outbox_row *o;
	guint i;

	for (i = 0; i < v->len; i++) {
		o = v->pdata[i];
		if (strcmp(o->state, "queued") == 0)
			ck_assert_int_eq(store_outbox_result(st, o->id, "sent",
			    t, 0, NULL), 0);
	}
	g_ptr_array_unref(v);
}

START_TEST(forms_queued_once)
{
	gint64 now = at("2023-06-01 09:00");
	struct outbox_row *o;
	GMimeMessage *m;
	GPtrArray *v;

	/* 79 has no address: said, not queued. */
	ck_assert_int_eq(mailout_forms(st, cfg, sv, now, NULL, 0, NULL), 2);
	ck_assert_int_eq(mailout_forms(st, cfg, sv, now + 60, NULL, 0, NULL), 0);
	v = rows("form");
	ck_assert_uint_eq(v->len, 2);
	o = row_of(v, "14");
	ck_assert_str_eq(o->state, "queued");
	ck_assert_str_eq(o->step, "0");
	ck_assert_str_eq(o->recipients, "lhh.sonla@example.test");
	ck_assert(g_str_has_suffix(o->message_id, "@example.test"));
	m = mail_of(o);
	ck_assert_str_eq(g_mime_message_get_message_id(m), o->message_id);
	ck_assert_ptr_nonnull(strstr(g_mime_message_get_subject(m), "Phiếu khảo sát"));
	ck_assert_ptr_nonnull(strstr(g_mime_message_get_subject(m), "Sơn La"));
	ck_assert_str_eq(g_mime_object_get_header(GMIME_OBJECT(m),
	    "Auto-Submitted"), "auto-generated");
	g_object_unref(m);
	g_ptr_array_unref(v);
}
END_TEST

START_TEST(message_id_is_stable)
{
	gint64 now = at("2023-06-01 09:00");
	GPtrArray *v;
	char *first;

	ck_assert_int_eq(mailout_forms(st, cfg, sv, now, "01", 0, NULL), 1);
	v = rows("form");
	first = g_strdup(((struct outbox_row *)v->pdata[0])->message_id);
	g_ptr_array_unref(v);
	/* A crash before the row: the plan is made again, same Message-ID. */
	store_close(st);
	g_remove(cfg->database);
	st = store_open(cfg->database, NULL, 0);
	ck_assert_ptr_nonnull(st);
	ck_assert_int_eq(store_respondents_sync(st, sv->id, sv->roster), 0);
	ck_assert_int_eq(mailout_forms(st, cfg, sv, now + 3600, "01", 0, NULL), 1);
	v = rows("form");
	ck_assert_str_eq(((struct outbox_row *)v->pdata[0])->message_id, first);
	g_ptr_array_unref(v);
	g_free(first);
}
END_TEST

START_TEST(deliver_retries_then_fails)
{
	gint64 now = at("2023-06-01 09:00");
	struct outbox_stats s;
	struct outbox_row *o;
	GPtrArray *v;
	int i;

	ck_assert_int_eq(mailout_forms(st, cfg, sv, now, "01", 0, NULL), 1);
	ck_assert_int_eq(outbox_deliver(st, cfg, now, &never, &s),
	    EXIT_RUNTIME);
	ck_assert_uint_eq(s.retry, 1);
	v = rows("form");
	o = v->pdata[0];
	ck_assert_str_eq(o->state, "queued");
	ck_assert_int_eq(o->attempts, 1);
	ck_assert_int_eq(o->next_attempt, now + OUTBOX_RETRY_FIRST);
	g_ptr_array_unref(v);
	/* Not due yet: nothing is tried. */
	outbox_deliver(st, cfg, now + 60, &never, &s);
	ck_assert_uint_eq(s.retry, 0);
	for (i = 1; i < OUTBOX_ATTEMPTS_MAX; i++)
		outbox_deliver(st, cfg, now + i * OUTBOX_RETRY_MAX, &never, &s);
	v = rows("form");
	o = v->pdata[0];
	ck_assert_str_eq(o->state, "failed");
	ck_assert_int_eq(o->attempts, OUTBOX_ATTEMPTS_MAX);
	g_ptr_array_unref(v);
}
END_TEST

/* A reply stored as intake stores it. */
static gint64
reply_add(const char *respondent, const char *state, const char *sender,
    unsigned markers, gint64 received, const char *flags)
{
	static int n;
	struct submission *sub = submission_new();
	gint64 id;
	int dup;

	sub->survey = g_strdup(sv->id);
	sub->sha256 = g_strdup_printf("%064d", ++n);
	sub->respondent = g_strdup(respondent);
	sub->state = g_strdup(state);
	sub->source = g_strdup("mail");
	sub->filename = g_strdup("phieu.xlsx");
	sub->sender = g_strdup(sender);
	sub->message_id = g_strdup_printf("reply-%d@example.test", n);
	sub->received = received;
	g_free(sub->flags);
	sub->flags = g_strdup(flags);
	sub->markers = markers;
	ck_assert_int_eq(store_begin(st), 0);
	ck_assert_int_eq(store_raw_add(st, sub->sha256, 1, "x", received), 0);
	ck_assert_int_eq(store_submission_add(st, sub, &dup), 0);
	ck_assert_int_eq(store_commit(st), 0);
	id = sub->id;
	submission_free(sub);
	return id;
}

static const char *
ack_state(GPtrArray *v, gint64 id)
{
	char step[32];
	guint i;

	g_snprintf(step, sizeof(step), "%" G_GINT64_FORMAT, id);
	for (i = 0; i < v->len; i++)
		if (strcmp(((struct outbox_row *)v->pdata[i])->step, step) == 0)
			return ((struct outbox_row *)v->pdata[i])->state;
	return "none";
}

START_TEST(acks_follow_the_rules)
{
	gint64 now = at("2023-06-10 10:00");
	gint64 ok, again, robot, stranger, blank, old;
	GPtrArray *v;

	ok = reply_add("01", "accepted", "lhh.hanoi@example.test", 0, now, "");
	again = reply_add("01", "invalid", "lhh.hanoi@example.test", 0, now, "");
	robot = reply_add("14", "accepted", "lhh.sonla@example.test", 1, now, "");
	stranger = reply_add(NULL, "unmatched", "ai.do@example.org", 0, now, "");
	blank = reply_add("79", "incomplete", "x@example.org", 0, now, "blank");
	old = reply_add("14", "accepted", "y@example.org", 0,
	    now - MAILOUT_ACK_HORIZON - 1, "");
	ck_assert_int_eq(mailout_acks(st, cfg, sv, now), 2);
	v = rows("ack");
	ck_assert_str_eq(ack_state(v, ok), "queued");
	ck_assert_str_eq(ack_state(v, again), "skipped");
	ck_assert_str_eq(ack_state(v, robot), "skipped");
	ck_assert_str_eq(ack_state(v, stranger), "queued");
	ck_assert_str_eq(ack_state(v, blank), "skipped");
	ck_assert_str_eq(ack_state(v, old), "none");
	ck_assert_str_eq(row_of(v, "")->recipients, "ai.do@example.org");
	g_ptr_array_unref(v);
	ck_assert_int_eq(mailout_acks(st, cfg, sv, now + 60), 0);
}
END_TEST

START_TEST(reminders_on_schedule)
{
	GPtrArray *v;

	ck_assert_int_eq(mailout_forms(st, cfg, sv, at("2023-06-01 09:00"),
	    NULL, 0, NULL), 2);
	all_sent(at("2023-06-01 09:01"));
	ck_assert_int_eq(mailout_reminders(st, cfg, sv, at("2023-06-08 07:59"),
	    NULL, 0, NULL), 0);
	reply_add("01", "accepted", "lhh.hanoi@example.test", 0,
	    at("2023-06-07 10:00"), "");
	ck_assert_int_eq(mailout_reminders(st, cfg, sv, at("2023-06-08 08:00"),
	    NULL, 0, NULL), 1);
	ck_assert_int_eq(mailout_reminders(st, cfg, sv, at("2023-06-08 09:00"),
	    NULL, 0, NULL), 0);
	v = rows("reminder");
	ck_assert_uint_eq(v->len, 1);
	ck_assert_str_eq(row_of(v, "14")->step, "-7d");
	g_ptr_array_unref(v);
	/* Missed -3d and +2d together: +2d goes, -3d is skipped; cc after the deadline. */
	all_sent(at("2023-06-08 08:01"));
	ck_assert_int_eq(mailout_reminders(st, cfg, sv, at("2023-06-19 09:00"),
	    NULL, 0, NULL), 1);
	v = rows("reminder");
	ck_assert_uint_eq(v->len, 3);
	ck_assert_str_eq(((struct outbox_row *)v->pdata[1])->state, "skipped");
	ck_assert_str_eq(((struct outbox_row *)v->pdata[1])->step, "-3d");
	ck_assert_str_eq(((struct outbox_row *)v->pdata[2])->step, "+2d");
	g_ptr_array_unref(v);
}
END_TEST

START_TEST(digest_once_a_day)
{
	struct outbox_row *o;
	GMimeMessage *m;
	GPtrArray *v;

	ck_assert_int_eq(mailout_digest(st, cfg, sv, at("2023-06-10 16:59")), 0);
	ck_assert_int_eq(mailout_digest(st, cfg, sv, at("2023-06-10 17:00")), 1);
	ck_assert_int_eq(mailout_digest(st, cfg, sv, at("2023-06-10 18:00")), 0);
	ck_assert_int_eq(mailout_digest(st, cfg, sv, at("2023-06-11 17:30")), 1);
	v = rows("digest");
	ck_assert_uint_eq(v->len, 2);
	o = v->pdata[0];
	ck_assert_str_eq(o->step, "2023-06-10");
	ck_assert_str_eq(o->recipients, "thuky@example.test");
	m = mail_of(o);
	ck_assert(GMIME_IS_MULTIPART(g_mime_message_get_mime_part(m)));
	g_object_unref(m);
	g_ptr_array_unref(v);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("outbox");
	TCase *tc = tcase_create("outbox");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, forms_queued_once);
	tcase_add_test(tc, message_id_is_stable);
	tcase_add_test(tc, deliver_retries_then_fails);
	tcase_add_test(tc, acks_follow_the_rules);
	tcase_add_test(tc, reminders_on_schedule);
	tcase_add_test(tc, digest_once_a_day);
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
