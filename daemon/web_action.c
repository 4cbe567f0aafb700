/*
 * web_action.c — what the page's buttons do: the consolidated workbook
 * made on request, a stored file handed back, a reply assigned to a
 * respondent, a submission approved or rejected.  Each change goes in
 * the event log with the user who made it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "consolidated.h"
#include "intake.h"
#include "log.h"
#include "mailout.h"
#include "web_int.h"

#define WEB_XLSX_TYPE	"application/vnd.openxmlformats-officedocument." \
			"spreadsheetml.sheet"

/* Writes the workbook in a private folder; the open file outlives it. */
static int
workbook_make(struct store *st, const struct survey *sv, char *err,
    size_t errlen)
{
	struct consolidated_request req = { NULL, NULL, EXPORT_HEADINGS_CODE,
	    0 };
	char *dir, *path;
	int fd = -1;

	if ((dir = g_dir_make_tmp("surveyd-web-XXXXXX", NULL)) == NULL) {
		g_snprintf(err, errlen, "no temporary folder: %s",
		    strerror(errno));
		return -1;
	}
	path = g_build_filename(dir, "workbook.xlsx", NULL);
	req.xlsx = path;
	if (consolidated_write(st, sv, &req, err, errlen) == 0 &&
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		g_snprintf(err, errlen, "%s: %s", path, strerror(errno));
	g_unlink(path);
	g_rmdir(dir);
	g_free(path);
	g_free(dir);
	return fd;
}

enum MHD_Result
web_action_workbook(struct web_request *r, const struct survey *sv)
{
	char err[1024], *name;
	enum MHD_Result rc;
	int fd;

	if ((fd = workbook_make(r->ctx.store, sv, err, sizeof(err))) == -1) {
		log_err("web: workbook of %s: %s", sv->id, err);
		return web_reply_failed(r);
	}
	web_event(r, sv->id, NULL, 0, "workbook", NULL);
	name = g_strdup_printf("tong-hop-%s.xlsx", sv->id);
	rc = web_reply_file(r, fd, WEB_XLSX_TYPE, name);
	g_free(name);
	return rc;
}

/*
 * The archived file (or the mail it came in) of a submission: the path
 * comes from the store, looked up by the number, never from the URL.
 */
enum MHD_Result
web_action_file(struct web_request *r, gint64 id, int mail)
{
	struct submission *sub;
	char *path = NULL, *name;
	enum MHD_Result rc;
	int fd;

	if ((sub = store_submission_load(r->ctx.store, id)) == NULL)
		return web_reply_page(r, MHD_HTTP_NOT_FOUND, PT_NOT_FOUND);
	path = mail ? store_submission_mail_path(r->ctx.store, id) :
	    store_raw_path(r->ctx.store, sub->sha256);
	if (path == NULL || (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (path != NULL)
			log_err("web: submission %" G_GINT64_FORMAT ": %s: %s",
			    id, path, strerror(errno));
		g_free(path);
		submission_free(sub);
		return web_reply_page(r, MHD_HTTP_NOT_FOUND, PT_NOT_FOUND);
	}
	if (mail)
		name = g_strdup_printf("submission-%" G_GINT64_FORMAT ".eml",
		    id);
	else
		name = g_strdup(sub->filename ? sub->filename : "submission");
	/* Never shown inline: a respondent's file is not our page. */
	rc = web_reply_file(r, fd, "application/octet-stream", name);
	g_free(name);
	g_free(path);
	submission_free(sub);
	return rc;
}

/* The submission named by the form, when it belongs to the survey. */
static struct submission *
action_submission(struct web_request *r, const struct survey *sv)
{
	const char *v = web_form(r, "submission");
	struct submission *sub;
	char *end;
	gint64 id;

	if (v == NULL || (id = g_ascii_strtoll(v, &end, 10)) <= 0 ||
	    *end != '\0')
		return NULL;
	if ((sub = store_submission_load(r->ctx.store, id)) != NULL &&
	    strcmp(sub->survey, sv->id) != 0) {
		submission_free(sub);
		sub = NULL;
	}
	return sub;
}

/* Back to the respondent's page, or to the strays, saying it is done. */
static enum MHD_Result
action_done(struct web_request *r, const struct survey *sv,
    const struct submission *sub)
{
	GString *to = g_string_new(NULL);
	enum MHD_Result rc;

	if (sub->respondent != NULL)
		page_href_respondent(to, sv, sub->respondent);
	else
		page_href_survey(to, sv, "/unmatched");
	g_string_append_printf(to, "?done=1#sub-%" G_GINT64_FORMAT, sub->id);
	rc = web_reply_redirect(r, to->str, NULL);
	g_string_free(to, TRUE);
	return rc;
}

/* As `surveyd assign` does: the file read again as that respondent's. */
enum MHD_Result
web_action_assign(struct web_request *r, const struct survey *sv)
{
	const char *code = web_form(r, "respondent");
	struct submission *sub;
	struct intake in;
	enum MHD_Result rc;
	char *detail;

	if ((sub = action_submission(r, sv)) == NULL || code == NULL ||
	    roster_find(sv->roster, code) == NULL ||
	    strcmp(sub->state, "not-a-form") == 0) {
		submission_free(sub);
		return web_reply_page(r, MHD_HTTP_BAD_REQUEST, PT_NOT_FOUND);
	}
	intake_init(&in, r->w->config, r->ctx.store, r->now);
	if (intake_submission_redo(&in, sv, sub, code) == -1) {
		intake_clear(&in);
		submission_free(sub);
		return web_reply_failed(r);
	}
	intake_clear(&in);
	detail = g_strdup_printf("to %s: %s", code, sub->state);
	web_event(r, sv->id, code, sub->id, "assign", detail);
	g_free(detail);
	rc = action_done(r, sv, sub);
	submission_free(sub);
	return rc;
}

static int
review_record(struct web_request *r, const struct survey *sv,
    const struct submission *sub, const char *state, const char *note)
{
	struct store *st = r->ctx.store;
	char *actor = web_actor(r), *detail;
	int rc = -1;

	detail = g_strconcat(state, note ? ": " : "", note, NULL);
	if (store_begin(st) == 0) {
		if (store_review_set(st, sub->id, state, note, actor,
		    r->now) == 0 && store_event_add(st, r->now, sv->id,
		    sub->respondent, sub->id, "review", actor, detail) == 0)
			rc = store_commit(st);
		else
			store_rollback(st);
	}
	if (rc == -1)
		log_err("web: review of submission %" G_GINT64_FORMAT ": %s",
		    sub->id, store_error(st));
	g_free(detail);
	g_free(actor);
	return rc;
}

static int
review_note_valid(const char *note)
{
	return note == NULL || (g_utf8_validate(note, -1, NULL) &&
	    g_utf8_strlen(note, -1) <= WEB_NOTE_MAX);
}

enum MHD_Result
web_action_review(struct web_request *r, const struct survey *sv)
{
	const char *state = web_form(r, "state"), *note = web_form(r, "note");
	struct submission *sub;
	enum MHD_Result rc;

	if (note != NULL && *note == '\0')
		note = NULL;
	if ((sub = action_submission(r, sv)) == NULL || state == NULL ||
	    !review_note_valid(note) ||
	    (strcmp(state, STORE_REVIEW_APPROVED) != 0 &&
	    strcmp(state, STORE_REVIEW_REJECTED) != 0)) {
		submission_free(sub);
		return web_reply_page(r, MHD_HTTP_BAD_REQUEST, PT_NOT_FOUND);
	}
	if (review_record(r, sv, sub, state, note) == -1)
		rc = web_reply_failed(r);
	else
		rc = action_done(r, sv, sub);
	submission_free(sub);
	return rc;
}

enum MHD_Result
web_action_mail(struct web_request *r, const struct survey *sv,
    const char *code, const char *what)
{
	const struct respondent *resp = roster_find(sv->roster, code);
	GString *to;
	enum MHD_Result rc;
	int n;

	if (resp == NULL)
		return web_reply_page(r, MHD_HTTP_NOT_FOUND, PT_NOT_FOUND);
	/* The running daemon sends it on its next round, under the rules. */
	n = strcmp(what, "resend") == 0 ? mailout_form_resend(r->ctx.store,
	    r->w->config, sv, r->now, code) : mailout_reminders(r->ctx.store,
	    r->w->config, sv, r->now, code, 0, NULL);
	if (n == -1)
		return web_reply_failed(r);
	web_event(r, sv->id, code, 0, strcmp(what, "resend") == 0 ?
	    "resend-form" : "remind", n > 0 ? "queued" : "not due: the "
	    "schedule's rules say no (answered, 24 h gap, window)");
	to = g_string_new(NULL);
	page_href_respondent(to, sv, code);
	g_string_append(to, n > 0 ? "?done=1#outbox" : "?done=0#outbox");
	rc = web_reply_redirect(r, to->str, NULL);
	g_string_free(to, TRUE);
	return rc;
}
