/*
 * workbook_int.h — what the consolidated workbook's files share: the
 * workbook being written, its words in the survey's language, its cell
 * writers and the tallies the totals and statistics are made from.
 */
#ifndef SURVEYD_WORKBOOK_INT_H
#define SURVEYD_WORKBOOK_INT_H

#include <xlsxwriter.h>

#include "workbook.h"

#define XL_PAPER_A4	9	/* libxlsxwriter's paper code */

enum wb_word {
	WB_SHEET_SUMMARY, WB_SHEET_DATA, WB_SHEET_STATS, WB_SHEET_TRACKING,
	WB_SHEET_UNMATCHED,
	WB_CODE, WB_NAME, WB_REGION, WB_STATE, WB_SUBMISSIONS, WB_ANSWER,
	WB_FIRST_REPLY, WB_LAST_REPLY, WB_REMINDERS, WB_FLAGS, WB_SENDER,
	WB_FILE, WB_ISSUES, WB_SUBMISSION, WB_RECEIVED, WB_SUBJECT,
	WB_FIELD, WB_LABEL, WB_N, WB_SUM, WB_MEAN, WB_MEDIAN, WB_MIN, WB_MAX,
	WB_SD, WB_OPTION, WB_COUNT_OF, WB_SHARE, WB_NUMERIC_FIELDS,
	WB_CHOICE_FIELDS,
	WB_FORM, WB_MEASURE, WB_VALUE, WB_RESPONDENTS, WB_ANSWERED, WB_RATE,
	WB_UNMATCHED, WB_NOT_A_FORM, WB_BY_REGION, WB_CHART, WB_NO_REGION, WB_UNITS,
	WB_REPLIED,
	WB_STATE_ACCEPTED, WB_STATE_INCOMPLETE, WB_STATE_INVALID,
	WB_STATE_PENDING, WB_STATE_UNMATCHED, WB_STATE_NOT_A_FORM,
	WB_FLAG_LATE, WB_FLAG_AFTER_CLOSE, WB_FLAG_MISMATCH, WB_FLAG_ADDRESS,
	WB_COUNT
};

/* What one field's answers add up to. */
struct wb_tally {
	GArray		*numbers;	/* of double: integer and decimal fields */
	guint		*counts;	/* per choice: select fields */
	guint		 n;		/* select answers naming a known choice */
};

struct wb_region {
	const char	*name;
	guint		 respondents;
	guint		 answered;
};

struct export_workbook {
	lxw_workbook		*book;
	char			*path;
	char			*tmp;		/* written here, renamed to path */
	const struct survey	*survey;
	const struct definition	*def;
	const char		*lang;
	enum export_headings	 headings;
	lxw_error		 error;		/* the first cell that failed */
	GString			*scratch;	/* a cell's text being joined */
	struct {
		lxw_format	*title, *header, *wrap;
		lxw_format	*integer, *decimal, *figure, *percent;
		lxw_format	*date, *time;
	} fmt;
	lxw_worksheet		*summary, *data, *stats, *tracking, *unmatched;
	lxw_row_t		 data_rows;	/* also Theo dõi's */
	lxw_row_t		 unmatched_rows;
	lxw_col_t		 data_last_col;
	struct wb_tally		*tallies;	/* per definition field */
	struct {
		guint		 respondents, answered;
		guint		 accepted, incomplete, invalid, pending;
		guint		 unmatched, not_a_form;
		GArray		*regions;	/* of struct wb_region, roster order */
		GHashTable	*region_index;	/* name → index + 1 */
	} tally;
};

/* workbook_words.c */
const char	*wb_word(const struct export_workbook *, enum wb_word);
/* The word for a store's state or flag name, or the name when it has none. */
const char	*wb_state_word(const struct export_workbook *, const char *state);
const char	*wb_flag_word(const struct export_workbook *, const char *flag);
/* The text in the survey's language, or fallback when it has none. */
const char	*wb_i18n(const struct export_workbook *, const struct i18n *,
		    const char *fallback);

/* workbook.c: cell writers; a failure is kept in x->error for the close. */
void	xl_check(struct export_workbook *, lxw_error);
void	xl_text(struct export_workbook *, lxw_worksheet *, lxw_row_t,
	    lxw_col_t, const char *, lxw_format *);
void	xl_number(struct export_workbook *, lxw_worksheet *, lxw_row_t,
	    lxw_col_t, double, lxw_format *);
void	xl_header(struct export_workbook *, lxw_worksheet *, lxw_row_t,
	    const enum wb_word *, size_t);

/* workbook_totals.c */
void	wb_tally_init(struct export_workbook *);
void	wb_tally_clear(struct export_workbook *);
void	wb_tally_respondent(struct export_workbook *, const struct export_row *);
const char *wb_region_name(const struct export_workbook *,
	    const struct respondent *);
void	wb_summary_write(struct export_workbook *);
void	wb_stats_write(struct export_workbook *);

#endif
