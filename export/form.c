/*
 * form.c — the blank personalised form, written with libxlsxwriter.
 *
 * The visible sheet follows the layout tests/fixtures/make_replies.py also
 * builds: B1 the title, B2 the respondent, B3 what to do, row 4 the
 * headings, then from row 5 one row per field in definition order: A
 * (hidden) the field name, B the number, C the label, D the unit or hint,
 * E the answer, the only cells left unlocked.  A note is a heading row; a
 * select_multiple is its own row followed by one x-or-blank row per choice.
 *
 * The clues reply.c reads a reply by, each surviving more than the one
 * before: a defined name q_<key> on every answer cell (lost by some
 * programs); the hidden `_surveyd` sheet with form_id, version, respondent,
 * token and field:<key> → cell (kept in .xls, .ods and .csv); the hidden
 * column A of field names.  Dropdowns read the hidden `_lists` sheet
 * through a defined name, since an inline list stops at 255 characters.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>
#include <xlsxwriter.h>

#include "file.h"
#include "form.h"

#define META_SHEET	"_surveyd"
#define LISTS_SHEET	"_lists"
#define LIST_NAME	"list_"		/* list_<n>: the n-th list's range */

/* Columns of the visible sheet. */
enum {
	COL_FIELD,	/* hidden: the field name */
	COL_NUMBER,
	COL_LABEL,
	COL_HINT,
	COL_ANSWER,
	FORM_COLUMNS
};

/* In widths of a digit of the default 11-point font. */
static const double column_widths[FORM_COLUMNS] = { 24, 6, 62, 22, 28 };
#define FONT_SIZE	11.0
#define TITLE_SIZE	13.0
#define LINE_SPACING	1.4	/* row height per point of font size */

#define HEADING_ROW	3	/* row 4, repeated on every printed page */
#define FIRST_ROW	4	/* row 5, the first field */
#define NUMBER_LIMIT	1e15	/* Excel keeps 15 significant digits */
#define MESSAGE_MAX	255	/* Excel refuses a longer validation message */
#define EXCEL_NAME_MAX	255	/* nor a longer defined name */
#define PAPER_A4	9

#define COLOUR_ANSWER	0xFFF2CC
#define COLOUR_HEADING	0xDDEBF7
#define COLOUR_SECTION	0xF2F2F2

/* What the form says, in the respondent's language. */
struct form_text {
	const char	*sheet;
	const char	*respondent;
	const char	*guide;
	const char	*deadline;
	const char	*headings[FORM_COLUMNS];
	const char	*not_integer;
	const char	*not_number;
	const char	*not_date;
	const char	*not_choice;
	const char	*not_tick;
};

static const struct form_text form_text_vi = {
	"Phiếu khảo sát",
	"Đơn vị: ",
	"Xin điền vào các ô màu vàng ở cột “Trả lời”, lưu tệp và gửi lại.",
	" Hạn gửi: ",
	{ "field", "STT", "Chỉ tiêu", "Đơn vị tính / Hướng dẫn", "Trả lời" },
	"Xin nhập một số nguyên.",
	"Xin nhập một con số.",
	"Xin nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/05/2023.",
	"Xin chọn một phương án trong danh sách.",
	"Đánh dấu x vào ô phù hợp, hoặc để trống.",
};

static const struct form_text form_text_en = {
	"Questionnaire",
	"Respondent: ",
	"Please fill in the yellow cells of the “Answer” column, save the "
	    "file and send it back.",
	" Deadline: ",
	{ "field", "No.", "Indicator", "Unit / Guidance", "Answer" },
	"Please enter a whole number.",
	"Please enter a number.",
	"Please enter a date as day/month/year, e.g. 15/05/2023.",
	"Please choose an option from the list.",
	"Mark with x where it applies, or leave empty.",
};

struct form_formats {
	lxw_format	*title;
	lxw_format	*bold;
	lxw_format	*guide;
	lxw_format	*heading;
	lxw_format	*number;
	lxw_format	*label;
	lxw_format	*choice;	/* a choice's label, indented */
	lxw_format	*section;
	lxw_format	*answer;	/* numbers and choices */
	lxw_format	*integer;
	lxw_format	*text;
	lxw_format	*date;
	lxw_format	*tick;
	lxw_format	*meta;		/* `_surveyd` values stay text: "01" */
};

struct form {
	lxw_workbook		*wb;
	lxw_worksheet		*ws;		/* the sheet to fill in */
	lxw_worksheet		*meta;		/* `_surveyd` */
	lxw_worksheet		*lists;		/* `_lists` */
	const struct definition	*def;
	const char		*lang;
	const struct form_text	*text;
	struct form_formats	 fmt;
	lxw_row_t		 row;		/* the next row of ws */
	lxw_row_t		 meta_row;	/* the next row of meta */
	lxw_error		 error;		/* the first failure */
};

/* Keeps the first error, so one check after closing covers every call. */
static void
form_error_keep(struct form *f, lxw_error e)
{
	if (f->error == LXW_NO_ERROR)
		f->error = e;
}

/* --- formats ------------------------------------------------------------ */

static lxw_format *
format_boxed(lxw_workbook *wb)
{
	lxw_format *x = workbook_add_format(wb);

	format_set_border(x, LXW_BORDER_THIN);
	format_set_align(x, LXW_ALIGN_VERTICAL_TOP);
	format_set_text_wrap(x);
	return x;
}

static lxw_format *
format_filled(lxw_workbook *wb, lxw_color_t colour)
{
	lxw_format *x = format_boxed(wb);

	format_set_bg_color(x, colour);
	return x;
}

static lxw_format *
format_answer(lxw_workbook *wb, const char *num_format)
{
	lxw_format *x = format_filled(wb, COLOUR_ANSWER);

	format_set_unlocked(x);
	format_set_num_format(x, num_format);
	return x;
}

static void
form_formats_make(struct form *f)
{
	struct form_formats *m = &f->fmt;

	m->title = workbook_add_format(f->wb);
	format_set_bold(m->title);
	format_set_font_size(m->title, TITLE_SIZE);
	format_set_text_wrap(m->title);
	format_set_align(m->title, LXW_ALIGN_VERTICAL_TOP);
	m->bold = workbook_add_format(f->wb);
	format_set_bold(m->bold);
	m->guide = workbook_add_format(f->wb);
	format_set_italic(m->guide);
	format_set_text_wrap(m->guide);
	format_set_align(m->guide, LXW_ALIGN_VERTICAL_TOP);
	m->heading = format_filled(f->wb, COLOUR_HEADING);
	format_set_bold(m->heading);
	format_set_align(m->heading, LXW_ALIGN_CENTER);
	m->number = format_boxed(f->wb);
	format_set_align(m->number, LXW_ALIGN_CENTER);
	m->label = format_boxed(f->wb);
	m->choice = format_boxed(f->wb);
	format_set_indent(m->choice, 2);
	m->section = format_filled(f->wb, COLOUR_SECTION);
	format_set_bold(m->section);
	m->answer = format_answer(f->wb, "General");
	m->integer = format_answer(f->wb, "0");
	/* Text cells keep what is typed: a phone number's leading zero. */
	m->text = format_answer(f->wb, "@");
	m->date = format_answer(f->wb, "dd/mm/yyyy");
	m->tick = format_answer(f->wb, "General");
	format_set_align(m->tick, LXW_ALIGN_CENTER);
	m->meta = workbook_add_format(f->wb);
	format_set_num_format(m->meta, "@");
}

/* --- names and the `_surveyd` map --------------------------------------- */

/* Excel's rule for a name; q_ and list_ never look like a cell. */
static int
excel_name_valid(const char *name)
{
	const char *p;

	if (strlen(name) > EXCEL_NAME_MAX)
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '.')
			return 0;
	return 1;
}

/* "'Phiếu khảo sát'!$E$7": quoted, as Excel accepts of any sheet name. */
static char *
sheet_ref(const char *sheet, lxw_row_t row1, lxw_col_t col,
    lxw_row_t row2)
{
	char range[LXW_MAX_CELL_RANGE_LENGTH];

	lxw_rowcol_to_range_abs(range, row1, col, row2, col);
	return g_strdup_printf("'%s'!%s", sheet, range);
}

static void
form_name_define(struct form *f, const char *name, const char *ref)
{
	char *formula = g_strconcat("=", ref, NULL);

	form_error_keep(f, workbook_define_name(f->wb, name, formula));
	g_free(formula);
}

static void
form_meta_add(struct form *f, const char *key, const char *value)
{
	form_error_keep(f, worksheet_write_string(f->meta, f->meta_row, 0,
	    key, NULL));
	form_error_keep(f, worksheet_write_string(f->meta, f->meta_row, 1,
	    value, f->fmt.meta));
	f->meta_row++;
}

/* Names an answer cell both ways reply.c looks: q_<key> and field:<key>. */
static void
form_answer_name(struct form *f, const char *key)
{
	char *ref = sheet_ref(f->text->sheet, f->row, COL_ANSWER, f->row);
	char *name = g_strconcat("q_", key, NULL);
	char *meta = g_strconcat("field:", key, NULL);

	/* A choice "a-b" makes no Excel name; `_surveyd` still maps it. */
	if (excel_name_valid(name))
		form_name_define(f, name, ref);
	form_meta_add(f, meta, ref);
	g_free(meta);
	g_free(name);
	g_free(ref);
}

/* --- data validation ---------------------------------------------------- */

/*
 * The range a constraint allows when constraint_bounds() can say it;
 * anything else leaves the widest range and validate.c checks the rest
 * when the form comes back.  A decimal's strict bound stays inclusive:
 * Excel may let 0 through ". > 0" and surveyd reports it, but Excel never
 * refuses what surveyd accepts.
 */
static void
form_range(const struct field *fd, double *lo, double *hi)
{
	double a = -NUMBER_LIMIT, b = NUMBER_LIMIT;
	int as = 0, bs = 0;

	*lo = a;
	*hi = b;
	if (fd->constraint == NULL ||
	    constraint_bounds(fd->constraint, &a, &as, &b, &bs) == -1)
		return;
	if (fd->type == FIELD_INTEGER) {
		a = as ? floor(a) + 1 : ceil(a);
		b = bs ? ceil(b) - 1 : floor(b);
	}
	*lo = a;
	*hi = b;
}

/* Excel refuses a validation message over 255 characters. */
static char *
message_clip(const char *text)
{
	return g_utf8_substring(text, 0, MIN(g_utf8_strlen(text, -1),
	    MESSAGE_MAX));
}

static void
form_validation_add(struct form *f, lxw_data_validation *v, const char *why)
{
	char *message = message_clip(why);

	v->error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
	v->error_message = message;
	form_error_keep(f, worksheet_data_validation_cell(f->ws, f->row,
	    COL_ANSWER, v));
	g_free(message);
}

/* Whole or decimal numbers in range, a date, or one of the list. */
static void
form_answer_validate(struct form *f, const struct field *fd)
{
	lxw_data_validation v;
	const char *why, *own = i18n_get(&fd->constraint_message, f->lang);
	char *source = NULL;

	memset(&v, 0, sizeof(v));
	switch (fd->type) {
	case FIELD_INTEGER:
	case FIELD_DECIMAL:
		v.validate = fd->type == FIELD_INTEGER ?
		    LXW_VALIDATION_TYPE_INTEGER : LXW_VALIDATION_TYPE_DECIMAL;
		v.criteria = LXW_VALIDATION_CRITERIA_BETWEEN;
		form_range(fd, &v.minimum_number, &v.maximum_number);
		why = fd->type == FIELD_INTEGER ? f->text->not_integer :
		    f->text->not_number;
		break;
	case FIELD_DATE:
		v.validate = LXW_VALIDATION_TYPE_DATE;
		v.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
		v.value_datetime = (lxw_datetime){ 1900, 1, 1, 0, 0, 0 };
		why = f->text->not_date;
		break;
	case FIELD_SELECT_ONE:
		/* libxlsxwriter 1.1.4 leaks a copy of this formula (fixed since). */
		v.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
		v.value_formula = source = g_strdup_printf("=" LIST_NAME "%u",
		    (guint)(fd->list - f->def->lists));
		why = f->text->not_choice;
		break;
	default:
		return;
	}
	form_validation_add(f, &v, own != NULL ? own : why);
	g_free(source);
}

static void
form_tick_validate(struct form *f)
{
	char x[] = "x", *marks[] = { x, NULL };
	lxw_data_validation v;

	memset(&v, 0, sizeof(v));
	v.validate = LXW_VALIDATION_TYPE_LIST;
	v.value_list = marks;
	form_validation_add(f, &v, f->text->not_tick);
}

/* --- the visible sheet -------------------------------------------------- */

/* The lines text wraps to in a column of that width, at a font size. */
static double
text_lines(const char *text, double width, double size)
{
	if (text == NULL)
		return 1;
	return MAX(1, ceil(g_utf8_strlen(text, -1) * size / FONT_SIZE / width));
}

/*
 * Neither merged cells nor LibreOffice's printing grow a row to its
 * wrapped text: a row that needs more than one line gets its height.
 * One-line rows keep the default, which Excel grows for a long answer.
 */
static void
form_row_fit(struct form *f, lxw_row_t row, double lines, double size)
{
	if (lines > 1)
		form_error_keep(f, worksheet_set_row(f->ws, row,
		    lines * size * LINE_SPACING, NULL));
}

/* Text across B:E. */
static void
form_merged_write(struct form *f, lxw_row_t row, const char *text,
    lxw_format *fmt, double size)
{
	double width = 0;
	lxw_col_t c;

	for (c = COL_NUMBER; c < FORM_COLUMNS; c++)
		width += column_widths[c];
	form_error_keep(f, worksheet_merge_range(f->ws, row, COL_NUMBER, row,
	    COL_ANSWER, text, fmt));
	form_row_fit(f, row, text_lines(text, width, size), size);
}

/* What to do, and by when: the deadline's day in the survey's timezone. */
static char *
form_guide(const struct form *f, const struct survey *sv)
{
	GDateTime *utc, *local;
	char *day, *guide;

	if (sv->deadline == 0 || sv->tz == NULL)
		return g_strdup(f->text->guide);
	utc = g_date_time_new_from_unix_utc(sv->deadline);
	local = g_date_time_to_timezone(utc, sv->tz);
	day = g_date_time_format(local, "%d/%m/%Y");
	guide = g_strconcat(f->text->guide, f->text->deadline, day, ".", NULL);
	g_free(day);
	g_date_time_unref(local);
	g_date_time_unref(utc);
	return guide;
}

static void
form_head_write(struct form *f, const struct survey *sv,
    const struct respondent *r)
{
	const char *title = i18n_get(&f->def->title, f->lang);
	char *who = g_strconcat(f->text->respondent, r->name, NULL);
	char *guide = form_guide(f, sv);
	lxw_col_t c;

	form_merged_write(f, 0, title != NULL ? title : f->def->form_id,
	    f->fmt.title, TITLE_SIZE);
	form_error_keep(f, worksheet_write_string(f->ws, 1, COL_NUMBER, who,
	    f->fmt.bold));
	form_merged_write(f, 2, guide, f->fmt.guide, FONT_SIZE);
	for (c = 0; c < FORM_COLUMNS; c++)
		form_error_keep(f, worksheet_write_string(f->ws, HEADING_ROW, c,
		    f->text->headings[c], f->fmt.heading));
	f->row = FIRST_ROW;
	g_free(guide);
	g_free(who);
}

static void
form_section_write(struct form *f, const struct field *fd)
{
	const char *label = i18n_get(&fd->label, f->lang);
	lxw_col_t c;

	form_error_keep(f, worksheet_write_string(f->ws, f->row, COL_FIELD,
	    fd->name, NULL));
	for (c = COL_NUMBER; c < FORM_COLUMNS; c++)
		form_error_keep(f, worksheet_write_string(f->ws, f->row, c,
		    c == COL_LABEL ? label : NULL, f->fmt.section));
	form_row_fit(f, f->row, text_lines(label, column_widths[COL_LABEL],
	    FONT_SIZE), FONT_SIZE);
	f->row++;
}

static lxw_format *
form_answer_format(const struct form *f, enum field_type type)
{
	switch (type) {
	case FIELD_INTEGER:
		return f->fmt.integer;
	case FIELD_DATE:
		return f->fmt.date;
	case FIELD_TEXT:
		return f->fmt.text;
	case FIELD_SELECT_MULTIPLE:
		/* Answered on the choice rows below, so locked. */
		return f->fmt.label;
	default:
		return f->fmt.answer;
	}
}

static const char *
choice_label(const struct choice *ch, const char *lang)
{
	const char *label = i18n_get(&ch->label, lang);

	return label != NULL ? label : ch->name;
}

/*
 * A row of the table: the key in the hidden column, the number (none for
 * a choice), the label, the hint, and the answer cell; the row then
 * named, validated and left behind by the caller.
 */
static void
form_row_write(struct form *f, const char *key, guint number,
    const char *label, lxw_format *label_fmt, const char *hint,
    lxw_format *answer_fmt)
{
	form_error_keep(f, worksheet_write_string(f->ws, f->row, COL_FIELD,
	    key, NULL));
	form_error_keep(f, number > 0 ?
	    worksheet_write_number(f->ws, f->row, COL_NUMBER, number,
	    f->fmt.number) :
	    worksheet_write_blank(f->ws, f->row, COL_NUMBER, f->fmt.label));
	form_error_keep(f, worksheet_write_string(f->ws, f->row, COL_LABEL,
	    label, label_fmt));
	form_error_keep(f, worksheet_write_string(f->ws, f->row, COL_HINT,
	    hint, f->fmt.label));
	form_error_keep(f, worksheet_write_blank(f->ws, f->row, COL_ANSWER,
	    answer_fmt));
	form_row_fit(f, f->row, MAX(text_lines(label, column_widths[COL_LABEL],
	    FONT_SIZE), text_lines(hint, column_widths[COL_HINT], FONT_SIZE)),
	    FONT_SIZE);
	form_answer_name(f, key);
}

/* One x-or-blank row per choice, named <field>__<choice>. */
static void
form_choices_write(struct form *f, const struct field *fd)
{
	const struct choice *ch;
	char *key;
	guint i;

	for (i = 0; i < fd->list->nchoices; i++) {
		ch = &fd->list->choices[i];
		key = g_strconcat(fd->name, "__", ch->name, NULL);
		form_row_write(f, key, 0, choice_label(ch, f->lang),
		    f->fmt.choice, NULL, f->fmt.tick);
		form_tick_validate(f);
		f->row++;
		g_free(key);
	}
}

static void
form_field_write(struct form *f, const struct field *fd, guint number)
{
	form_row_write(f, fd->name, number, i18n_get(&fd->label, f->lang),
	    f->fmt.label, i18n_get(&fd->hint, f->lang),
	    form_answer_format(f, fd->type));
	form_answer_validate(f, fd);
	f->row++;
	if (fd->type == FIELD_SELECT_MULTIPLE)
		form_choices_write(f, fd);
}

static void
form_fields_write(struct form *f)
{
	const struct field *fd;
	guint i, number = 0;

	for (i = 0; i < f->def->nfields; i++) {
		fd = &f->def->fields[i];
		if (fd->type == FIELD_NOTE)
			form_section_write(f, fd);
		else
			form_field_write(f, fd, ++number);
	}
}

/* Every choice list as a column of `_lists`, named list_<n> for dropdowns. */
static void
form_lists_write(struct form *f)
{
	const struct choice_list *l;
	char *ref, *name;
	guint i, j;

	for (i = 0; i < f->def->nlists; i++) {
		l = &f->def->lists[i];
		form_error_keep(f, worksheet_write_string(f->lists, 0, i,
		    l->name, NULL));
		for (j = 0; j < l->nchoices; j++)
			form_error_keep(f, worksheet_write_string(f->lists,
			    j + 1, i, choice_label(&l->choices[j], f->lang),
			    NULL));
		if (l->nchoices == 0)
			continue;
		ref = sheet_ref(LISTS_SHEET, 1, i, l->nchoices);
		name = g_strdup_printf(LIST_NAME "%u", i);
		form_name_define(f, name, ref);
		g_free(name);
		g_free(ref);
	}
}

/* A4 portrait, one page wide, the headings on every page. */
static void
form_page_setup(struct form *f)
{
	lxw_row_col_options hidden = { .hidden = 1 };
	lxw_col_t c;

	form_error_keep(f, worksheet_set_column_opt(f->ws, COL_FIELD,
	    COL_FIELD, column_widths[COL_FIELD], NULL, &hidden));
	for (c = COL_NUMBER; c < FORM_COLUMNS; c++)
		form_error_keep(f, worksheet_set_column(f->ws, c, c,
		    column_widths[c], NULL));
	worksheet_set_paper(f->ws, PAPER_A4);
	worksheet_set_portrait(f->ws);
	worksheet_fit_to_pages(f->ws, 1, 0);
	worksheet_set_margins(f->ws, 0.5, 0.5, 0.6, 0.6);
	worksheet_center_horizontally(f->ws);
	form_error_keep(f, worksheet_repeat_rows(f->ws, HEADING_ROW,
	    HEADING_ROW));
	form_error_keep(f, worksheet_set_footer(f->ws, "&C&P / &N"));
	worksheet_freeze_panes(f->ws, FIRST_ROW, 0);
	worksheet_set_selection(f->ws, FIRST_ROW, COL_ANSWER, FIRST_ROW,
	    COL_ANSWER);
}

/*
 * Everything locked but the answer cells, and no password: a respondent
 * who must change more is never locked out.  Column widths and row
 * heights stay adjustable for long answers.
 */
static void
form_protect(struct form *f)
{
	lxw_protection p = { .format_columns = 1, .format_rows = 1 };

	worksheet_protect(f->ws, NULL, &p);
	worksheet_protect(f->meta, NULL, NULL);
	worksheet_protect(f->lists, NULL, NULL);
}

/* --- the file ----------------------------------------------------------- */

static const char *
form_lang(const struct survey *sv, const struct respondent *r)
{
	return strcmp(sv->language, "en") == 0 ||
	    (r->language != NULL && strcmp(r->language, "en") == 0) ?
	    "en" : "vi";
}

static int
form_open(struct form *f, const struct survey *sv, const struct respondent *r,
    const char *tmp)
{
	memset(f, 0, sizeof(*f));
	f->def = sv->def;
	f->lang = form_lang(sv, r);
	f->text = strcmp(f->lang, "en") == 0 ? &form_text_en : &form_text_vi;
	if ((f->wb = workbook_new(tmp)) == NULL)
		return -1;
	f->ws = workbook_add_worksheet(f->wb, f->text->sheet);
	f->meta = workbook_add_worksheet(f->wb, META_SHEET);
	f->lists = workbook_add_worksheet(f->wb, LISTS_SHEET);
	worksheet_hide(f->meta);
	worksheet_hide(f->lists);
	form_error_keep(f, worksheet_set_column(f->meta, 0, 1, 40, NULL));
	form_formats_make(f);
	return 0;
}

int
form_write(const struct survey *sv, const struct respondent *r,
    const char *token, const char *path, char *err, size_t errlen)
{
	struct form f;
	char *tmp;
	int rc;

	if ((tmp = file_temp_create(path, err, errlen)) == NULL)
		return -1;
	if (form_open(&f, sv, r, tmp) == -1) {
		snprintf(err, errlen, "cannot write %s: out of memory", path);
		unlink(tmp);
		g_free(tmp);
		return -1;
	}
	form_meta_add(&f, "form_id", f.def->form_id);
	form_meta_add(&f, "version", f.def->version);
	form_meta_add(&f, "respondent", r->code);
	form_meta_add(&f, "token", token);
	form_head_write(&f, sv, r);
	form_lists_write(&f);
	form_fields_write(&f);
	form_page_setup(&f);
	form_protect(&f);
	form_error_keep(&f, workbook_close(f.wb));
	if (f.error != LXW_NO_ERROR) {
		snprintf(err, errlen, "cannot write %s: %s", path,
		    lxw_strerror(f.error));
		unlink(tmp);
		g_free(tmp);
		return -1;
	}
	rc = file_temp_commit(tmp, path, err, errlen);
	g_free(tmp);
	return rc;
}
