/*
 * check_web.c — the secretary's page's security pieces: HTML escaping,
 * sessions and CSRF tokens, the login lock-out, password hashes and the
 * users file.
 */
#include <sys/stat.h>

#include <string.h>

#include <check.h>

#include "htmlout.h"
#include "session.h"
#include "store.h"
#include "testutil.h"
#include "users.h"

#define IDLE	SESSION_IDLE_SECONDS
#define ERRLEN	600

static void
escaped_is(const char *in, const char *want)
{
	GString *out = g_string_new(NULL);

	html_text(out, in);
	ck_assert_str_eq(out->str, want);
	g_string_free(out, TRUE);
}

START_TEST(html_escaping)
{
	escaped_is("<script>alert('x')</script>",
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	escaped_is("\" onmouseover=\"x", "&quot; onmouseover=&quot;x");
	escaped_is("Sở KH&CN", "Sở KH&amp;CN");
	escaped_is("Hà Nội", "Hà Nội");
	escaped_is("", "");
	escaped_is(NULL, "");
}
END_TEST

START_TEST(url_parts)
{
	GString *out = g_string_new(NULL);

	html_url_part(out, "a b/../ü?x=1&y");
	ck_assert_str_eq(out->str, "a%20b%2F..%2F%C3%BC%3Fx%3D1%26y");
	g_string_free(out, TRUE);
}
END_TEST

START_TEST(tokens)
{
	char a[SESSION_TOKEN_LEN], b[SESSION_TOKEN_LEN];

	session_token_new(a);
	session_token_new(b);
	ck_assert_uint_eq(strlen(a), 64);
	ck_assert_uint_eq(strspn(a, "0123456789abcdef"), 64);
	ck_assert_str_ne(a, b);
	ck_assert(session_token_equal(a, a));
	ck_assert(!session_token_equal(a, b));
	ck_assert(!session_token_equal(a, NULL));
	ck_assert(!session_token_equal(NULL, NULL));
	/* A prefix is not the token, nor is the empty string. */
	b[0] = '\0';
	ck_assert(!session_token_equal(a, b));
	memcpy(b, a, 32);
	b[32] = '\0';
	ck_assert(!session_token_equal(a, b));
}
END_TEST

START_TEST(sessions_life)
{
	struct sessions *ss = sessions_new();
	struct session s, s2;
	char id[SESSION_TOKEN_LEN], id2[SESSION_TOKEN_LEN];
	gint64 t = 1000000;

	ck_assert_int_eq(sessions_create(ss, "thu-ky", t, id), 0);
	ck_assert_int_eq(sessions_create(ss, "admin", t, id2), 0);
	ck_assert_int_eq(sessions_lookup(ss, id, t + 10, &s), 0);
	ck_assert_str_eq(s.user, "thu-ky");
	ck_assert_uint_eq(strlen(s.csrf), 64);
	ck_assert_int_eq(sessions_lookup(ss, id2, t + 10, &s2), 0);
	ck_assert_str_ne(s.csrf, s2.csrf);
	ck_assert_str_ne(s.csrf, id);
	ck_assert_int_eq(sessions_lookup(ss, "nope", t, &s), -1);
	ck_assert_int_eq(sessions_lookup(ss, NULL, t, &s), -1);
	/* Use keeps a session alive; idleness ends it. */
	ck_assert_int_eq(sessions_lookup(ss, id, t + IDLE, &s), 0);
	ck_assert_int_eq(sessions_lookup(ss, id2, t + 10 + IDLE + 1, &s2), -1);
	sessions_remove(ss, id);
	ck_assert_int_eq(sessions_lookup(ss, id, t + IDLE, &s), -1);
	sessions_free(ss);
}
END_TEST

START_TEST(lock_out)
{
	struct sessions *ss = sessions_new();
	gint64 t = 5000;
	int i;

	for (i = 0; i < SESSION_LOCK_FAILURES - 1; i++)
		sessions_failure_add(ss, "thu-ky", "10.0.0.1", t);
	ck_assert(!sessions_locked(ss, "thu-ky", "10.0.0.1", t));
	sessions_failure_add(ss, "thu-ky", "10.0.0.1", t);
	ck_assert(sessions_locked(ss, "thu-ky", "10.0.0.1", t));
	/* Per name and address: the office's other machine may still try. */
	ck_assert(!sessions_locked(ss, "thu-ky", "10.0.0.2", t));
	ck_assert(!sessions_locked(ss, "admin", "10.0.0.1", t));
	ck_assert(sessions_locked(ss, "thu-ky", "10.0.0.1",
	    t + SESSION_LOCK_SECONDS - 1));
	ck_assert(!sessions_locked(ss, "thu-ky", "10.0.0.1",
	    t + SESSION_LOCK_SECONDS));
	/* After the lock, a clean slate: one failure does not lock again. */
	t += SESSION_LOCK_SECONDS;
	sessions_failure_add(ss, "thu-ky", "10.0.0.1", t);
	ck_assert(!sessions_locked(ss, "thu-ky", "10.0.0.1", t));
	/* A success forgets the failures. */
	for (i = 0; i < SESSION_LOCK_FAILURES - 2; i++)
		sessions_failure_add(ss, "thu-ky", "10.0.0.1", t);
	sessions_failure_clear(ss, "thu-ky", "10.0.0.1");
	sessions_failure_add(ss, "thu-ky", "10.0.0.1", t);
	ck_assert(!sessions_locked(ss, "thu-ky", "10.0.0.1", t));
	sessions_free(ss);
}
END_TEST

START_TEST(password_hashes)
{
	char err[256], *h, *h2;

	h = users_password_hash("mật khẩu dài", err, sizeof(err));
	ck_assert_msg(h != NULL, "%s", err);
	ck_assert(g_str_has_prefix(h, "$y$"));
	h2 = users_password_hash("mật khẩu dài", err, sizeof(err));
	ck_assert_str_ne(h, h2);	/* salted */
	ck_assert(users_hash_verify(h, "mật khẩu dài"));
	ck_assert(users_hash_verify(h2, "mật khẩu dài"));
	ck_assert(!users_hash_verify(h, "mật khẩu dai"));
	ck_assert(!users_hash_verify(h, ""));
	ck_assert(!users_hash_verify("", "x"));
	ck_assert(!users_hash_verify("*", "x"));
	ck_assert(!users_hash_verify("$y$garbage", "x"));
	/* bcrypt hashes written by other tools (htpasswd -B) verify too. */
	ck_assert(users_hash_verify("$2b$05$CCCCCCCCCCCCCCCCCCCCC."
	    "E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U"));
	g_free(h);
	g_free(h2);
}
END_TEST

START_TEST(names)
{
	ck_assert(users_name_valid("thu-ky"));
	ck_assert(users_name_valid("van.phong_2"));
	ck_assert(!users_name_valid(""));
	ck_assert(!users_name_valid("a:b"));
	ck_assert(!users_name_valid("a\nb"));
	ck_assert(!users_name_valid("thư-ký"));
	ck_assert(!users_name_valid("0123456789012345678901234567890123456789"
	    "01234567890123456789012345"));
}
END_TEST

START_TEST(users_file)
{
	char *dir = tu_tmpdir(), *path = g_build_filename(dir, "users", NULL);
	char err[ERRLEN], *h1, *h2, *text, **lines;
	struct stat sb;

	ck_assert_int_eq(users_password_check(path, "a", "x", err,
	    sizeof(err)), -1);
	h1 = users_password_hash("first-password", err, sizeof(err));
	h2 = users_password_hash("second-password", err, sizeof(err));
	ck_assert_int_eq(users_file_set(path, "thu-ky", h1, err, ERRLEN), 0);
	ck_assert_int_eq(users_file_set(path, "admin", h1, err, ERRLEN), 0);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(users_password_check(path, "thu-ky", "first-password",
	    err, sizeof(err)), 1);
	/* A new password replaces the old one; other users stay. */
	ck_assert_int_eq(users_file_set(path, "thu-ky", h2, err, ERRLEN), 0);
	ck_assert_int_eq(users_password_check(path, "thu-ky", "first-password",
	    err, sizeof(err)), 0);
	ck_assert_int_eq(users_password_check(path, "thu-ky", "second-password",
	    err, sizeof(err)), 1);
	ck_assert_int_eq(users_password_check(path, "admin", "first-password",
	    err, sizeof(err)), 1);
	ck_assert_int_eq(users_password_check(path, "nobody", "first-password",
	    err, sizeof(err)), 0);
	/* A name that is a prefix of another is another name. */
	ck_assert_int_eq(users_password_check(path, "thu", "second-password",
	    err, sizeof(err)), 0);
	ck_assert(g_file_get_contents(path, &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	ck_assert_int_eq(g_strv_length(lines), 3);	/* two lines and "" */
	g_strfreev(lines);
	g_free(text);
	g_free(h1);
	g_free(h2);
	g_free(path);
	tu_cleanup(dir);
}
END_TEST

static void
submission_put(struct store *st, const char *sha, const char *who,
    const char *state, gint64 received)
{
	struct submission *sub = submission_new();
	int dup;

	sub->survey = g_strdup("t");
	sub->sha256 = g_strdup(sha);
	sub->respondent = g_strdup(who);
	sub->state = g_strdup(state);
	sub->source = g_strdup("file");
	sub->received = received;
	if (strcmp(state, "accepted") != 0)
		issues_add_raw(&sub->issues, ISSUE_REQUIRED, "count", "E5",
		    sha);
	ck_assert_int_eq(store_begin(st), 0);
	ck_assert_int_eq(store_submission_add(st, sub, &dup), 0);
	ck_assert_int_eq(store_commit(st), 0);
	submission_free(sub);
}

/* The table's one-pass figures agree with status's per-respondent ones. */
START_TEST(survey_status_agrees)
{
	char *dir = tu_tmpdir(), *db = g_build_filename(dir, "s.db", NULL);
	struct roster *ro = tu_roster(dir);
	struct respondent_status one;
	const struct survey_status_row *row;
	const struct issue *is;
	struct store *st;
	GHashTable *all;
	char err[600];
	guint i;

	st = store_open(db, err, sizeof(err));
	ck_assert_msg(st != NULL, "%s", err);
	ck_assert_int_eq(store_respondents_sync(st, "t", ro), 0);
	/* 01: an answer, then a later invalid reply; 24: incomplete twice,
	 * the later one imported first; 14: nothing. */
	submission_put(st, "a1", "01", "accepted", 100);
	submission_put(st, "a2", "01", "invalid", 200);
	submission_put(st, "b2", "24", "incomplete", 300);
	submission_put(st, "b1", "24", "incomplete", 250);
	submission_put(st, "x", NULL, "unmatched", 400);
	all = store_survey_status(st, "t");
	ck_assert_ptr_nonnull(all);
	ck_assert_uint_eq(g_hash_table_size(all), 2);
	for (i = 0; i < ro->n; i++) {
		store_respondent_status(st, "t", ro->v[i].code, &one);
		row = g_hash_table_lookup(all, ro->v[i].code);
		if (one.latest == 0)
			ck_assert_ptr_null(row);
		else {
			ck_assert_int_eq(row->st.latest, one.latest);
			ck_assert_int_eq(row->st.answer, one.answer);
			ck_assert_int_eq(row->st.submissions, one.submissions);
			ck_assert_int_eq(row->st.first_reply, one.first_reply);
			ck_assert_int_eq(row->st.last_reply, one.last_reply);
			ck_assert_str_eq(row->st.state, one.state);
			ck_assert_uint_eq(row->issues.v->len, 1);
		}
		respondent_status_clear(&one);
	}
	row = g_hash_table_lookup(all, "24");
	is = row->issues.v->pdata[0];
	ck_assert_str_eq(is->message, "b2");
	g_hash_table_unref(all);
	store_close(st);
	roster_free(ro);
	g_free(db);
	tu_cleanup(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("web");
	TCase *tc = tcase_create("web");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, html_escaping);
	tcase_add_test(tc, url_parts);
	tcase_add_test(tc, tokens);
	tcase_add_test(tc, sessions_life);
	tcase_add_test(tc, lock_out);
	tcase_add_test(tc, password_hashes);
	tcase_add_test(tc, names);
	tcase_add_test(tc, users_file);
	tcase_add_test(tc, survey_status_agrees);
	suite_add_tcase(s, tc);
	return test_suite_run(s);
}
