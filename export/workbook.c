/*
 * workbook.c — the consolidated workbook: its file, its formats, its cell
 * writers, and the three sheets written a row per respondent or submission
 * as they come (`Dữ liệu`, `Theo dõi`, `Chưa xác định`).  The two sheets
 * that need every row first, `Tổng hợp` and `Thống kê`, are in
 * workbook_totals.c; the words are in workbook_words.c.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"
#include "stats.h"
#include "value.h"
#include "workbook_int.h"

/* Excel refuses longer text in a cell. */
#define XL_TEXT_MAX	32767

/* --- cells ------------------------------------------------------------ */

void
xl_check(struct export_workbook *x, lxw_error e)
{
	if (x->error == LXW_NO_ERROR)
		x->error = e;
}

/*
 * worksheet_write_string() makes a string cell whatever the text: an
 * answer beginning "=", "+", "-" or "@" is never a formula.
 */
void
xl_text(struct export_workbook *x, lxw_worksheet *ws, lxw_row_t r,
    lxw_col_t c, const char *s, lxw_format *f)
{
	gchar *cut;

	if (s == NULL || *s == '\0')
		return;
	if (strlen(s) <= XL_TEXT_MAX || g_utf8_strlen(s, -1) <= XL_TEXT_MAX) {
		xl_check(x, worksheet_write_string(ws, r, c, s, f));
		return;
	}
	cut = g_utf8_substring(s, 0, XL_TEXT_MAX);
	xl_check(x, worksheet_write_string(ws, r, c, cut, f));
	g_free(cut);
}

void
xl_number(struct export_workbook *x, lxw_worksheet *ws, lxw_row_t r,
    lxw_col_t c, double v, lxw_format *f)
{
	xl_check(x, worksheet_write_number(ws, r, c, v, f));
}

/* A receipt time as a date and time in the survey's timezone. */
static void
xl_time(struct export_workbook *x, lxw_worksheet *ws, lxw_row_t r,
    lxw_col_t c, gint64 t)
{
	GDateTime *utc, *local;
	lxw_datetime dt;

	if (t == 0)
		return;
	utc = g_date_time_new_from_unix_utc(t);
	local = g_date_time_to_timezone(utc, x->survey->tz);
	dt.year = g_date_time_get_year(local);
	dt.month = g_date_time_get_month(local);
	dt.day = g_date_time_get_day_of_month(local);
	dt.hour = g_date_time_get_hour(local);
	dt.min = g_date_time_get_minute(local);
	dt.sec = g_date_time_get_second(local);
	xl_check(x, worksheet_write_datetime(ws, r, c, &dt, x->fmt.time));
	g_date_time_unref(local);
	g_date_time_unref(utc);
}

void
xl_header(struct export_workbook *x, lxw_worksheet *ws, lxw_row_t r,
    const enum wb_word *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		xl_text(x, ws, r, (lxw_col_t)i, wb_word(x, words[i]),
		    x->fmt.header);
}

/* A header row, frozen while the rows below scroll, on every printed page. */
static void
xl_table_start(struct export_workbook *x, lxw_worksheet *ws,
    const enum wb_word *words, size_t n, const double *widths,
    lxw_col_t freeze_col)
{
	size_t i;

	for (i = 0; i < n; i++)
		worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, widths[i],
		    NULL);
	xl_header(x, ws, 0, words, n);
	worksheet_freeze_panes(ws, 1, freeze_col);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, XL_PAPER_A4);
	worksheet_repeat_rows(ws, 0, 0);
}

/* The canonical number text of the store; anything else stays text. */
static int
number_parse(const char *s, double *out)
{
	char *end;

	if (s[strspn(s, "-0123456789.")] != '\0')
		return -1;
	*out = g_ascii_strtod(s, &end);
	return end != s && *end == '\0' ? 0 : -1;
}

static int
date_parse(const char *s, lxw_datetime *dt)
{
	memset(dt, 0, sizeof(*dt));
	if (value_date_parse(s, &dt->year, &dt->month, &dt->day) != VALUE_OK)
		return -1;
	/* Excel's dates begin in 1900. */
	return dt->year >= 1900 ? 0 : -1;
}

/*
 * Space-separated names (choices, flags) shown as words joined by sep, in
 * x->scratch; empty names from doubled spaces are skipped.
 */
static const char *
names_join(struct export_workbook *x, const char *names, const char *sep,
    const char *(*word)(const struct export_workbook *, const void *,
    const char *), const void *arg)
{
	char **v = g_strsplit(names, " ", -1), **p;

	g_string_truncate(x->scratch, 0);
	for (p = v; *p != NULL; p++) {
		if (**p == '\0')
			continue;
		if (x->scratch->len > 0)
			g_string_append(x->scratch, sep);
		g_string_append(x->scratch, word(x, arg, *p));
	}
	g_strfreev(v);
	return x->scratch->str;
}

/* A choice's label; a name the list no longer has shows as it is. */
static const char *
choice_word(const struct export_workbook *x, const void *field,
    const char *name)
{
	const struct choice *c = choice_list_find(
	    ((const struct field *)field)->list, name);

	return c != NULL ? wb_i18n(x, &c->label, c->name) : name;
}

static const char *
flag_word(const struct export_workbook *x, const void *unused,
    const char *name)
{
	(void)unused;
	return wb_flag_word(x, name);
}

/* --- Dữ liệu ---------------------------------------------------------- */

static const enum wb_word data_words[] = {
	WB_CODE, WB_NAME, WB_REGION, WB_STATE,
};
static const double data_widths[] = { 8, 24, 34, 16 };
G_STATIC_ASSERT(G_N_ELEMENTS(data_widths) == G_N_ELEMENTS(data_words));

/* Wide enough for the values, and for a field name heading it. */
static double
field_width(const struct export_workbook *x, const struct field *f)
{
	double w, name = strlen(f->name) + 2;

	switch (f->type) {
	case FIELD_INTEGER:
	case FIELD_DECIMAL:
	case FIELD_DATE:
		w = 13;
		break;
	case FIELD_TEXT:
		w = 40;
		break;
	default:
		w = 28;
		break;
	}
	return x->headings == EXPORT_HEADINGS_CODE ? MAX(w, name) : w;
}

static void
data_sheet_start(struct export_workbook *x)
{
	const struct field *f;
	lxw_col_t c = G_N_ELEMENTS(data_words);
	guint i;

	if (x->headings == EXPORT_HEADINGS_LABEL)
		worksheet_set_row(x->data, 0, 60, NULL);
	xl_table_start(x, x->data, data_words, G_N_ELEMENTS(data_words),
	    data_widths, 2);
	for (i = 0; i < x->def->nfields; i++) {
		f = &x->def->fields[i];
		if (f->type == FIELD_NOTE)
			continue;
		worksheet_set_column(x->data, c, c, field_width(x, f), NULL);
		xl_text(x, x->data, 0, c++, x->headings == EXPORT_HEADINGS_LABEL ?
		    wb_i18n(x, &f->label, f->name) : f->name, x->fmt.header);
	}
	x->data_last_col = c - 1;
}

/* One answer: numbers and dates as such, choices by their labels. */
static void
data_cell_write(struct export_workbook *x, lxw_row_t r, lxw_col_t c,
    guint field, const char *v)
{
	const struct field *f = &x->def->fields[field];
	struct wb_tally *t = &x->tallies[field];
	lxw_datetime dt;
	double d;

	switch (f->type) {
	case FIELD_INTEGER:
	case FIELD_DECIMAL:
		/* An old answer may be text the definition no longer takes. */
		if (number_parse(v, &d) == -1)
			break;
		xl_number(x, x->data, r, c, d, f->type == FIELD_INTEGER ?
		    x->fmt.integer : x->fmt.decimal);
		g_array_append_val(t->numbers, d);
		return;
	case FIELD_DATE:
		if (date_parse(v, &dt) == -1)
			break;
		xl_check(x, worksheet_write_datetime(x->data, r, c, &dt,
		    x->fmt.date));
		return;
	case FIELD_SELECT_ONE:
	case FIELD_SELECT_MULTIPLE:
		if (stats_choices_count(f->list, v,
		    f->type == FIELD_SELECT_MULTIPLE, t->counts) > 0)
			t->n++;
		v = f->type == FIELD_SELECT_ONE ? choice_word(x, f, v) :
		    names_join(x, v, "; ", choice_word, f);
		break;
	default:
		break;
	}
	xl_text(x, x->data, r, c, v, NULL);
}

/* Who and in what state: the first columns of Dữ liệu and Theo dõi. */
static void
row_head_write(struct export_workbook *x, lxw_worksheet *ws, lxw_row_t r,
    const struct export_row *row)
{
	xl_text(x, ws, r, 0, row->respondent->code, NULL);
	xl_text(x, ws, r, 1, row->respondent->name, NULL);
	xl_text(x, ws, r, 2, wb_region_name(x, row->respondent), NULL);
	xl_text(x, ws, r, 3, wb_state_word(x, row->status.state), NULL);
}

static void
data_row_write(struct export_workbook *x, lxw_row_t r,
    const struct export_row *row)
{
	lxw_col_t c = G_N_ELEMENTS(data_words);
	guint i;

	row_head_write(x, x->data, r, row);
	for (i = 0; i < x->def->nfields; i++) {
		if (x->def->fields[i].type == FIELD_NOTE)
			continue;
		if (row->values[i] != NULL)
			data_cell_write(x, r, c, i, row->values[i]);
		c++;
	}
}

/* --- Theo dõi and Chưa xác định ----------------------------------------- */

static const enum wb_word tracking_words[] = {
	WB_CODE, WB_NAME, WB_REGION, WB_STATE, WB_SUBMISSIONS, WB_ANSWER,
	WB_FIRST_REPLY, WB_LAST_REPLY, WB_REMINDERS, WB_FLAGS, WB_SENDER,
	WB_FILE, WB_ISSUES,
};
static const double tracking_widths[] = {
	8, 24, 34, 16, 10, 10, 17, 17, 10, 20, 32, 28, 80,
};
G_STATIC_ASSERT(G_N_ELEMENTS(tracking_widths) == G_N_ELEMENTS(tracking_words));

static const enum wb_word unmatched_words[] = {
	WB_SUBMISSION, WB_RECEIVED, WB_STATE, WB_SENDER, WB_SUBJECT, WB_FILE,
	WB_ISSUES,
};
static const double unmatched_widths[] = { 10, 17, 20, 32, 40, 28, 80 };
G_STATIC_ASSERT(G_N_ELEMENTS(unmatched_widths) ==
    G_N_ELEMENTS(unmatched_words));

/* A submission's issue messages, a line each. */
static const char *
issues_lines(struct export_workbook *x, const struct issues *is)
{
	guint i;

	g_string_truncate(x->scratch, 0);
	for (i = 0; i < is->v->len; i++) {
		if (i > 0)
			g_string_append_c(x->scratch, '\n');
		g_string_append(x->scratch,
		    ((const struct issue *)is->v->pdata[i])->message);
	}
	return x->scratch->str;
}

static void
tracking_row_write(struct export_workbook *x, lxw_row_t r,
    const struct export_row *row)
{
	const struct respondent_status *st = &row->status;
	const struct submission *latest = row->latest;
	lxw_worksheet *ws = x->tracking;

	row_head_write(x, ws, r, row);
	xl_number(x, ws, r, 4, (double)st->submissions, NULL);
	if (st->answer != 0)
		xl_number(x, ws, r, 5, (double)st->answer, NULL);
	xl_time(x, ws, r, 6, st->first_reply);
	xl_time(x, ws, r, 7, st->last_reply);
	xl_number(x, ws, r, 8, (double)st->reminders_sent, NULL);
	xl_text(x, ws, r, 9, names_join(x, st->flags, ", ", flag_word, NULL),
	    NULL);
	if (latest == NULL)
		return;
	xl_text(x, ws, r, 10, latest->sender, NULL);
	xl_text(x, ws, r, 11, latest->filename, NULL);
	xl_text(x, ws, r, 12, issues_lines(x, &latest->issues), x->fmt.wrap);
}

void
export_workbook_unmatched_add(struct export_workbook *x,
    const struct submission *sub)
{
	lxw_worksheet *ws = x->unmatched;
	lxw_row_t r = ++x->unmatched_rows;

	x->tally.unmatched += strcmp(sub->state, "not-a-form") != 0;
	x->tally.not_a_form += strcmp(sub->state, "not-a-form") == 0;
	xl_number(x, ws, r, 0, (double)sub->id, NULL);
	xl_time(x, ws, r, 1, sub->received);
	xl_text(x, ws, r, 2, wb_state_word(x, sub->state), NULL);
	xl_text(x, ws, r, 3, sub->sender, NULL);
	xl_text(x, ws, r, 4, sub->subject, NULL);
	xl_text(x, ws, r, 5, sub->filename, NULL);
	xl_text(x, ws, r, 6, issues_lines(x, &sub->issues), x->fmt.wrap);
}

void
export_workbook_row_add(struct export_workbook *x,
    const struct export_row *row)
{
	lxw_row_t r = ++x->data_rows;

	data_row_write(x, r, row);
	tracking_row_write(x, r, row);
	wb_tally_respondent(x, row);
}

/* --- the file ------------------------------------------------------------ */

static lxw_format *
format_number_new(lxw_workbook *book, const char *num)
{
	lxw_format *f = workbook_add_format(book);

	format_set_num_format(f, num);
	return f;
}

static void
formats_add(struct export_workbook *x)
{
	lxw_workbook *book = x->book;

	x->fmt.title = workbook_add_format(book);
	format_set_bold(x->fmt.title);
	format_set_font_size(x->fmt.title, 14);
	x->fmt.header = workbook_add_format(book);
	format_set_bold(x->fmt.header);
	format_set_text_wrap(x->fmt.header);
	format_set_align(x->fmt.header, LXW_ALIGN_VERTICAL_TOP);
	format_set_bg_color(x->fmt.header, 0xDDEBF7);
	format_set_border(x->fmt.header, LXW_BORDER_THIN);
	x->fmt.wrap = workbook_add_format(book);
	format_set_text_wrap(x->fmt.wrap);
	format_set_align(x->fmt.wrap, LXW_ALIGN_VERTICAL_TOP);
	x->fmt.integer = format_number_new(book, "#,##0");
	x->fmt.decimal = format_number_new(book, "#,##0.0##");
	x->fmt.figure = format_number_new(book, "#,##0.00");
	x->fmt.percent = format_number_new(book, "0.0%");
	x->fmt.date = format_number_new(book, "dd/mm/yyyy");
	x->fmt.time = format_number_new(book, "dd/mm/yyyy hh:mm");
}

/* The sheets in the order the secretary reads them. */
static void
sheets_add(struct export_workbook *x)
{
	x->summary = workbook_add_worksheet(x->book,
	    wb_word(x, WB_SHEET_SUMMARY));
	x->data = workbook_add_worksheet(x->book, wb_word(x, WB_SHEET_DATA));
	x->stats = workbook_add_worksheet(x->book, wb_word(x, WB_SHEET_STATS));
	x->tracking = workbook_add_worksheet(x->book,
	    wb_word(x, WB_SHEET_TRACKING));
	x->unmatched = workbook_add_worksheet(x->book,
	    wb_word(x, WB_SHEET_UNMATCHED));
	data_sheet_start(x);
	xl_table_start(x, x->tracking, tracking_words,
	    G_N_ELEMENTS(tracking_words), tracking_widths, 2);
	xl_table_start(x, x->unmatched, unmatched_words,
	    G_N_ELEMENTS(unmatched_words), unmatched_widths, 1);
	/* These two fit a page's width; the data sheet has too many fields. */
	worksheet_fit_to_pages(x->tracking, 1, 0);
	worksheet_fit_to_pages(x->unmatched, 1, 0);
}

static void
wb_free(struct export_workbook *x)
{
	wb_tally_clear(x);
	g_string_free(x->scratch, TRUE);
	g_free(x->path);
	g_free(x->tmp);
	g_free(x);
}

struct export_workbook *
export_workbook_open(const char *path, const struct survey *sv,
    enum export_headings headings, char *err, size_t errlen)
{
	lxw_workbook_options opts = { 0 };
	struct export_workbook *x;
	char *tmp;

	if ((tmp = file_temp_create(path, err, errlen)) == NULL)
		return NULL;
	opts.constant_memory = sv->roster->n > EXPORT_CONSTANT_MEMORY_ROWS;
	x = g_new0(struct export_workbook, 1);
	x->path = g_strdup(path);
	x->tmp = tmp;
	x->survey = sv;
	x->def = sv->def;
	x->lang = sv->language;
	x->headings = headings;
	x->scratch = g_string_new(NULL);
	if ((x->book = workbook_new_opt(tmp, &opts)) == NULL) {
		snprintf(err, errlen, "%s: cannot start a workbook", path);
		unlink(tmp);
		wb_free(x);
		return NULL;
	}
	formats_add(x);
	sheets_add(x);
	wb_tally_init(x);
	return x;
}

int
export_workbook_close(struct export_workbook *x, char *err, size_t errlen)
{
	lxw_error e;
	int rc = 0;

	worksheet_autofilter(x->data, 0, 0, x->data_rows, x->data_last_col);
	worksheet_autofilter(x->tracking, 0, 0, x->data_rows,
	    G_N_ELEMENTS(tracking_words) - 1);
	worksheet_autofilter(x->unmatched, 0, 0, x->unmatched_rows,
	    G_N_ELEMENTS(unmatched_words) - 1);
	wb_summary_write(x);
	wb_stats_write(x);
	e = workbook_close(x->book);
	if (x->error != LXW_NO_ERROR || e != LXW_NO_ERROR) {
		snprintf(err, errlen, "%s: %s", x->path, lxw_strerror(
		    x->error != LXW_NO_ERROR ? x->error : e));
		rc = -1;
		unlink(x->tmp);
	} else
		rc = file_temp_commit(x->tmp, x->path, err, errlen);
	wb_free(x);
	return rc;
}

void
export_workbook_discard(struct export_workbook *x)
{
	workbook_close(x->book);
	unlink(x->tmp);
	wb_free(x);
}
