/*
 * page.c — the frame every page shares (head, CSS, navigation), the login
 * page, the survey list and the one-line message pages.
 */
#include <string.h>

#include "htmlout.h"
#include "page.h"

/* A reply with more issues than this shows their count, unfolded on a click. */
#define PAGE_ISSUES_UNFOLDED	5

/* One stylesheet, inline: a page is one request and prints alone. */
static const char page_css[] =
	"body{font:15px/1.45 system-ui,'Segoe UI',Roboto,Arial,sans-serif;"
	"margin:0;color:#1d2327;background:#f6f7f7}"
	"header{background:#0b4f8a;color:#fff;padding:.6em 1.2em;display:flex;"
	"gap:1.5em;align-items:center;flex-wrap:wrap}"
	"header a,header button{color:#fff}"
	"header .app{font-weight:600;font-size:1.1em;text-decoration:none}"
	"header form{margin:0 0 0 auto}"
	"header button{background:none;border:1px solid #fff;border-radius:3px;"
	"padding:.2em .7em;cursor:pointer;font:inherit}"
	"main{padding:1em 1.2em;max-width:1400px}"
	"h1{font-size:1.4em;margin:.2em 0 .6em}"
	"h2{font-size:1.15em;margin:1.4em 0 .5em}"
	"table{border-collapse:collapse;background:#fff;width:100%}"
	"th,td{border:1px solid #dcdcde;padding:.3em .5em;text-align:left;"
	"vertical-align:top}"
	"th{background:#eef2f6;position:sticky;top:0}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}"
	".st{display:inline-block;padding:.05em .5em;border-radius:9px;"
	"font-size:.9em;white-space:nowrap;border:1px solid}"
	".st-accepted,.st-approved{background:#e3f4e8;color:#10632d;"
	"border-color:#7cc592}"
	".st-incomplete{background:#fff4d6;color:#7a5300;border-color:#e7c15b}"
	".st-invalid,.st-rejected,.st-failed{background:#fde7e9;color:#9b1c26;"
	"border-color:#ee8d95}"
	".st-pending,.st-received,.st-queued{background:#f0f0f1;color:#50575e;"
	"border-color:#c3c4c7}"
	".st-unmatched,.st-not-a-form{background:#efe7fb;color:#5a2d91;"
	"border-color:#b69ae3}"
	".cards{display:flex;gap:.8em;flex-wrap:wrap;margin:.6em 0}"
	".card{background:#fff;border:1px solid #dcdcde;border-radius:4px;"
	"padding:.4em .9em;min-width:8em}.card b{display:block;font-size:1.5em}"
	".bar{display:flex;gap:1em;flex-wrap:wrap;align-items:center;"
	"margin:.8em 0}"
	".button,button{background:#0b4f8a;color:#fff;border:0;"
	"border-radius:3px;"
	"padding:.4em .9em;text-decoration:none;font:inherit;cursor:pointer}"
	"button.reject{background:#9b1c26}"
	".notice{background:#e3f4e8;border:1px solid #7cc592;padding:.4em .8em}"
	".error{background:#fde7e9;border:1px solid #ee8d95;padding:.4em .8em}"
	".sub{background:#fff;border:1px solid #dcdcde;border-radius:4px;"
	"padding:.6em 1em;margin:0 0 1em}"
	"ul.issues{margin:.2em 0;padding-left:1.2em}"
	"form.inline{display:flex;gap:.5em;align-items:center;flex-wrap:wrap}"
	"label{display:block;margin:.5em 0 .1em}"
	"input,select,textarea{font:inherit;padding:.25em}"
	".login{max-width:22em;margin:3em auto;background:#fff;"
	"padding:1em 1.5em;"
	"border:1px solid #dcdcde;border-radius:4px}"
	"footer{color:#646970;font-size:.85em;padding:1em 1.2em}"
	"@media print{header form,header nav,.noprint,form{display:none}"
	"body{background:#fff;font-size:11pt}th{position:static}"
	"a{color:inherit;text-decoration:none}"
	".st{border:0;padding:0}.card{border:0}}";

void
page_begin(GString *out, const struct page_ctx *ctx, const char *title)
{
	html_raw(out, "<!DOCTYPE html>\n<html lang=\"");
	html_raw(out, ctx->lang == PAGE_EN ? "en" : "vi");
	html_raw(out, "\"><head><meta charset=\"utf-8\"><meta "
	    "name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	    "<title>");
	html_text(out, title);
	html_raw(out, " — ");
	html_text(out, page_text(ctx->lang, PT_APP));
	html_raw(out, "</title><style>");
	html_raw(out, page_css);
	html_raw(out, "</style></head><body><header>"
	    "<a class=\"app\" href=\"/\">");
	html_text(out, page_text(ctx->lang, PT_APP));
	html_raw(out, "</a><nav><a href=\"");
	html_text(out, ctx->path);
	html_raw(out, "?lang=");
	html_raw(out, page_text(ctx->lang, PT_OTHER_LANG_CODE));
	html_raw(out, "\">");
	html_text(out, page_text(ctx->lang, PT_OTHER_LANG));
	html_raw(out, "</a></nav>");
	if (ctx->user != NULL) {
		html_raw(out, "<form method=\"post\" action=\"/logout\">");
		page_csrf(out, ctx);
		html_text(out, ctx->user);
		html_raw(out, " <button type=\"submit\">");
		html_text(out, page_text(ctx->lang, PT_LOGOUT));
		html_raw(out, "</button></form>");
	}
	html_raw(out, "</header><main>");
	if (ctx->done) {
		html_raw(out, "<p class=\"notice\">");
		html_text(out, page_text(ctx->lang, PT_DONE));
		html_raw(out, "</p>");
	}
}

void
page_end(GString *out, const struct page_ctx *ctx)
{
	/* Every survey is in one country: the first one's zone will do. */
	GDateTime *now = g_date_time_new_now(ctx->config->surveys[0].tz);
	char *when = g_date_time_format(now, "%d/%m/%Y %H:%M");

	html_raw(out, "</main><footer>");
	html_text(out, page_text(ctx->lang, PT_AS_OF));
	html_raw(out, " ");
	html_text(out, when);
	html_raw(out, " · surveyd</footer></body></html>\n");
	g_free(when);
	g_date_time_unref(now);
}

void
page_csrf(GString *out, const struct page_ctx *ctx)
{
	html_raw(out, "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_text(out, ctx->csrf);
	html_raw(out, "\">");
}

/* Day first, as Vietnamese (and British) readers write dates. */
void
page_time(GString *out, gint64 t, GTimeZone *tz)
{
	GDateTime *utc, *local;
	char *s;

	if (t == 0) {
		html_raw(out, "—");
		return;
	}
	utc = g_date_time_new_from_unix_utc(t);
	local = g_date_time_to_timezone(utc, tz);
	s = g_date_time_format(local, "%d/%m/%Y %H:%M");
	html_text(out, s);
	g_free(s);
	g_date_time_unref(local);
	g_date_time_unref(utc);
}

void
page_state(GString *out, const struct page_ctx *ctx, const char *state)
{
	html_raw(out, "<span class=\"st st-");
	html_text(out, state);
	html_raw(out, "\">");
	html_text(out, page_state_text(ctx->lang, state));
	html_raw(out, "</span>");
}

void
page_flags(GString *out, const struct page_ctx *ctx, const char *flags)
{
	char **v, **f;
	const char *sep = " <small>";

	if (flags == NULL || *flags == '\0')
		return;
	v = g_strsplit(flags, " ", -1);
	for (f = v; *f != NULL; f++) {
		if (**f == '\0')
			continue;
		html_raw(out, sep);
		html_text(out, page_state_text(ctx->lang, *f));
		sep = ", ";
	}
	if (*sep == ',')
		html_raw(out, "</small>");
	g_strfreev(v);
}

void
page_issues(GString *out, const struct page_ctx *ctx, const struct issues *is)
{
	const struct issue *i;
	guint k;

	if (is->v->len == 0)
		return;
	if (is->v->len > PAGE_ISSUES_UNFOLDED) {
		html_raw(out, "<details><summary>");
		html_int(out, is->v->len);
		html_raw(out, " ");
		html_text(out, page_text(ctx->lang, PT_N_ISSUES));
		html_raw(out, "</summary>");
	}
	html_raw(out, "<ul class=\"issues\">");
	for (k = 0; k < is->v->len; k++) {
		i = is->v->pdata[k];
		html_raw(out, "<li>");
		html_text(out, i->message);
		html_raw(out, "</li>");
	}
	html_raw(out, "</ul>");
	if (is->v->len > PAGE_ISSUES_UNFOLDED)
		html_raw(out, "</details>");
}

void
page_href_survey(GString *out, const struct survey *sv, const char *rest)
{
	html_raw(out, "/s/");
	html_url_part(out, sv->id);
	html_raw(out, rest);
}

void
page_href_respondent(GString *out, const struct survey *sv, const char *code)
{
	page_href_survey(out, sv, "/r/");
	html_url_part(out, code);
}

void
page_login(GString *out, const struct page_ctx *ctx, int error)
{
	const char *t = page_text(ctx->lang, PT_LOGIN);

	page_begin(out, ctx, t);
	html_raw(out, "<form class=\"login\" method=\"post\" "
	    "action=\"/login\"><h1>");
	html_text(out, t);
	html_raw(out, "</h1>");
	if (error >= 0) {
		html_raw(out, "<p class=\"error\">");
		html_text(out, page_text(ctx->lang, error));
		html_raw(out, "</p>");
	}
	page_csrf(out, ctx);
	html_raw(out, "<label for=\"user\">");
	html_text(out, page_text(ctx->lang, PT_USER));
	html_raw(out, "</label><input id=\"user\" name=\"user\" required "
	    "autocomplete=\"username\" autofocus><label for=\"password\">");
	html_text(out, page_text(ctx->lang, PT_PASSWORD));
	html_raw(out, "</label><input id=\"password\" name=\"password\" "
	    "type=\"password\" required autocomplete=\"current-password\">"
	    "<p><button type=\"submit\">");
	html_text(out, t);
	html_raw(out, "</button></p></form>");
	page_end(out, ctx);
}

/* "12 / 63 (19%)" */
static void
page_rate(GString *out, gint64 part, gint64 whole)
{
	html_int(out, part);
	html_raw(out, " / ");
	html_int(out, whole);
	g_string_append_printf(out, " (%.0f%%)",
	    whole ? 100.0 * part / whole : 0.0);
}

static void
page_survey_item(GString *out, const struct page_ctx *ctx,
    const struct survey *sv)
{
	GString *href = g_string_new(NULL);

	page_href_survey(href, sv, "");
	html_raw(out, "<tr><td>");
	html_link(out, href->str, sv->id);
	html_raw(out, "</td><td>");
	html_text(out, sv->def ? i18n_get(&sv->def->title,
	    ctx->lang == PAGE_EN ? "en" : "vi") : NULL);
	html_raw(out, "</td><td class=\"n\">");
	page_rate(out, store_survey_answered(ctx->store, sv->id),
	    sv->roster->n);
	html_raw(out, "</td><td>");
	page_time(out, sv->deadline, sv->tz);
	html_raw(out, "</td></tr>");
	g_string_free(href, TRUE);
}

void
page_surveys(GString *out, const struct page_ctx *ctx)
{
	const char *t = page_text(ctx->lang, PT_SURVEYS);
	guint i;

	page_begin(out, ctx, t);
	html_raw(out, "<h1>");
	html_text(out, t);
	html_raw(out, "</h1><table><thead><tr><th>");
	html_text(out, page_text(ctx->lang, PT_SURVEY));
	html_raw(out, "</th><th></th><th>");
	html_text(out, page_text(ctx->lang, PT_RATE));
	html_raw(out, "</th><th>");
	html_text(out, page_text(ctx->lang, PT_DEADLINE));
	html_raw(out, "</th></tr></thead><tbody>");
	for (i = 0; i < ctx->config->nsurveys; i++)
		page_survey_item(out, ctx, &ctx->config->surveys[i]);
	html_raw(out, "</tbody></table>");
	page_end(out, ctx);
}

void
page_message(GString *out, const struct page_ctx *ctx, enum page_str msg)
{
	const char *t = page_text(ctx->lang, msg);

	page_begin(out, ctx, t);
	html_raw(out, "<p class=\"error\">");
	html_text(out, t);
	html_raw(out, "</p><p><a href=\"/\">");
	html_text(out, page_text(ctx->lang, PT_BACK));
	html_raw(out, "</a></p>");
	page_end(out, ctx);
}
