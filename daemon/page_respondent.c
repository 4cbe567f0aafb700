/*
 * page_respondent.c — one respondent: every submission with its values,
 * issues, original file, the mail it came in and its review; the mail
 * surveyd sent it.  Also the replies nobody claimed, each with a form to
 * say whose it is.
 */
#include <string.h>

#include "htmlout.h"
#include "page.h"

static const char *
lang_code(const struct page_ctx *ctx)
{
	return ctx->lang == PAGE_EN ? "en" : "vi";
}

/* A choice's label for a select answer; anything else as stored. */
static void
answer_value(GString *out, const struct page_ctx *ctx, const struct field *f,
    const char *value)
{
	const struct choice *c;
	char **names, **n;

	if (f == NULL || f->list == NULL) {
		html_text(out, value);
		return;
	}
	names = g_strsplit(value, " ", -1);
	for (n = names; *n != NULL; n++) {
		if (n != names)
			html_raw(out, "; ");
		c = choice_list_find(f->list, *n);
		html_text(out, c ? i18n_get(&c->label, lang_code(ctx)) : *n);
	}
	g_strfreev(names);
}

static void
submission_values(GString *out, const struct page_ctx *ctx,
    const struct survey *sv, const struct submission *sub)
{
	const struct answer *a;
	const struct field *f;
	guint i;

	if (sub->answers->len == 0)
		return;
	html_raw(out, "<table><thead><tr><th>");
	html_text(out, page_text(ctx->lang, PT_FIELD));
	html_raw(out, "</th><th>");
	html_text(out, page_text(ctx->lang, PT_VALUE));
	html_raw(out, "</th><th>");
	html_text(out, page_text(ctx->lang, PT_CELL));
	html_raw(out, "</th></tr></thead><tbody>");
	for (i = 0; i < sub->answers->len; i++) {
		a = sub->answers->pdata[i];
		f = sv->def ? definition_field_find(sv->def, a->field) : NULL;
		html_raw(out, "<tr><td>");
		html_text(out, f ? i18n_get(&f->label, lang_code(ctx)) :
		    a->field);
		html_raw(out, "</td><td>");
		answer_value(out, ctx, f, a->value);
		html_raw(out, "</td><td>");
		html_text(out, a->cell);
		html_raw(out, "</td></tr>");
	}
	html_raw(out, "</tbody></table>");
}

static void
submission_download(GString *out, gint64 id, const char *what,
    const char *text)
{
	html_raw(out, "<a class=\"button noprint\" href=\"/sub/");
	html_int(out, id);
	html_raw(out, what);
	html_raw(out, "\">");
	html_text(out, text);
	html_raw(out, "</a> ");
}

/* Where the file came from: its name, the mail's sender and subject. */
static void
submission_origin(GString *out, const struct page_ctx *ctx,
    const struct submission *sub)
{
	char *mail = store_submission_mail_path(ctx->store, sub->id);

	html_raw(out, "<p>");
	html_text(out, page_text(ctx->lang, PT_FILE));
	html_raw(out, ": <b>");
	html_text(out, sub->filename ? sub->filename : "?");
	html_raw(out, "</b>");
	if (sub->sender != NULL || sub->subject != NULL) {
		html_raw(out, "<br>");
		html_text(out, page_text(ctx->lang, PT_MAIL_IN));
		html_raw(out, " — ");
		html_text(out, page_text(ctx->lang, PT_FROM));
		html_raw(out, ": ");
		html_text(out, sub->sender);
		html_raw(out, "; ");
		html_text(out, page_text(ctx->lang, PT_SUBJECT));
		html_raw(out, ": ");
		html_text(out, sub->subject);
		if (sub->message_id != NULL) {
			html_raw(out, "; Message-ID: <code>");
			html_text(out, sub->message_id);
			html_raw(out, "</code>");
		}
	}
	html_raw(out, "</p><p>");
	submission_download(out, sub->id, "/file",
	    page_text(ctx->lang, PT_DOWNLOAD_FILE));
	if (mail != NULL)
		submission_download(out, sub->id, "/mail",
		    page_text(ctx->lang, PT_DOWNLOAD_MAIL));
	html_raw(out, "</p>");
	g_free(mail);
}

static void
review_button(GString *out, const struct page_ctx *ctx, const char *state,
    enum page_str text, const char *class)
{
	html_raw(out, "<button type=\"submit\" name=\"state\" value=\"");
	html_raw(out, state);
	html_raw(out, "\" class=\"");
	html_raw(out, class);
	html_raw(out, "\">");
	html_text(out, page_text(ctx->lang, text));
	html_raw(out, "</button>");
}

static void
submission_review(GString *out, const struct page_ctx *ctx,
    const struct survey *sv, const struct submission *sub)
{
	struct review rv;

	store_review_get(ctx->store, sub->id, &rv);
	html_raw(out, "<p>");
	html_text(out, page_text(ctx->lang, PT_REVIEW));
	html_raw(out, ": ");
	page_state(out, ctx, rv.state);
	if (rv.actor != NULL) {
		html_raw(out, " ");
		html_text(out, page_text(ctx->lang, PT_REVIEWED_BY));
		html_raw(out, " ");
		html_text(out, rv.actor);
		html_raw(out, ", ");
		page_time(out, rv.time, sv->tz);
	}
	if (rv.note != NULL) {
		html_raw(out, " — <i>");
		html_text(out, rv.note);
		html_raw(out, "</i>");
	}
	html_raw(out, "</p><form class=\"inline\" method=\"post\" action=\"");
	page_href_survey(out, sv, "/review");
	html_raw(out, "\">");
	page_csrf(out, ctx);
	html_raw(out, "<input type=\"hidden\" name=\"submission\" value=\"");
	html_int(out, sub->id);
	html_raw(out, "\"><input name=\"note\" maxlength=\"500\" size=\"40\" "
	    "placeholder=\"");
	html_text(out, page_text(ctx->lang, PT_NOTE));
	html_raw(out, "\" aria-label=\"");
	html_text(out, page_text(ctx->lang, PT_NOTE));
	html_raw(out, "\">");
	review_button(out, ctx, STORE_REVIEW_APPROVED, PT_APPROVE, "");
	review_button(out, ctx, STORE_REVIEW_REJECTED, PT_REJECT, "reject");
	html_raw(out, "</form>");
	review_clear(&rv);
}

/* "Phiếu 12 · 20/06/2023 10:00 [state]", opening a submission's section. */
static void
section_head(GString *out, const struct page_ctx *ctx, const struct survey *sv,
    const struct submission *sub)
{
	html_raw(out, "<section class=\"sub\" id=\"sub-");
	html_int(out, sub->id);
	html_raw(out, "\"><h2>");
	html_text(out, page_text(ctx->lang, PT_SUBMISSION));
	html_raw(out, " ");
	html_int(out, sub->id);
	html_raw(out, " · ");
	page_time(out, sub->received, sv->tz);
	html_raw(out, " ");
	page_state(out, ctx, sub->state);
}

static void
submission_section(GString *out, const struct page_ctx *ctx,
    const struct survey *sv, gint64 id, gint64 answer)
{
	struct submission *sub;

	if ((sub = store_submission_load(ctx->store, id)) == NULL)
		return;
	section_head(out, ctx, sv, sub);
	page_flags(out, ctx, sub->flags);
	if (id == answer) {
		html_raw(out, " <small>(");
		html_text(out, page_text(ctx->lang, PT_IN_USE));
		html_raw(out, ")</small>");
	}
	html_raw(out, "</h2>");
	submission_origin(out, ctx, sub);
	if (sub->issues.v->len == 0) {
		html_raw(out, "<p>");
		html_text(out, page_text(ctx->lang, PT_NO_ISSUES));
		html_raw(out, "</p>");
	}
	page_issues(out, ctx, &sub->issues);
	submission_review(out, ctx, sv, sub);
	submission_values(out, ctx, sv, sub);
	html_raw(out, "</section>");
	submission_free(sub);
}

static void
mail_row(GString *out, const struct page_ctx *ctx, const struct survey *sv,
    const struct outbox_row *m)
{
	html_raw(out, "<tr><td>");
	html_text(out, page_state_text(ctx->lang, m->kind));
	html_raw(out, "</td><td>");
	html_text(out, m->step);
	html_raw(out, "</td><td>");
	page_state(out, ctx, m->state);
	html_raw(out, "</td><td>");
	page_time(out, m->sent, sv->tz);
	html_raw(out, "</td><td>");
	html_text(out, m->error);
	html_raw(out, "</td></tr>");
}

/* A button that has the daemon queue one more mail to the respondent. */
static void
mail_button(GString *out, const struct page_ctx *ctx, const struct survey *sv,
    const struct respondent *r, const char *action, enum page_str label)
{
	GString *to = g_string_new("/r/");

	g_string_append(to, r->code);
	g_string_append(to, action);
	html_raw(out, "<form class=\"inline\" method=\"post\" action=\"");
	page_href_survey(out, sv, to->str);
	html_raw(out, "\">");
	page_csrf(out, ctx);
	html_raw(out, "<button type=\"submit\">");
	html_text(out, page_text(ctx->lang, label));
	html_raw(out, "</button></form>");
	g_string_free(to, TRUE);
}

static void
respondent_mails(GString *out, const struct page_ctx *ctx,
    const struct survey *sv, const struct respondent *r)
{
	static const enum page_str heads[] = { PT_KIND, PT_STEP, PT_STATE,
	    PT_SENT, PT_ERROR };
	GPtrArray *mails = store_respondent_mails(ctx->store, sv->id, r->code);
	guint i;

	html_raw(out, "<h2>");
	html_text(out, page_text(ctx->lang, PT_OUTBOX));
	html_raw(out, "</h2>");
	if (mails == NULL || mails->len == 0) {
		html_raw(out, "<p>");
		html_text(out, page_text(ctx->lang, PT_NO_MAIL));
		html_raw(out, "</p>");
	} else {
		html_raw(out, "<table id=\"outbox\"><thead><tr>");
		for (i = 0; i < G_N_ELEMENTS(heads); i++) {
			html_raw(out, "<th>");
			html_text(out, page_text(ctx->lang, heads[i]));
			html_raw(out, "</th>");
		}
		html_raw(out, "</tr></thead><tbody>");
		for (i = 0; i < mails->len; i++)
			mail_row(out, ctx, sv, mails->pdata[i]);
		html_raw(out, "</tbody></table>");
	}
	if (mails != NULL)
		g_ptr_array_unref(mails);
	mail_button(out, ctx, sv, r, "/resend", PT_RESEND_FORM);
	mail_button(out, ctx, sv, r, "/remind", PT_REMIND_NOW);
}

static void
respondent_head(GString *out, const struct page_ctx *ctx,
    const struct survey *sv, const struct respondent *r,
    const struct respondent_status *st)
{
	html_raw(out, "<p><a href=\"");
	page_href_survey(out, sv, "");
	html_raw(out, "\">← ");
	html_text(out, sv->id);
	html_raw(out, "</a></p><h1>");
	html_text(out, r->code);
	html_raw(out, " · ");
	html_text(out, r->name);
	html_raw(out, " ");
	page_state(out, ctx, st->answer ? "accepted" : st->state);
	html_raw(out, "</h1><p>");
	html_text(out, page_text(ctx->lang, PT_REGION));
	html_raw(out, ": ");
	html_text(out, r->region);
	if (r->emails != NULL && r->emails[0] != NULL) {
		html_raw(out, " · ");
		html_text(out, r->emails[0]);
	}
	html_raw(out, " · ");
	html_text(out, page_text(ctx->lang, PT_REMINDERS));
	html_raw(out, ": ");
	html_int(out, st->reminders_sent);
	html_raw(out, "</p>");
}

void
page_respondent(GString *out, const struct page_ctx *ctx,
    const struct survey *sv, const struct respondent *r)
{
	struct respondent_status st;
	GArray *ids;
	guint i;

	page_begin(out, ctx, r->name);
	store_snapshot_begin(ctx->store);
	store_respondent_status(ctx->store, sv->id, r->code, &st);
	respondent_head(out, ctx, sv, r, &st);
	html_raw(out, "<h2>");
	html_text(out, page_text(ctx->lang, PT_SUBMISSIONS));
	html_raw(out, "</h2>");
	ids = store_respondent_submission_ids(ctx->store, sv->id, r->code);
	if (ids->len == 0) {
		html_raw(out, "<p>");
		html_text(out, page_text(ctx->lang, PT_NOTHING_YET));
		html_raw(out, "</p>");
	}
	for (i = 0; i < ids->len; i++)
		submission_section(out, ctx, sv, g_array_index(ids, gint64, i),
		    st.answer);
	respondent_mails(out, ctx, sv, r);
	store_rollback(ctx->store);
	g_array_unref(ids);
	respondent_status_clear(&st);
	page_end(out, ctx);
}

static void
assign_form(GString *out, const struct page_ctx *ctx, const struct survey *sv,
    gint64 id)
{
	const struct respondent *r;
	guint i;

	html_raw(out, "<form class=\"inline\" method=\"post\" action=\"");
	page_href_survey(out, sv, "/assign");
	html_raw(out, "\">");
	page_csrf(out, ctx);
	html_raw(out, "<input type=\"hidden\" name=\"submission\" value=\"");
	html_int(out, id);
	html_raw(out, "\"><label for=\"to-");
	html_int(out, id);
	html_raw(out, "\">");
	html_text(out, page_text(ctx->lang, PT_ASSIGN_TO));
	html_raw(out, "</label><select name=\"respondent\" id=\"to-");
	html_int(out, id);
	html_raw(out, "\">");
	for (i = 0; i < sv->roster->n; i++) {
		r = &sv->roster->v[i];
		html_raw(out, "<option value=\"");
		html_text(out, r->code);
		html_raw(out, "\">");
		html_text(out, r->code);
		html_raw(out, " — ");
		html_text(out, r->name);
		html_raw(out, "</option>");
	}
	html_raw(out, "</select><button type=\"submit\">");
	html_text(out, page_text(ctx->lang, PT_ASSIGN));
	html_raw(out, "</button></form>");
}

static void
unmatched_section(GString *out, const struct page_ctx *ctx,
    const struct survey *sv, gint64 id)
{
	struct submission *sub;

	if ((sub = store_submission_load(ctx->store, id)) == NULL)
		return;
	section_head(out, ctx, sv, sub);
	html_raw(out, "</h2>");
	submission_origin(out, ctx, sub);
	/* A file that is not a form answers nothing, whoever sent it. */
	if (strcmp(sub->state, "not-a-form") != 0)
		assign_form(out, ctx, sv, id);
	page_issues(out, ctx, &sub->issues);
	html_raw(out, "</section>");
	submission_free(sub);
}

void
page_unmatched(GString *out, const struct page_ctx *ctx,
    const struct survey *sv)
{
	const char *t = page_text(ctx->lang, PT_UNMATCHED);
	GArray *ids;
	guint i;

	page_begin(out, ctx, t);
	html_raw(out, "<p><a href=\"");
	page_href_survey(out, sv, "");
	html_raw(out, "\">← ");
	html_text(out, sv->id);
	html_raw(out, "</a></p><h1>");
	html_text(out, t);
	html_raw(out, "</h1>");
	store_snapshot_begin(ctx->store);
	ids = store_unmatched_ids(ctx->store, sv->id);
	if (ids->len == 0) {
		html_raw(out, "<p>");
		html_text(out, page_text(ctx->lang, PT_NO_UNMATCHED));
		html_raw(out, "</p>");
	}
	for (i = 0; i < ids->len; i++)
		unmatched_section(out, ctx, sv, g_array_index(ids, gint64, i));
	store_rollback(ctx->store);
	g_array_unref(ids);
	page_end(out, ctx);
}
