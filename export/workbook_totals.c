/*
 * workbook_totals.c — the consolidated workbook's sheets made from every
 * row: `Tổng hợp` (respondents by state, response by region, a chart) and
 * `Thống kê` (each numeric field's figures, each choice's count and
 * share).  Rows only add to tallies; these sheets are written at the end.
 */
#include <math.h>
#include <string.h>

#include "stats.h"
#include "workbook_int.h"

const char *
wb_region_name(const struct export_workbook *x, const struct respondent *r)
{
	return r->region != NULL && *r->region != '\0' ? r->region :
	    wb_word(x, WB_NO_REGION);
}

/* Regions in the order the roster first names them. */
static void
regions_init(struct export_workbook *x)
{
	const struct roster *ro = x->survey->roster;
	struct wb_region reg = { 0 };
	guint i;

	x->tally.regions = g_array_new(FALSE, FALSE, sizeof(struct wb_region));
	x->tally.region_index = g_hash_table_new(g_str_hash, g_str_equal);
	for (i = 0; i < ro->n; i++) {
		reg.name = wb_region_name(x, &ro->v[i]);
		if (g_hash_table_contains(x->tally.region_index, reg.name))
			continue;
		g_array_append_val(x->tally.regions, reg);
		g_hash_table_insert(x->tally.region_index, (gpointer)reg.name,
		    GUINT_TO_POINTER(x->tally.regions->len));
	}
}

void
wb_tally_init(struct export_workbook *x)
{
	const struct field *f;
	guint i;

	x->tallies = g_new0(struct wb_tally, x->def->nfields);
	for (i = 0; i < x->def->nfields; i++) {
		f = &x->def->fields[i];
		if (f->type == FIELD_INTEGER || f->type == FIELD_DECIMAL)
			x->tallies[i].numbers = g_array_new(FALSE, FALSE,
			    sizeof(double));
		else if (f->type == FIELD_SELECT_ONE ||
		    f->type == FIELD_SELECT_MULTIPLE)
			x->tallies[i].counts = g_new0(guint, f->list->nchoices);
	}
	regions_init(x);
}

void
wb_tally_clear(struct export_workbook *x)
{
	guint i;

	for (i = 0; x->tallies != NULL && i < x->def->nfields; i++) {
		if (x->tallies[i].numbers != NULL)
			g_array_unref(x->tallies[i].numbers);
		g_free(x->tallies[i].counts);
	}
	g_free(x->tallies);
	if (x->tally.regions != NULL)
		g_array_unref(x->tally.regions);
	if (x->tally.region_index != NULL)
		g_hash_table_unref(x->tally.region_index);
}

void
wb_tally_respondent(struct export_workbook *x, const struct export_row *row)
{
	const char *state = row->status.state;
	struct wb_region *reg;
	guint idx;
	int answered = row->status.answer != 0;

	x->tally.respondents++;
	x->tally.answered += answered;
	x->tally.accepted += strcmp(state, "accepted") == 0;
	x->tally.incomplete += strcmp(state, "incomplete") == 0;
	x->tally.invalid += strcmp(state, "invalid") == 0;
	x->tally.pending += strcmp(state, "pending") == 0;
	idx = GPOINTER_TO_UINT(g_hash_table_lookup(x->tally.region_index,
	    wb_region_name(x, row->respondent)));
	if (idx == 0)
		return;
	reg = &g_array_index(x->tally.regions, struct wb_region, idx - 1);
	reg->respondents++;
	reg->answered += answered;
}

/* A figure, or nothing where it does not exist (NAN). */
static void
xl_figure(struct export_workbook *x, lxw_worksheet *ws, lxw_row_t r,
    lxw_col_t c, double v, lxw_format *f)
{
	if (!isnan(v))
		xl_number(x, ws, r, c, v, f);
}

static double
ratio(guint part, guint whole)
{
	return whole > 0 ? (double)part / whole : NAN;
}

/* --- Tổng hợp ------------------------------------------------------------ */

/*
 * The chart sits right of the tables, from F4, and covers about 11 columns
 * and 22 rows at its scale; the page printed ends past it.
 */
#define SUMMARY_CHART_ROW	3
#define SUMMARY_CHART_COL	5
#define SUMMARY_CHART_SCALE	1.5
#define SUMMARY_PRINT_LAST_ROW	(SUMMARY_CHART_ROW + 22)
#define SUMMARY_PRINT_LAST_COL	(SUMMARY_CHART_COL + 11)

static lxw_row_t
summary_head_write(struct export_workbook *x)
{
	const struct definition *d = x->def;
	char *form;

	xl_text(x, x->summary, 0, 0, wb_i18n(x, &d->title, d->form_id),
	    x->fmt.title);
	form = g_strdup_printf("%s, %s", d->form_id, d->version);
	xl_text(x, x->summary, 1, 0, wb_word(x, WB_FORM), NULL);
	xl_text(x, x->summary, 1, 1, form, NULL);
	g_free(form);
	return 3;
}

static lxw_row_t
summary_totals_write(struct export_workbook *x, lxw_row_t r)
{
	static const enum wb_word head[] = { WB_MEASURE, WB_VALUE };
	const struct {
		enum wb_word	 word;
		double		 v;
		int		 rate;
	} rows[] = {
		{ WB_RESPONDENTS, x->tally.respondents, 0 },
		{ WB_STATE_ACCEPTED, x->tally.accepted, 0 },
		{ WB_STATE_INCOMPLETE, x->tally.incomplete, 0 },
		{ WB_STATE_INVALID, x->tally.invalid, 0 },
		{ WB_STATE_PENDING, x->tally.pending, 0 },
		{ WB_ANSWERED, x->tally.answered, 0 },
		{ WB_RATE, ratio(x->tally.answered, x->tally.respondents), 1 },
		{ WB_UNMATCHED, x->tally.unmatched, 0 },
		{ WB_NOT_A_FORM, x->tally.not_a_form, 0 },
	};
	size_t i;

	xl_header(x, x->summary, r++, head, G_N_ELEMENTS(head));
	for (i = 0; i < G_N_ELEMENTS(rows); i++, r++) {
		xl_text(x, x->summary, r, 0, wb_word(x, rows[i].word), NULL);
		xl_figure(x, x->summary, r, 1, rows[i].v,
		    rows[i].rate ? x->fmt.percent : x->fmt.integer);
	}
	return r + 1;
}

/* Bars of respondents and answers per region, beside the table. */
static void
summary_chart_insert(struct export_workbook *x, lxw_row_t head,
    lxw_row_t last)
{
	const char *sheet = wb_word(x, WB_SHEET_SUMMARY);
	lxw_chart *chart = workbook_add_chart(x->book, LXW_CHART_BAR);
	lxw_chart_series *s;
	lxw_chart_options opts = {
		.x_scale = SUMMARY_CHART_SCALE, .y_scale = SUMMARY_CHART_SCALE,
	};
	lxw_col_t c;

	for (c = 1; c <= 2; c++) {
		s = chart_add_series(chart, NULL, NULL);
		chart_series_set_categories(s, sheet, head + 1, 0, last, 0);
		chart_series_set_values(s, sheet, head + 1, c, last, c);
		chart_series_set_name_range(s, sheet, head, c);
	}
	chart_title_set_name(chart, wb_word(x, WB_CHART));
	chart_legend_set_position(chart, LXW_CHART_LEGEND_BOTTOM);
	/* A bar chart lists categories bottom up; the table reads top down. */
	chart_axis_set_reverse(chart->y_axis);
	xl_check(x, worksheet_insert_chart_opt(x->summary, SUMMARY_CHART_ROW,
	    SUMMARY_CHART_COL, chart, &opts));
}

/* Returns the last row written. */
static lxw_row_t
summary_regions_write(struct export_workbook *x, lxw_row_t r)
{
	static const enum wb_word head[] = {
		WB_REGION, WB_UNITS, WB_REPLIED, WB_RATE,
	};
	const struct wb_region *reg;
	lxw_row_t first;
	guint i;

	xl_text(x, x->summary, r++, 0, wb_word(x, WB_BY_REGION), x->fmt.title);
	xl_header(x, x->summary, r, head, G_N_ELEMENTS(head));
	first = r++;
	for (i = 0; i < x->tally.regions->len; i++, r++) {
		reg = &g_array_index(x->tally.regions, struct wb_region, i);
		xl_text(x, x->summary, r, 0, reg->name, NULL);
		xl_number(x, x->summary, r, 1, reg->respondents, x->fmt.integer);
		xl_number(x, x->summary, r, 2, reg->answered, x->fmt.integer);
		xl_figure(x, x->summary, r, 3,
		    ratio(reg->answered, reg->respondents), x->fmt.percent);
	}
	if (x->tally.regions->len > 0)
		summary_chart_insert(x, first, r - 1);
	return r - 1;
}

void
wb_summary_write(struct export_workbook *x)
{
	lxw_row_t last;

	worksheet_set_column(x->summary, 0, 0, 42, NULL);
	worksheet_set_column(x->summary, 1, 3, 14, NULL);
	worksheet_activate(x->summary);
	last = summary_regions_write(x, summary_totals_write(x,
	    summary_head_write(x)));
	/*
	 * One landscape page, the figures and the chart together; the long
	 * form title runs on screen but is not let widen the page.
	 */
	worksheet_set_landscape(x->summary);
	worksheet_set_paper(x->summary, XL_PAPER_A4);
	worksheet_fit_to_pages(x->summary, 1, 1);
	worksheet_print_area(x->summary, 0, 0, MAX(last,
	    SUMMARY_PRINT_LAST_ROW), SUMMARY_PRINT_LAST_COL);
}

/* --- Thống kê ------------------------------------------------------------ */

static lxw_row_t
stats_numbers_write(struct export_workbook *x, lxw_row_t r)
{
	static const enum wb_word head[] = {
		WB_FIELD, WB_LABEL, WB_N, WB_SUM, WB_MEAN, WB_MEDIAN, WB_MIN,
		WB_MAX, WB_SD,
	};
	const struct field *f;
	struct stats_numbers s;
	lxw_format *own;
	GArray *v;
	guint i;

	xl_text(x, x->stats, r++, 0, wb_word(x, WB_NUMERIC_FIELDS), x->fmt.title);
	xl_header(x, x->stats, r++, head, G_N_ELEMENTS(head));
	for (i = 0; i < x->def->nfields; i++) {
		if ((v = x->tallies[i].numbers) == NULL)
			continue;
		f = &x->def->fields[i];
		own = f->type == FIELD_INTEGER ? x->fmt.integer : x->fmt.decimal;
		stats_numbers_summarise((double *)(void *)v->data, v->len, &s);
		xl_text(x, x->stats, r, 0, f->name, NULL);
		xl_text(x, x->stats, r, 1, wb_i18n(x, &f->label, f->name),
		    x->fmt.wrap);
		xl_number(x, x->stats, r, 2, s.n, x->fmt.integer);
		xl_figure(x, x->stats, r, 3, s.sum, own);
		xl_figure(x, x->stats, r, 4, s.mean, x->fmt.figure);
		xl_figure(x, x->stats, r, 5, s.median, x->fmt.figure);
		xl_figure(x, x->stats, r, 6, s.min, own);
		xl_figure(x, x->stats, r, 7, s.max, own);
		xl_figure(x, x->stats, r++, 8, s.sd, x->fmt.figure);
	}
	return r + 1;
}

/* A select_multiple field's shares add up to more than 100 %. */
static void
stats_choices_write(struct export_workbook *x, lxw_row_t r)
{
	static const enum wb_word head[] = {
		WB_FIELD, WB_LABEL, WB_N, WB_OPTION, WB_COUNT_OF, WB_SHARE,
	};
	const struct wb_tally *t;
	const struct field *f;
	const struct choice *c;
	guint i, k;

	xl_text(x, x->stats, r++, 0, wb_word(x, WB_CHOICE_FIELDS), x->fmt.title);
	xl_header(x, x->stats, r++, head, G_N_ELEMENTS(head));
	for (i = 0; i < x->def->nfields; i++) {
		t = &x->tallies[i];
		if (t->counts == NULL)
			continue;
		f = &x->def->fields[i];
		for (k = 0; k < f->list->nchoices; k++, r++) {
			c = &f->list->choices[k];
			xl_text(x, x->stats, r, 0, f->name, NULL);
			xl_text(x, x->stats, r, 1,
			    wb_i18n(x, &f->label, f->name), x->fmt.wrap);
			xl_number(x, x->stats, r, 2, t->n, x->fmt.integer);
			xl_text(x, x->stats, r, 3,
			    wb_i18n(x, &c->label, c->name), x->fmt.wrap);
			xl_number(x, x->stats, r, 4, t->counts[k],
			    x->fmt.integer);
			xl_figure(x, x->stats, r, 5, ratio(t->counts[k], t->n),
			    x->fmt.percent);
		}
	}
}

void
wb_stats_write(struct export_workbook *x)
{
	worksheet_set_column(x->stats, 0, 0, 20, NULL);
	worksheet_set_column(x->stats, 1, 1, 50, NULL);
	worksheet_set_column(x->stats, 2, 2, 12, NULL);
	worksheet_set_column(x->stats, 3, 3, 36, NULL);
	worksheet_set_column(x->stats, 4, 8, 14, NULL);
	stats_choices_write(x, stats_numbers_write(x, 0));
}
