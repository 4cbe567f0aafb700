/*
 * page_text.h — every word the secretary's page shows, in Vietnamese and
 * English, in one table: a translator edits page_text.c and nothing else.
 */
#ifndef SURVEYD_PAGE_TEXT_H
#define SURVEYD_PAGE_TEXT_H

enum page_lang {
	PAGE_VI,
	PAGE_EN,
};

enum page_str {
	PT_APP, PT_SURVEYS, PT_LOGOUT, PT_OTHER_LANG, PT_OTHER_LANG_CODE,
	PT_LOGIN, PT_USER, PT_PASSWORD, PT_LOGIN_WRONG, PT_LOGIN_LOCKED,
	PT_SURVEY, PT_RESPONDENTS, PT_RATE, PT_DEADLINE,
	PT_STATE, PT_REGION, PT_ALL, PT_FILTER, PT_DOWNLOAD_WORKBOOK,
	PT_UNMATCHED, PT_CODE, PT_NAME, PT_LAST_REPLY, PT_REPLIES,
	PT_REMINDERS, PT_MAIL_PROBLEMS, PT_ISSUES, PT_TOTAL, PT_SHOWN,
	PT_CHART, PT_BY_REGION, PT_SUBMISSIONS, PT_SUBMISSION,
	PT_FILE, PT_DOWNLOAD_FILE, PT_MAIL_IN, PT_FROM, PT_SUBJECT,
	PT_DOWNLOAD_MAIL, PT_FIELD, PT_VALUE, PT_CELL, PT_NO_ISSUES,
	PT_REVIEW, PT_NOTE, PT_APPROVE, PT_REJECT, PT_OUTBOX, PT_KIND,
	PT_STEP, PT_SENT, PT_ERROR, PT_NO_MAIL, PT_NOTHING_YET, PT_IN_USE,
	PT_ASSIGN_TO, PT_ASSIGN, PT_NO_UNMATCHED, PT_DONE, PT_NOT_FOUND,
	PT_FORBIDDEN, PT_FAILED, PT_AS_OF, PT_BACK, PT_REVIEWED_BY,
	PT_N_ISSUES, PT_RESEND_FORM, PT_REMIND_NOW, PT_NEXT_REMINDER,
	PT_COUNT
};

const char	*page_text(enum page_lang, enum page_str);
/* A submission, respondent or review state in words; unknown ones as is. */
const char	*page_state_text(enum page_lang, const char *state);

#endif
