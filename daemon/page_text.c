/*
 * page_text.c — the page's words.  Vietnamese first: it is the
 * secretary's language; English for a visitor or a foreign adviser.
 */
#include <string.h>

#include "page_text.h"

struct text {
	const char	*vi;
	const char	*en;
};

static const struct text texts[PT_COUNT] = {
	[PT_APP] = { "Theo dõi khảo sát", "Survey tracking" },
	[PT_SURVEYS] = { "Các cuộc khảo sát", "Surveys" },
	[PT_LOGOUT] = { "Đăng xuất", "Log out" },
	[PT_OTHER_LANG] = { "English", "Tiếng Việt" },
	[PT_OTHER_LANG_CODE] = { "en", "vi" },
	[PT_LOGIN] = { "Đăng nhập", "Log in" },
	[PT_USER] = { "Tên đăng nhập", "User name" },
	[PT_PASSWORD] = { "Mật khẩu", "Password" },
	[PT_LOGIN_WRONG] = { "Sai tên đăng nhập hoặc mật khẩu.",
	    "Wrong user name or password." },
	[PT_LOGIN_LOCKED] = { "Đăng nhập sai quá nhiều lần: xin thử lại sau "
	    "15 phút.", "Too many failed logins: try again in 15 minutes." },
	[PT_SURVEY] = { "Khảo sát", "Survey" },
	[PT_RESPONDENTS] = { "Số đơn vị", "Respondents" },
	[PT_RATE] = { "Tỷ lệ trả lời", "Response rate" },
	[PT_DEADLINE] = { "Hạn nộp", "Deadline" },
	[PT_STATE] = { "Trạng thái", "State" },
	[PT_REGION] = { "Vùng", "Region" },
	[PT_ALL] = { "Tất cả", "All" },
	[PT_FILTER] = { "Lọc", "Filter" },
	[PT_DOWNLOAD_WORKBOOK] = { "Tải bảng tổng hợp (Excel)",
	    "Download the consolidated workbook" },
	[PT_UNMATCHED] = { "Phiếu chưa xác định đơn vị gửi",
	    "Replies nobody claimed" },
	[PT_CODE] = { "Mã", "Code" },
	[PT_NAME] = { "Đơn vị", "Respondent" },
	[PT_LAST_REPLY] = { "Lần nộp cuối", "Last reply" },
	[PT_REPLIES] = { "Số phiếu", "Replies" },
	[PT_REMINDERS] = { "Đã nhắc", "Reminders sent" },
	[PT_MAIL_PROBLEMS] = { "Thư bị lỗi", "Mail problems" },
	[PT_ISSUES] = { "Vấn đề của phiếu mới nhất",
	    "Issues of the latest reply" },
	[PT_TOTAL] = { "Tổng số", "Total" },
	[PT_SHOWN] = { "Đang hiển thị", "Shown" },
	[PT_CHART] = { "Tình hình trả lời", "Replies so far" },
	[PT_BY_REGION] = { "Tỷ lệ hợp lệ theo vùng",
	    "Valid replies by region" },
	[PT_SUBMISSIONS] = { "Các phiếu đã nhận", "Submissions" },
	[PT_SUBMISSION] = { "Phiếu số", "Submission" },
	[PT_FILE] = { "Tệp", "File" },
	[PT_DOWNLOAD_FILE] = { "Tải tệp gốc", "Download the original file" },
	[PT_MAIL_IN] = { "Thư gửi kèm", "The mail it came in" },
	[PT_FROM] = { "Người gửi", "From" },
	[PT_SUBJECT] = { "Tiêu đề", "Subject" },
	[PT_DOWNLOAD_MAIL] = { "Tải thư gốc (.eml)",
	    "Download the mail (.eml)" },
	[PT_FIELD] = { "Chỉ tiêu", "Indicator" },
	[PT_VALUE] = { "Giá trị", "Value" },
	[PT_CELL] = { "Ô", "Cell" },
	[PT_NO_ISSUES] = { "Không có vấn đề.", "No issues." },
	[PT_REVIEW] = { "Duyệt phiếu", "Review" },
	[PT_NOTE] = { "Ghi chú", "Note" },
	[PT_APPROVE] = { "Chấp nhận", "Approve" },
	[PT_REJECT] = { "Từ chối", "Reject" },
	[PT_OUTBOX] = { "Thư đã gửi cho đơn vị",
	    "Mail sent to the respondent" },
	[PT_KIND] = { "Loại thư", "Kind" },
	[PT_STEP] = { "Đợt", "Step" },
	[PT_SENT] = { "Gửi lúc", "Sent" },
	[PT_ERROR] = { "Lỗi", "Error" },
	[PT_NO_MAIL] = { "Chưa gửi thư nào.", "No mail yet." },
	[PT_RESEND_FORM] = { "Gửi lại phiếu", "Resend the form" },
	[PT_REMIND_NOW] = { "Gửi thư nhắc ngay", "Send a reminder now" },
	[PT_NEXT_REMINDER] = { "Nhắc lần tới", "Next reminder" },
	[PT_NOTHING_YET] = { "Chưa nhận được phiếu nào.",
	    "Nothing received yet." },
	[PT_IN_USE] = { "phiếu được dùng trong bảng tổng hợp",
	    "the answer the workbook shows" },
	[PT_ASSIGN_TO] = { "Gán cho đơn vị", "Assign to" },
	[PT_ASSIGN] = { "Gán", "Assign" },
	[PT_NO_UNMATCHED] = { "Không có phiếu nào chưa xác định.",
	    "Every reply has been attributed." },
	[PT_DONE] = { "Đã ghi nhận.", "Done." },
	[PT_NOT_FOUND] = { "Không tìm thấy trang này.", "No such page." },
	[PT_FORBIDDEN] = { "Yêu cầu bị từ chối: xin tải lại trang rồi thử lại.",
	    "Request refused: reload the page and try again." },
	[PT_FAILED] = { "Không thực hiện được; chi tiết ở nhật ký máy chủ.",
	    "That failed; the server's log says why." },
	[PT_AS_OF] = { "Số liệu lúc", "As of" },
	[PT_BACK] = { "Quay lại", "Back" },
	[PT_REVIEWED_BY] = { "bởi", "by" },
	[PT_N_ISSUES] = { "vấn đề", "issues" },
};

static const struct {
	const char	*state;
	struct text	 text;
} states[] = {
	{ "accepted", { "Đã nộp hợp lệ", "Valid" } },
	{ "incomplete", { "Thiếu", "Incomplete" } },
	{ "invalid", { "Sai", "Has errors" } },
	{ "pending", { "Chưa nộp", "Not yet" } },
	{ "unmatched", { "Chưa xác định", "Unmatched" } },
	{ "not-a-form", { "Không phải phiếu", "Not a form" } },
	{ "received", { "Chưa duyệt", "Not reviewed" } },
	{ "approved", { "Đã chấp nhận", "Approved" } },
	{ "rejected", { "Bị từ chối", "Rejected" } },
	{ "form", { "Gửi phiếu", "Form" } },
	{ "reminder", { "Nhắc nộp", "Reminder" } },
	{ "acknowledgement", { "Xác nhận", "Acknowledgement" } },
	{ "queued", { "Chờ gửi", "Queued" } },
	{ "sent", { "Đã gửi", "Sent" } },
	{ "failed", { "Gửi lỗi", "Failed" } },
	{ "late", { "nộp muộn", "late" } },
	{ "after-close", { "sau khi đóng", "after closing" } },
	{ "mismatch", { "địa chỉ và phiếu không khớp",
	    "sender and form disagree" } },
};

static const char *
text_in(const struct text *t, enum page_lang lang)
{
	return lang == PAGE_EN ? t->en : t->vi;
}

const char *
page_text(enum page_lang lang, enum page_str s)
{
	return text_in(&texts[s], lang);
}

const char *
page_state_text(enum page_lang lang, const char *state)
{
	size_t i;

	for (i = 0; i < sizeof(states) / sizeof(states[0]); i++)
		if (strcmp(states[i].state, state) == 0)
			return text_in(&states[i].text, lang);
	return state;
}
