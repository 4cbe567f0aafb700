/*
 * cmd_status.c — `surveyd status [--survey ID] [--json]`: who has answered,
 * who has not, and what is wrong; a table for people, JSON for programs
 * (the shape is DESIGN's contract).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "cmd.h"
#include "json.h"
#include "log.h"

static void
json_time(GString *out, gint64 t, GTimeZone *tz)
{
	char *s;

	if (t == 0) {
		g_string_append(out, "null");
		return;
	}
	s = clock_format(t, tz);
	json_string(out, s);
	g_free(s);
}

static void
json_flags(GString *out, const char *flags)
{
	char **v = g_strsplit(flags, " ", -1), **p;
	int first = 1;

	g_string_append_c(out, '[');
	for (p = v; *p != NULL; p++) {
		if (**p == '\0')
			continue;
		if (!first)
			g_string_append_c(out, ',');
		first = 0;
		json_string(out, *p);
	}
	g_string_append_c(out, ']');
	g_strfreev(v);
}

static void
json_issues(GString *out, const struct issues *is)
{
	const struct issue *i;
	guint k;
	int first;

	g_string_append_c(out, '[');
	for (k = 0; k < is->v->len; k++) {
		i = is->v->pdata[k];
		if (k > 0)
			g_string_append_c(out, ',');
		first = 1;
		g_string_append_c(out, '{');
		json_key(out, &first, "field");
		json_string(out, i->field);
		json_key(out, &first, "cell");
		json_string(out, i->cell);
		json_key(out, &first, "message");
		json_string(out, i->message);
		g_string_append_c(out, '}');
	}
	g_string_append_c(out, ']');
}

/* The respondent's mails, oldest first: what went and what became of it. */
static void
json_mails(GString *out, struct store *st, const struct survey *sv,
    const char *code)
{
	GPtrArray *mails = store_respondent_mails(st, sv->id, code);
	const struct outbox_row *m;
	guint i;
	int first;

	g_string_append_c(out, '[');
	for (i = 0; mails != NULL && i < mails->len; i++) {
		m = mails->pdata[i];
		first = 1;
		g_string_append(out, i ? ",{" : "{");
		json_key(out, &first, "kind");
		json_string(out, m->kind);
		json_key(out, &first, "step");
		json_string(out, m->step);
		json_key(out, &first, "state");
		json_string(out, m->state);
		json_key(out, &first, "sent");
		json_time(out, m->sent, sv->tz);
		json_key(out, &first, "error");
		json_string(out, m->error);
		g_string_append_c(out, '}');
	}
	g_string_append_c(out, ']');
	if (mails != NULL)
		g_ptr_array_unref(mails);
}

static void
json_respondent(GString *out, struct store *st, const struct survey *sv,
    const struct respondent *r)
{
	struct respondent_status rs;
	struct submission *latest = NULL;
	int first = 1;

	store_respondent_status(st, sv->id, r->code, &rs);
	if (rs.latest != 0)
		latest = store_submission_load(st, rs.latest);
	g_string_append_c(out, '{');
	json_key(out, &first, "code");
	json_string(out, r->code);
	json_key(out, &first, "name");
	json_string(out, r->name);
	json_key(out, &first, "region");
	json_string(out, r->region);
	json_key(out, &first, "state");
	json_string(out, rs.state);
	json_key(out, &first, "answer");
	if (rs.answer != 0)
		g_string_append_printf(out, "%" G_GINT64_FORMAT, rs.answer);
	else
		g_string_append(out, "null");
	json_key(out, &first, "submissions");
	g_string_append_printf(out, "%" G_GINT64_FORMAT, rs.submissions);
	json_key(out, &first, "reminders_sent");
	g_string_append_printf(out, "%" G_GINT64_FORMAT, rs.reminders_sent);
	json_key(out, &first, "last_reply");
	json_time(out, rs.last_reply, sv->tz);
	json_key(out, &first, "flags");
	json_flags(out, rs.flags);
	json_key(out, &first, "issues");
	if (latest != NULL)
		json_issues(out, &latest->issues);
	else
		g_string_append(out, "[]");
	json_key(out, &first, "mails");
	json_mails(out, st, sv, r->code);
	g_string_append_c(out, '}');
	submission_free(latest);
	respondent_status_clear(&rs);
}

static void
json_unmatched(GString *out, const struct submission *sub, GTimeZone *tz)
{
	int first = 1;

	g_string_append_c(out, '{');
	json_key(out, &first, "submission");
	g_string_append_printf(out, "%" G_GINT64_FORMAT, sub->id);
	json_key(out, &first, "from");
	json_string(out, sub->sender);
	json_key(out, &first, "subject");
	json_string(out, sub->subject);
	json_key(out, &first, "file");
	json_string(out, sub->filename);
	json_key(out, &first, "received");
	json_time(out, sub->received, tz);
	json_key(out, &first, "state");
	json_string(out, sub->state);
	json_key(out, &first, "issues");
	json_issues(out, &sub->issues);
	g_string_append_c(out, '}');
}

static void
status_json(struct store *st, const struct survey *sv)
{
	GString *out = g_string_new("{\"survey\":");
	struct submission *sub;
	GArray *ids;
	guint i;

	json_string(out, sv->id);
	g_string_append(out, ",\"respondents\":[");
	for (i = 0; i < sv->roster->n; i++) {
		if (i > 0)
			g_string_append_c(out, ',');
		json_respondent(out, st, sv, &sv->roster->v[i]);
	}
	g_string_append(out, "],\"unmatched\":[");
	ids = store_unmatched_ids(st, sv->id);
	for (i = 0; i < ids->len; i++) {
		if ((sub = store_submission_load(st,
		    g_array_index(ids, gint64, i))) == NULL)
			continue;
		if (i > 0)
			g_string_append_c(out, ',');
		json_unmatched(out, sub, sv->tz);
		submission_free(sub);
	}
	g_array_unref(ids);
	g_string_append(out, "]}\n");
	fputs(out->str, stdout);
	g_string_free(out, TRUE);
}

/* Pads a UTF-8 string to a width in characters, as printf cannot. */
static void
cell_print(const char *s, int width)
{
	glong n = g_utf8_strlen(s, -1);

	fputs(s, stdout);
	for (; n < width; n++)
		fputc(' ', stdout);
	fputc(' ', stdout);
}

/* Mails that did not go through, under the respondent's row. */
static void
mails_print(struct store *st, const struct survey *sv, const char *code)
{
	GPtrArray *mails = store_respondent_mails(st, sv->id, code);
	const struct outbox_row *m;
	guint i;

	for (i = 0; mails != NULL && i < mails->len; i++) {
		m = mails->pdata[i];
		if (m->error != NULL && strcmp(m->state, "skipped") != 0)
			printf("       mail %s %s: %s: %s\n", m->kind, m->step,
			    m->state, m->error);
	}
	if (mails != NULL)
		g_ptr_array_unref(mails);
}

static void
status_table_row(struct store *st, const struct survey *sv,
    const struct respondent *r, guint *answered)
{
	struct respondent_status rs;
	struct submission *latest = NULL;
	char *when = NULL, num[32];
	guint i;

	store_respondent_status(st, sv->id, r->code, &rs);
	*answered += rs.answer != 0;
	if (rs.latest != 0)
		latest = store_submission_load(st, rs.latest);
	if (rs.last_reply != 0)
		when = clock_format(rs.last_reply, sv->tz);
	cell_print(r->code, 6);
	cell_print(r->name, 22);
	cell_print(rs.state, 11);
	g_snprintf(num, sizeof(num), "%" G_GINT64_FORMAT, rs.answer);
	cell_print(rs.answer ? num : "-", 7);
	g_snprintf(num, sizeof(num), "%" G_GINT64_FORMAT, rs.submissions);
	cell_print(num, 5);
	g_snprintf(num, sizeof(num), "%" G_GINT64_FORMAT, rs.reminders_sent);
	cell_print(num, 5);
	cell_print(when ? when : "-", 25);
	fputs(rs.flags, stdout);
	fputc('\n', stdout);
	for (i = 0; latest != NULL && i < latest->issues.v->len; i++)
		printf("       %s\n",
		    ((struct issue *)latest->issues.v->pdata[i])->message);
	mails_print(st, sv, r->code);
	g_free(when);
	submission_free(latest);
	respondent_status_clear(&rs);
}

/* Why a reply is unattributed: its rejection, else its first issue. */
static const struct issue *
reason_of(const struct issues *l)
{
	const struct issue *is;
	guint i;

	for (i = 0; i < l->v->len; i++) {
		is = l->v->pdata[i];
		if (issue_code_weight(is->code) == ISSUE_REJECTED)
			return is;
	}
	return l->v->len > 0 ? l->v->pdata[0] : NULL;
}

static void
status_table(struct store *st, const struct survey *sv)
{
	const struct issue *is;
	struct submission *sub;
	GArray *ids;
	guint i, answered = 0;

	cell_print("code", 6);
	cell_print("name", 22);
	cell_print("state", 11);
	cell_print("answer", 7);
	cell_print("subm", 5);
	cell_print("rem", 5);
	cell_print("last reply", 25);
	fputs("flags\n", stdout);
	for (i = 0; i < sv->roster->n; i++)
		status_table_row(st, sv, &sv->roster->v[i], &answered);
	ids = store_unmatched_ids(st, sv->id);
	printf("\n%s: %u respondents, %u answered, %u unmatched or "
	    "unreadable\n", sv->id, sv->roster->n, answered, ids->len);
	for (i = 0; i < ids->len; i++) {
		if ((sub = store_submission_load(st,
		    g_array_index(ids, gint64, i))) == NULL)
			continue;
		printf("  submission %" G_GINT64_FORMAT ": %s, %s%s%s\n",
		    sub->id, sub->state, sub->filename ? sub->filename : "?",
		    sub->sender ? " from " : "", sub->sender ? sub->sender : "");
		if ((is = reason_of(&sub->issues)) != NULL)
			printf("       %s\n", is->message);
		submission_free(sub);
	}
	g_array_unref(ids);
}

int
cmd_status(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "survey", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	const char *survey = NULL;
	struct survey *sv;
	int c, json = 0, rc;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 's': survey = optarg; break;
		case 'j': json = 1; break;
		default: return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		log_err("status: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	if ((rc = cmd_survey_open(env, survey, &sv)) != EXIT_OK)
		return rc;
	if (json)
		status_json(env->store, sv);
	else
		status_table(env->store, sv);
	return EXIT_OK;
}
