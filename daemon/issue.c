/*
 * issue.c — the catalogue of issue messages, Vietnamese and English, and
 * the list that collects them.
 *
 * Each code's two texts take the same arguments in the same order, so one
 * call site serves both languages.  Vietnamese is what the secretary and
 * the provinces read; the wording is plain and polite, naming the
 * indicator by its label as it appears on the form.
 */
#include <stdarg.h>
#include <string.h>

#include "issue.h"

struct issue_text {
	const char		*name;
	enum issue_weight	 weight;
	const char		*vi;
	const char		*en;
};

/* Arguments: label, cell, then the code's own (the value, a limit...). */
static const struct issue_text issue_texts[ISSUE_CODE_COUNT] = {
	[ISSUE_REQUIRED] = { "required", ISSUE_INCOMPLETE,
	    "Chỉ tiêu “%s” (ô %s) bắt buộc nhưng chưa được điền.",
	    "“%s” (cell %s) is required but empty." },
	[ISSUE_NOT_NUMBER] = { "not-a-number", ISSUE_INVALID,
	    "Chỉ tiêu “%s” (ô %s): “%s” không phải là một con số.",
	    "“%s” (cell %s): “%s” is not a number." },
	[ISSUE_NOT_WHOLE] = { "not-whole", ISSUE_INVALID,
	    "Chỉ tiêu “%s” (ô %s): “%s” phải là số nguyên.",
	    "“%s” (cell %s): “%s” must be a whole number." },
	[ISSUE_AMBIGUOUS] = { "ambiguous-number", ISSUE_INVALID,
	    "Chỉ tiêu “%s” (ô %s): không rõ “%s” là số hàng nghìn hay số "
	    "thập phân; xin ghi rõ (ví dụ 1250 hoặc 1,25).",
	    "“%s” (cell %s): “%s” could be thousands or decimals; please "
	    "write it unambiguously (e.g. 1250 or 1.25)." },
	[ISSUE_NOT_DATE] = { "not-a-date", ISSUE_INVALID,
	    "Chỉ tiêu “%s” (ô %s): “%s” không phải là ngày hợp lệ "
	    "(ghi theo ngày/tháng/năm).",
	    "“%s” (cell %s): “%s” is not a valid date (write day/month/year)." },
	[ISSUE_CONSTRAINT] = { "constraint", ISSUE_INVALID,
	    "Chỉ tiêu “%s” (ô %s): giá trị “%s” không hợp lệ: %s",
	    "“%s” (cell %s): the value “%s” is not accepted: %s" },
	[ISSUE_CHOICE] = { "not-a-choice", ISSUE_INVALID,
	    "Chỉ tiêu “%s” (ô %s): “%s” không có trong danh sách lựa chọn.",
	    "“%s” (cell %s): “%s” is not one of the choices." },
	[ISSUE_ERROR_VALUE] = { "error-value", ISSUE_INVALID,
	    "Chỉ tiêu “%s” (ô %s): ô báo lỗi %s; xin nhập trực tiếp giá trị.",
	    "“%s” (cell %s): the cell shows the error %s; please type the "
	    "value." },
	[ISSUE_NO_VALUE] = { "formula-no-value", ISSUE_INVALID,
	    "Chỉ tiêu “%s” (ô %s): ô chứa công thức chưa được tính; xin nhập "
	    "trực tiếp con số.",
	    "“%s” (cell %s): the cell holds a formula that was never "
	    "calculated; please type the number." },
	[ISSUE_UNKNOWN_FIELD] = { "unknown-field", ISSUE_WARNING,
	    "Phiếu có mục “%s” (ô %s) không có trong mẫu phiếu hiện hành; "
	    "mục này không được ghi nhận.",
	    "The reply has an item “%s” (cell %s) that the current form does "
	    "not have; it was not recorded." },
	[ISSUE_MISSING_FIELD] = { "missing-field", ISSUE_WARNING,
	    "Không tìm thấy chỉ tiêu “%s” trong phiếu.",
	    "The reply does not have “%s”." },
	[ISSUE_MISSING_REQUIRED] = { "missing-required", ISSUE_INCOMPLETE,
	    "Không tìm thấy chỉ tiêu bắt buộc “%s” trong phiếu.",
	    "The reply does not have the required “%s”." },
	[ISSUE_VERSION] = { "other-version", ISSUE_WARNING,
	    "Phiếu theo mẫu phiên bản %s%s, mẫu hiện hành là %s; các chỉ tiêu "
	    "được đọc theo mã.",
	    "The reply uses version %s%s of the form, the current one is %s; "
	    "it was read field by field." },
	[ISSUE_NOT_A_FORM] = { "not-a-form", ISSUE_REJECTED,
	    "Tệp “%s”%s không đọc được như một phiếu trả lời: %s",
	    "The file “%s”%s could not be read as a reply: %s" },
	[ISSUE_UNMATCHED] = { "unmatched", ISSUE_REJECTED,
	    "Không xác định được đơn vị gửi phiếu%s%s.",
	    "Could not tell who sent this reply%s%s." },
};

static void
issue_free(gpointer p)
{
	struct issue *i = p;

	g_free(i->field);
	g_free(i->cell);
	g_free(i->message);
	g_free(i);
}

void
issues_init(struct issues *l)
{
	l->v = g_ptr_array_new_with_free_func(issue_free);
}

void
issues_clear(struct issues *l)
{
	if (l->v != NULL)
		g_ptr_array_unref(l->v);
	l->v = NULL;
}

void
issues_add_raw(struct issues *l, enum issue_code code, const char *field,
    const char *cell, const char *message)
{
	struct issue *i = g_new0(struct issue, 1);

	i->code = code;
	i->field = g_strdup(field);
	i->cell = g_strdup(cell);
	i->message = g_strdup(message);
	g_ptr_array_add(l->v, i);
}

void
issues_add(struct issues *l, const char *lang, enum issue_code code,
    const char *field, const char *cell, ...)
{
	const struct issue_text *t = &issue_texts[code];
	const char *fmt = strcmp(lang, "en") == 0 ? t->en : t->vi;
	char *msg;
	va_list ap;

	va_start(ap, cell);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	msg = g_strdup_vprintf(fmt, ap);
#pragma GCC diagnostic pop
	va_end(ap);
	issues_add_raw(l, code, field, cell, msg);
	g_free(msg);
}

enum issue_weight
issue_code_weight(enum issue_code code)
{
	return issue_texts[code].weight;
}

const char *
issue_code_name(enum issue_code code)
{
	return issue_texts[code].name;
}

enum issue_code
issue_code_parse(const char *name)
{
	int i;

	for (i = 0; i < ISSUE_CODE_COUNT; i++)
		if (strcmp(issue_texts[i].name, name) == 0)
			return (enum issue_code)i;
	return ISSUE_NOT_A_FORM;
}
