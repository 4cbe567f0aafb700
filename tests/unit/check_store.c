/*
 * check_store.c — the store: schema, tokens, idempotent submissions, the
 * answer and state semantics of status, backup, and two writers at once.
 */
#include <sys/wait.h>

#include <string.h>
#include <unistd.h>

#include <check.h>

#include "store.h"
#include "testutil.h"

static char *dir, *dbpath;
static struct store *st;
static struct roster *ro;

static void
setup(void)
{
	char err[600];

	dir = tu_tmpdir();
	dbpath = g_build_filename(dir, "s.db", NULL);
	st = store_open(dbpath, err, sizeof(err));
	ck_assert_msg(st != NULL, "%s", err);
	ro = tu_roster(dir);
	ck_assert_int_eq(store_respondents_sync(st, "t", ro), 0);
}

static void
teardown(void)
{
	store_close(st);
	roster_free(ro);
	tu_cleanup(dir);
	g_free(dbpath);
}

static gint64
add(const char *sha, const char *respondent, const char *state,
    gint64 received, int *dup)
{
	struct submission *sub = submission_new();
	gint64 id;

	sub->survey = g_strdup("t");
	sub->sha256 = g_strdup(sha);
	sub->respondent = g_strdup(respondent);
	sub->state = g_strdup(state);
	sub->source = g_strdup("file");
	sub->received = received;
	submission_answer_add(sub, "count", "12", "E5");
	issues_add(&sub->issues, "vi", ISSUE_REQUIRED, "has_rule", "E10",
	    "Có quy chế", "E10");
	ck_assert_int_eq(store_begin(st), 0);
	ck_assert_int_eq(store_submission_add(st, sub, dup), 0);
	ck_assert_int_eq(store_commit(st), 0);
	id = sub->id;
	submission_free(sub);
	return id;
}

START_TEST(tokens_are_stable)
{
	char *t1 = store_respondent_token(st, "t", "24"), *t2, *code;

	ck_assert_uint_eq(strlen(t1), 32);
	ck_assert_int_eq(store_respondents_sync(st, "t", ro), 0);
	t2 = store_respondent_token(st, "t", "24");
	ck_assert_str_eq(t1, t2);
	code = store_token_respondent(st, "t", t1);
	ck_assert_str_eq(code, "24");
	g_free(code);
	ck_assert_ptr_null(store_token_respondent(st, "t", "nope"));
	g_free(t1);
	g_free(t2);
}
END_TEST

START_TEST(same_file_twice_is_one_submission)
{
	int dup;
	gint64 a = add("aaa", "24", "accepted", 100, &dup), b;
	struct submission *sub;

	ck_assert(!dup);
	b = add("aaa", "24", "accepted", 200, &dup);
	ck_assert(dup);
	ck_assert_int_eq(a, b);
	sub = store_submission_load(st, a);
	ck_assert_str_eq(sub->respondent, "24");
	ck_assert_uint_eq(sub->answers->len, 1);
	ck_assert_uint_eq(sub->issues.v->len, 1);
	ck_assert_int_eq(((struct issue *)sub->issues.v->pdata[0])->code,
	    ISSUE_REQUIRED);
	submission_free(sub);
}
END_TEST

START_TEST(answer_is_latest_accepted)
{
	struct respondent_status rs;
	gint64 first, second;
	int dup;

	ck_assert_int_eq(store_respondent_status(st, "t", "24", &rs), 0);
	ck_assert_str_eq(rs.state, "pending");
	ck_assert_int_eq(rs.answer, 0);
	respondent_status_clear(&rs);
	first = add("s1", "24", "accepted", 100, &dup);
	second = add("s2", "24", "invalid", 200, &dup);
	ck_assert_int_eq(store_respondent_status(st, "t", "24", &rs), 0);
	/* The state is the latest reply's; the answer the latest accepted. */
	ck_assert_str_eq(rs.state, "invalid");
	ck_assert_int_eq(rs.answer, first);
	ck_assert_int_eq(rs.latest, second);
	ck_assert_int_eq(rs.submissions, 2);
	ck_assert_int_eq(rs.last_reply, 200);
	respondent_status_clear(&rs);
	/* Imported later but received earlier: it does not supersede. */
	add("s0", "24", "accepted", 50, &dup);
	ck_assert_int_eq(store_respondent_status(st, "t", "24", &rs), 0);
	ck_assert_int_eq(rs.answer, first);
	respondent_status_clear(&rs);
}
END_TEST

START_TEST(unmatched_newest_first)
{
	GArray *ids;
	int dup;
	gint64 a = add("u1", NULL, "unmatched", 100, &dup);
	gint64 b = add("u2", NULL, "not-a-form", 300, &dup);

	add("m1", "01", "accepted", 200, &dup);
	ids = store_unmatched_ids(st, "t");
	ck_assert_uint_eq(ids->len, 2);
	ck_assert_int_eq(g_array_index(ids, gint64, 0), b);
	ck_assert_int_eq(g_array_index(ids, gint64, 1), a);
	g_array_unref(ids);
}
END_TEST

START_TEST(backup_is_a_database)
{
	char *copy = g_build_filename(dir, "copy.db", NULL), err[600];
	struct store *c;
	struct submission *sub;
	int dup;
	gint64 id = add("b1", "14", "accepted", 1, &dup);

	ck_assert_int_eq(store_backup(st, copy), 0);
	c = store_open(copy, err, sizeof(err));
	ck_assert_ptr_nonnull(c);
	sub = store_submission_load(c, id);
	ck_assert_str_eq(sub->respondent, "14");
	submission_free(sub);
	store_close(c);
	g_free(copy);
}
END_TEST

/*
 * Another process holds a write transaction for a while; our write waits
 * for it (busy_timeout) instead of failing, and both land.
 */
START_TEST(two_writers)
{
	struct store *other;
	pid_t pid;
	int status, dup;
	char err[600];

	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		int d;
		other = store_open(dbpath, err, sizeof(err));
		if (other == NULL || store_begin(other) == -1)
			_exit(1);
		store_event_add(other, 1, "t", NULL, 0, "test", "child", NULL);
		usleep(500 * 1000);
		d = store_commit(other);
		store_close(other);
		_exit(d == 0 ? 0 : 1);
	}
	usleep(100 * 1000);
	add("w1", "01", "accepted", 1, &dup);
	ck_assert(!dup);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, tokens_are_stable);
	tcase_add_test(tc, same_file_twice_is_one_submission);
	tcase_add_test(tc, answer_is_latest_accepted);
	tcase_add_test(tc, unmatched_newest_first);
	tcase_add_test(tc, backup_is_a_database);
	tcase_add_test(tc, two_writers);
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
