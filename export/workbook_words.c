/*
 * workbook_words.c — the consolidated workbook's words, Vietnamese and
 * English: sheet names, headings, and what the store's state and flag
 * names are called on paper.  The secretary reads Vietnamese; a survey
 * whose language is en gets English.
 */
#include <string.h>

#include "workbook_int.h"

static const struct wb_words {
	const char	*vi;
	const char	*en;
} wb_words[WB_COUNT] = {
	[WB_SHEET_SUMMARY] = { "Tổng hợp", "Summary" },
	[WB_SHEET_DATA] = { "Dữ liệu", "Data" },
	[WB_SHEET_STATS] = { "Thống kê", "Statistics" },
	[WB_SHEET_TRACKING] = { "Theo dõi", "Tracking" },
	[WB_SHEET_UNMATCHED] = { "Chưa xác định", "Unidentified" },
	[WB_CODE] = { "Mã", "Code" },
	[WB_NAME] = { "Đơn vị", "Respondent" },
	[WB_REGION] = { "Vùng", "Region" },
	[WB_STATE] = { "Trạng thái", "State" },
	[WB_SUBMISSIONS] = { "Số phiếu đã nhận", "Submissions" },
	[WB_ANSWER] = { "Phiếu được dùng", "Answer (submission)" },
	[WB_FIRST_REPLY] = { "Trả lời lần đầu", "First reply" },
	[WB_LAST_REPLY] = { "Trả lời lần cuối", "Last reply" },
	[WB_REMINDERS] = { "Số lần nhắc", "Reminders sent" },
	[WB_FLAGS] = { "Ghi chú", "Flags" },
	[WB_SENDER] = { "Người gửi", "Sender" },
	[WB_FILE] = { "Tệp", "File" },
	[WB_ISSUES] = { "Vấn đề", "Issues" },
	[WB_SUBMISSION] = { "Số phiếu", "Submission" },
	[WB_RECEIVED] = { "Thời điểm nhận", "Received" },
	[WB_SUBJECT] = { "Tiêu đề thư", "Subject" },
	[WB_FIELD] = { "Mã chỉ tiêu", "Field" },
	[WB_LABEL] = { "Chỉ tiêu", "Indicator" },
	[WB_N] = { "Số trả lời (n)", "n" },
	[WB_SUM] = { "Tổng", "Sum" },
	[WB_MEAN] = { "Trung bình", "Mean" },
	[WB_MEDIAN] = { "Trung vị", "Median" },
	[WB_MIN] = { "Nhỏ nhất", "Minimum" },
	[WB_MAX] = { "Lớn nhất", "Maximum" },
	[WB_SD] = { "Độ lệch chuẩn", "Standard deviation" },
	[WB_OPTION] = { "Phương án", "Option" },
	[WB_COUNT_OF] = { "Số lượng", "Count" },
	[WB_SHARE] = { "Tỷ lệ", "Share" },
	[WB_NUMERIC_FIELDS] = { "Chỉ tiêu định lượng", "Numeric indicators" },
	[WB_CHOICE_FIELDS] = { "Chỉ tiêu lựa chọn", "Choice indicators" },
	[WB_FORM] = { "Mẫu phiếu", "Form" },
	[WB_MEASURE] = { "Chỉ số", "Measure" },
	[WB_VALUE] = { "Giá trị", "Value" },
	[WB_RESPONDENTS] = { "Số đơn vị được khảo sát", "Respondents" },
	[WB_ANSWERED] = { "Số đơn vị đã có phiếu được ghi nhận",
	    "Respondents with an accepted answer" },
	[WB_RATE] = { "Tỷ lệ trả lời", "Response rate" },
	[WB_UNMATCHED] = { "Phiếu chưa xác định được đơn vị gửi",
	    "Replies nobody could be matched to" },
	[WB_NOT_A_FORM] = { "Tệp không đọc được như phiếu trả lời",
	    "Files that could not be read as a reply" },
	[WB_BY_REGION] = { "Tỷ lệ trả lời theo vùng", "Response by region" },
	[WB_CHART] = { "Số đơn vị và số đã trả lời theo vùng",
	    "Respondents and answers by region" },
	[WB_NO_REGION] = { "(không ghi vùng)", "(no region)" },
	[WB_UNITS] = { "Số đơn vị", "Respondents" },
	[WB_REPLIED] = { "Đã trả lời", "Answered" },
	[WB_STATE_ACCEPTED] = { "Hợp lệ", "Accepted" },
	[WB_STATE_INCOMPLETE] = { "Thiếu thông tin", "Incomplete" },
	[WB_STATE_INVALID] = { "Có lỗi", "Invalid" },
	[WB_STATE_PENDING] = { "Chưa trả lời", "Pending" },
	[WB_STATE_UNMATCHED] = { "Chưa xác định đơn vị", "Unmatched" },
	[WB_STATE_NOT_A_FORM] = { "Không phải phiếu", "Not a form" },
	[WB_FLAG_LATE] = { "trả lời sau hạn", "late" },
	[WB_FLAG_AFTER_CLOSE] = { "sau khi kết thúc khảo sát", "after close" },
	[WB_FLAG_MISMATCH] = { "đơn vị không khớp", "mismatch" },
	[WB_FLAG_ADDRESS] = { "địa chỉ thư lỗi", "address failing" },
};

/* The store's names for states and flags, and the words shown for them. */
static const struct wb_name {
	const char	*name;
	enum wb_word	 word;
} wb_states[] = {
	{ "accepted", WB_STATE_ACCEPTED },
	{ "incomplete", WB_STATE_INCOMPLETE },
	{ "invalid", WB_STATE_INVALID },
	{ "pending", WB_STATE_PENDING },
	{ "unmatched", WB_STATE_UNMATCHED },
	{ "not-a-form", WB_STATE_NOT_A_FORM },
}, wb_flags[] = {
	{ "late", WB_FLAG_LATE },
	{ "after-close", WB_FLAG_AFTER_CLOSE },
	{ "mismatch", WB_FLAG_MISMATCH },
	{ "address-failing", WB_FLAG_ADDRESS },
};

const char *
wb_word(const struct export_workbook *x, enum wb_word w)
{
	return strcmp(x->lang, "en") == 0 ? wb_words[w].en : wb_words[w].vi;
}

/* The word for a store name, or the name itself when it has none. */
static const char *
wb_name_word(const struct export_workbook *x, const struct wb_name *v,
    size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return wb_word(x, v[i].word);
	return name;
}

const char *
wb_state_word(const struct export_workbook *x, const char *state)
{
	return wb_name_word(x, wb_states, G_N_ELEMENTS(wb_states), state);
}

const char *
wb_i18n(const struct export_workbook *x, const struct i18n *t,
    const char *fallback)
{
	const char *s = i18n_get(t, x->lang);

	return s != NULL ? s : fallback;
}

const char *
wb_flag_word(const struct export_workbook *x, const char *flag)
{
	return wb_name_word(x, wb_flags, G_N_ELEMENTS(wb_flags), flag);
}
