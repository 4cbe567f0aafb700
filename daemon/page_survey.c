/*
 * page_survey.c — one survey at a glance: totals and the response rate
 * with a small inline SVG chart, filters, and a row per respondent with
 * its state, last reply, reminders, mail problems and what is wrong.
 */
#include <string.h>

#include "htmlout.h"
#include "mailout.h"
#include "page.h"

/* The states a respondent can be in, in the order the page shows them. */
static const char *const row_states[] = {
	"accepted", "incomplete", "invalid", "pending"
};
#define ROW_NSTATES	G_N_ELEMENTS(row_states)

#define CHART_WIDTH	600
#define CHART_BAR	22
#define CHART_LABEL	260	/* room for a region's name */
#define CHART_TRACK	"#eef2f6"	/* behind a region's bar */

struct row {
	const struct respondent		*r;
	const struct survey_status_row	*s;
	const char			*state;	/* as the page shows it */
	gint64				 next;	/* next reminder due, 0: none */
};

struct region {
	const char	*name;
	guint		 total;
	guint		 accepted;
};

struct tally {
	GHashTable	*status;	/* store_survey_status() */
	struct row	*rows;
	guint		 n;
	guint		 by_state[ROW_NSTATES];
	GArray		*regions;	/* of struct region, roster order */
	guint		 unmatched;
};

static guint
state_index(const char *state)
{
	guint i;

	for (i = 0; i < ROW_NSTATES; i++)
		if (strcmp(row_states[i], state) == 0)
			return i;
	return ROW_NSTATES - 1;
}

static void
tally_region(struct tally *t, const struct row *row)
{
	struct region *g, fresh = { row->r->region, 0, 0 };
	guint i;

	for (i = 0; i < t->regions->len; i++)
		if (strcmp(g_array_index(t->regions, struct region, i).name,
		    row->r->region) == 0)
			break;
	if (i == t->regions->len)
		g_array_append_val(t->regions, fresh);
	g = &g_array_index(t->regions, struct region, i);
	g->total++;
	g->accepted += strcmp(row->state, "accepted") == 0;
}

/*
 * A respondent with an answer counts as answered, whatever came after;
 * one with nothing stored is pending.
 */
static const char *
row_state(const struct survey_status_row *s)
{
	if (s == NULL || s->st.latest == 0)
		return "pending";
	return s->st.answer ? "accepted" : s->st.state;
}

static int
tally_load(struct tally *t, struct store *st, const struct survey *sv,
    gint64 now)
{
	struct row *row;
	gint64 *next;
	GArray *ids;
	guint i;

	memset(t, 0, sizeof(*t));
	if ((t->status = store_survey_status(st, sv->id)) == NULL)
		return -1;
	t->n = sv->roster->n;
	t->rows = g_new0(struct row, t->n);
	next = g_new0(gint64, t->n);
	(void)mailout_next_reminder(st, sv, now, next);
	t->regions = g_array_new(FALSE, FALSE, sizeof(struct region));
	for (i = 0; i < t->n; i++) {
		row = &t->rows[i];
		row->r = &sv->roster->v[i];
		row->s = g_hash_table_lookup(t->status, row->r->code);
		row->state = row_state(row->s);
		row->next = next[i];
		t->by_state[state_index(row->state)]++;
		tally_region(t, row);
	}
	g_free(next);
	ids = store_unmatched_ids(st, sv->id);
	t->unmatched = ids->len;
	g_array_unref(ids);
	return 0;
}

static void
tally_clear(struct tally *t)
{
	if (t->status != NULL)
		g_hash_table_unref(t->status);
	g_free(t->rows);
	if (t->regions != NULL)
		g_array_unref(t->regions);
}

static void
survey_cards(GString *out, const struct page_ctx *ctx, const struct tally *t)
{
	guint i;

	html_raw(out, "<div class=\"cards\"><div class=\"card\">");
	html_text(out, page_text(ctx->lang, PT_TOTAL));
	html_raw(out, "<b>");
	html_int(out, t->n);
	html_raw(out, "</b></div>");
	for (i = 0; i < ROW_NSTATES; i++) {
		html_raw(out, "<div class=\"card\">");
		page_state(out, ctx, row_states[i]);
		html_raw(out, "<b>");
		html_int(out, t->by_state[i]);
		html_raw(out, "</b></div>");
	}
	html_raw(out, "<div class=\"card\">");
	html_text(out, page_text(ctx->lang, PT_RATE));
	g_string_append_printf(out, "<b>%.1f%%</b></div></div>",
	    t->n ? 100.0 * t->by_state[0] / t->n : 0.0);
}

/* Colours of the states, as the badges have them. */
static const char *const chart_colours[ROW_NSTATES] = {
	"#2e9e55", "#e0a800", "#d23a46", "#c3c4c7"
};

static void
chart_rect(GString *out, double x, int y, double w, int h, const char *fill)
{
	g_string_append_printf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
	    "height=\"%d\" fill=\"%s\"/>", x, y, w, h, fill);
}

static void
chart_label(GString *out, int x, int y, const char *anchor, const char *text)
{
	g_string_append_printf(out, "<text x=\"%d\" y=\"%d\" "
	    "text-anchor=\"%s\">", x, y, anchor);
	html_text(out, text);
	html_raw(out, "</text>");
}

/* One bar of the four states, then a bar per region of its valid share. */
static void
survey_chart(GString *out, const struct page_ctx *ctx, const struct tally *t)
{
	const struct region *g;
	int height = (int)(t->regions->len + 2) * (CHART_BAR + 6) + 10, y;
	double x = 0, w, scale = t->n ? (double)CHART_WIDTH / t->n : 0;
	char pct[16];
	guint i;

	html_raw(out, "<h2>");
	html_text(out, page_text(ctx->lang, PT_CHART));
	g_string_append_printf(out, "</h2><svg xmlns=\"http://www.w3.org/2000/"
	    "svg\" role=\"img\" width=\"%d\" height=\"%d\" font-size=\"13\" "
	    "font-family=\"sans-serif\"><title>", CHART_WIDTH + CHART_LABEL,
	    height);
	html_text(out, page_text(ctx->lang, PT_CHART));
	html_raw(out, "</title>");
	for (i = 0; i < ROW_NSTATES; i++) {
		w = t->by_state[i] * scale;
		chart_rect(out, CHART_LABEL + x, 0, w, CHART_BAR,
		    chart_colours[i]);
		x += w;
	}
	chart_label(out, CHART_LABEL - 6, CHART_BAR - 6, "end",
	    page_text(ctx->lang, PT_RATE));
	chart_label(out, CHART_LABEL - 6, 2 * CHART_BAR, "end",
	    page_text(ctx->lang, PT_BY_REGION));
	for (i = 0; i < t->regions->len; i++) {
		g = &g_array_index(t->regions, struct region, i);
		y = (int)(i + 2) * (CHART_BAR + 6);
		chart_rect(out, CHART_LABEL, y, CHART_WIDTH, CHART_BAR,
		    CHART_TRACK);
		chart_rect(out, CHART_LABEL, y, (double)CHART_WIDTH *
		    g->accepted / g->total, CHART_BAR, chart_colours[0]);
		chart_label(out, CHART_LABEL - 6, y + CHART_BAR - 6, "end",
		    g->name);
		g_snprintf(pct, sizeof(pct), "%u/%u", g->accepted, g->total);
		chart_label(out, CHART_LABEL + 6, y + CHART_BAR - 6, "start",
		    pct);
	}
	html_raw(out, "</svg>");
}

static void
filter_option(GString *out, const char *value, const char *text,
    const char *selected)
{
	html_raw(out, "<option value=\"");
	html_text(out, value);
	html_raw(out, selected && strcmp(selected, value) == 0 ?
	    "\" selected>" : "\">");
	html_text(out, text);
	html_raw(out, "</option>");
}

static void
survey_filters(GString *out, const struct page_ctx *ctx,
    const struct survey *sv, const struct tally *t, const char *state,
    const char *region)
{
	guint i;

	html_raw(out, "<form class=\"inline noprint\" method=\"get\" "
	    "action=\"");
	page_href_survey(out, sv, "");
	html_raw(out, "\"><label for=\"state\">");
	html_text(out, page_text(ctx->lang, PT_STATE));
	html_raw(out, "</label><select id=\"state\" name=\"state\">");
	filter_option(out, "", page_text(ctx->lang, PT_ALL), state);
	for (i = 0; i < ROW_NSTATES; i++)
		filter_option(out, row_states[i],
		    page_state_text(ctx->lang, row_states[i]), state);
	html_raw(out, "</select><label for=\"region\">");
	html_text(out, page_text(ctx->lang, PT_REGION));
	html_raw(out, "</label><select id=\"region\" name=\"region\">");
	filter_option(out, "", page_text(ctx->lang, PT_ALL), region);
	for (i = 0; i < t->regions->len; i++)
		filter_option(out, g_array_index(t->regions, struct region,
		    i).name, g_array_index(t->regions, struct region, i).name,
		    region);
	html_raw(out, "</select><button type=\"submit\">");
	html_text(out, page_text(ctx->lang, PT_FILTER));
	html_raw(out, "</button></form>");
}

static int
row_shown(const struct row *row, const char *state, const char *region)
{
	if (state != NULL && *state != '\0' && strcmp(state, row->state) != 0)
		return 0;
	return region == NULL || *region == '\0' ||
	    strcmp(region, row->r->region) == 0;
}

static void
survey_row(GString *out, const struct page_ctx *ctx, const struct survey *sv,
    const struct row *row)
{
	const struct survey_status_row *s = row->s;

	html_raw(out, "<tr><td>");
	html_text(out, row->r->code);
	html_raw(out, "</td><td><a href=\"");
	page_href_respondent(out, sv, row->r->code);
	html_raw(out, "\">");
	html_text(out, row->r->name);
	html_raw(out, "</a></td><td>");
	html_text(out, row->r->region);
	html_raw(out, "</td><td>");
	page_state(out, ctx, row->state);
	page_flags(out, ctx, s ? s->st.flags : NULL);
	html_raw(out, "</td><td>");
	page_time(out, s ? s->st.last_reply : 0, sv->tz);
	html_raw(out, "</td><td class=\"n\">");
	html_int(out, s ? s->st.submissions : 0);
	html_raw(out, "</td><td class=\"n\">");
	html_int(out, s ? s->st.reminders_sent : 0);
	html_raw(out, "</td><td>");
	page_time(out, row->next, sv->tz);
	html_raw(out, "</td><td class=\"n\">");
	if (s != NULL && s->mail_problems)
		html_int(out, s->mail_problems);
	html_raw(out, "</td><td>");
	if (s != NULL)
		page_issues(out, ctx, &s->issues);
	html_raw(out, "</td></tr>\n");
}

static void
survey_table(GString *out, const struct page_ctx *ctx, const struct survey *sv,
    const struct tally *t, const char *state, const char *region)
{
	static const enum page_str heads[] = { PT_CODE, PT_NAME, PT_REGION,
	    PT_STATE, PT_LAST_REPLY, PT_REPLIES, PT_REMINDERS,
	    PT_NEXT_REMINDER, PT_MAIL_PROBLEMS, PT_ISSUES };
	guint i, shown = 0;

	html_raw(out, "<table id=\"respondents\"><thead><tr>");
	for (i = 0; i < G_N_ELEMENTS(heads); i++) {
		html_raw(out, "<th>");
		html_text(out, page_text(ctx->lang, heads[i]));
		html_raw(out, "</th>");
	}
	html_raw(out, "</tr></thead><tbody>\n");
	for (i = 0; i < t->n; i++)
		if (row_shown(&t->rows[i], state, region)) {
			survey_row(out, ctx, sv, &t->rows[i]);
			shown++;
		}
	html_raw(out, "</tbody></table><p>");
	html_text(out, page_text(ctx->lang, PT_SHOWN));
	html_raw(out, ": ");
	html_int(out, shown);
	html_raw(out, "</p>");
}

static void
survey_buttons(GString *out, const struct page_ctx *ctx,
    const struct survey *sv, const struct tally *t)
{
	html_raw(out, "<div class=\"bar noprint\"><a class=\"button\" href=\"");
	page_href_survey(out, sv, "/workbook.xlsx");
	html_raw(out, "\">");
	html_text(out, page_text(ctx->lang, PT_DOWNLOAD_WORKBOOK));
	html_raw(out, "</a><a href=\"");
	page_href_survey(out, sv, "/unmatched");
	html_raw(out, "\">");
	html_text(out, page_text(ctx->lang, PT_UNMATCHED));
	html_raw(out, " (");
	html_int(out, t->unmatched);
	html_raw(out, ")</a></div>");
}

void
page_survey(GString *out, const struct page_ctx *ctx, const struct survey *sv,
    const char *state, const char *region)
{
	const char *title = sv->def ? i18n_get(&sv->def->title,
	    ctx->lang == PAGE_EN ? "en" : "vi") : NULL;
	struct tally t;

	page_begin(out, ctx, title ? title : sv->id);
	html_raw(out, "<h1>");
	html_text(out, title ? title : sv->id);
	html_raw(out, "</h1><p>");
	html_text(out, page_text(ctx->lang, PT_DEADLINE));
	html_raw(out, ": ");
	page_time(out, sv->deadline, sv->tz);
	html_raw(out, "</p>");
	store_snapshot_begin(ctx->store);
	if (tally_load(&t, ctx->store, sv, ctx->now) == 0) {
		survey_buttons(out, ctx, sv, &t);
		survey_cards(out, ctx, &t);
		survey_chart(out, ctx, &t);
		html_raw(out, "<h2>");
		html_text(out, page_text(ctx->lang, PT_RESPONDENTS));
		html_raw(out, "</h2>");
		survey_filters(out, ctx, sv, &t, state, region);
		survey_table(out, ctx, sv, &t, state, region);
	} else {
		html_raw(out, "<p class=\"error\">");
		html_text(out, page_text(ctx->lang, PT_FAILED));
		html_raw(out, "</p>");
	}
	store_rollback(ctx->store);
	tally_clear(&t);
	page_end(out, ctx);
}
