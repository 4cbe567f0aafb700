/*
 * validate.c — turning located cells into answers, and saying what is
 * wrong: types, required fields, constraints, choices.
 *
 * A value is stored in one canonical text form whatever the cell held:
 * integers and decimals as value_number_format() writes them, dates as
 * YYYY-MM-DD, select_one as the choice name, select_multiple as the chosen
 * names separated by one space in definition order.
 */
#include <math.h>
#include <string.h>

#include "table.h"
#include "text.h"
#include "validate.h"
#include "value.h"

/* Marks that tick a choice row of a select_multiple. */
static const char *tick_marks[] = {
	"x", "1", "true", "co", "yes", "v", "✓", "✔", "☑", "☒", NULL
};

struct vctx {
	const struct field	*f;
	const struct reply_loc	*loc;
	const char		*lang;
	struct submission	*sub;
};

static const char *
label_of(const struct vctx *v)
{
	return i18n_get(&v->f->label, v->lang);
}

static void
issue(struct vctx *v, enum issue_code code, const char *value, const char *extra)
{
	issues_add(&v->sub->issues, v->lang, code, v->f->name, v->loc->where,
	    label_of(v), v->loc->where, value, extra);
}

/* Error values and formulas never calculated: nothing to read. */
static int
cell_unreadable(struct vctx *v, const struct cell *c)
{
	if (c->type == CELL_ERROR) {
		issue(v, ISSUE_ERROR_VALUE, c->text, NULL);
		return 1;
	}
	if (c->type == CELL_NOVALUE) {
		issue(v, ISSUE_NO_VALUE, NULL, NULL);
		return 1;
	}
	return 0;
}

static int
cell_empty(const struct cell *c)
{
	return c == NULL || (c->type == CELL_STRING && text_blank(c->text));
}

static void
constraint_check(struct vctx *v, int has_number, double n, const char *text)
{
	const char *msg;

	if (v->f->constraint == NULL ||
	    constraint_eval(v->f->constraint, has_number, n, text))
		return;
	msg = i18n_get(&v->f->constraint_message, v->lang);
	issue(v, ISSUE_CONSTRAINT, text, msg ? msg : v->f->constraint_text);
}

static void
number_store(struct vctx *v, double n)
{
	char buf[VALUE_NUMBER_LEN];

	value_number_format(buf, n);
	constraint_check(v, 1, n, buf);
	submission_answer_add(v->sub, v->f->name, buf, v->loc->where);
}

static void
number_from_text(struct vctx *v, const char *text)
{
	int integer = v->f->type == FIELD_INTEGER, percent;
	double n;

	switch (value_number_parse(text, integer, &n, &percent)) {
	case VALUE_OK:
		/* "47,5%" in a % field is 47.5; elsewhere it means 0.475. */
		if (percent && !v->f->percent)
			n /= 100;
		if (integer && n != floor(n)) {
			issue(v, ISSUE_NOT_WHOLE, text, NULL);
			return;
		}
		number_store(v, n);
		return;
	case VALUE_AMBIGUOUS:
		issue(v, ISSUE_AMBIGUOUS, text, NULL);
		return;
	case VALUE_NOT_WHOLE:
		issue(v, ISSUE_NOT_WHOLE, text, NULL);
		return;
	default:
		issue(v, ISSUE_NOT_NUMBER, text, NULL);
	}
}

static void
number_validate(struct vctx *v, const struct cell *c)
{
	char buf[VALUE_NUMBER_LEN];
	double n;

	if (c->type == CELL_STRING) {
		number_from_text(v, c->text);
		return;
	}
	if (c->type != CELL_NUMBER && c->type != CELL_DATE) {
		issue(v, ISSUE_NOT_NUMBER, c->type == CELL_BOOL ?
		    (c->number ? "TRUE" : "FALSE") : "?", NULL);
		return;
	}
	n = c->number;
	/* A %-formatted 0.475 is what the person read as 47.5 %. */
	if ((c->flags & CELL_PERCENT) && v->f->percent)
		n = round(n * 100 * 1e9) / 1e9;
	if (v->f->type == FIELD_INTEGER && n != floor(n)) {
		issue(v, ISSUE_NOT_WHOLE, value_number_format(buf, n), NULL);
		return;
	}
	number_store(v, n);
}

static void
date_validate(struct vctx *v, const struct cell *c)
{
	char buf[16], num[VALUE_NUMBER_LEN];
	int y, m, d;

	if (c->type == CELL_DATE || c->type == CELL_NUMBER) {
		if (grid_date_ymd(c->number, &y, &m, &d) == -1 ||
		    !value_date_valid(y, m, d)) {
			issue(v, ISSUE_NOT_DATE,
			    value_number_format(num, c->number), NULL);
			return;
		}
	} else if (c->type != CELL_STRING ||
	    value_date_parse(c->text, &y, &m, &d) != VALUE_OK) {
		issue(v, ISSUE_NOT_DATE, c->text ? c->text : "?", NULL);
		return;
	}
	g_snprintf(buf, sizeof(buf), "%04d-%02d-%02d", y, m, d);
	submission_answer_add(v->sub, v->f->name, buf, v->loc->where);
}

static void
text_validate(struct vctx *v, const struct cell *c)
{
	char *t = cell_text(c), *trimmed = text_trim(t ? t : "");

	constraint_check(v, value_number_parse(trimmed, 0, &(double){ 0 },
	    &(int){ 0 }) == VALUE_OK, g_ascii_strtod(trimmed, NULL), trimmed);
	submission_answer_add(v->sub, v->f->name, trimmed, v->loc->where);
	g_free(trimmed);
	g_free(t);
}

/* A choice by its name, or by its label folded. */
static const struct choice *
choice_match(const struct choice_list *l, const char *text)
{
	const struct choice *ch, *found = NULL;
	char *f;
	guint i;

	for (i = 0; i < l->nchoices; i++)
		if (strcmp(l->choices[i].name, text) == 0)
			return &l->choices[i];
	f = text_fold(text);
	for (i = 0; i < l->nchoices && found == NULL && *f != '\0'; i++) {
		ch = &l->choices[i];
		if ((ch->folded.vi && strcmp(ch->folded.vi, f) == 0) ||
		    (ch->folded.en && strcmp(ch->folded.en, f) == 0))
			found = ch;
	}
	g_free(f);
	return found;
}

static void
select_one_validate(struct vctx *v, const struct cell *c)
{
	const struct choice *ch;
	char *t = cell_text(c), *trimmed = text_trim(t ? t : "");

	if ((ch = choice_match(v->f->list, trimmed)) == NULL)
		issue(v, ISSUE_CHOICE, trimmed, NULL);
	else
		submission_answer_add(v->sub, v->f->name, ch->name,
		    v->loc->where);
	g_free(trimmed);
	g_free(t);
}

/*
 * Several choices in one cell: separated by ';' or ',', or by spaces when
 * every word is a choice name (XLSForm's own way of writing them).
 */
static int
select_multiple_split(struct vctx *v, const char *text, gboolean *chosen)
{
	const struct choice_list *l = v->f->list;
	const struct choice *ch;
	char **parts, **p, *bad = NULL;

	parts = strpbrk(text, ";,") ? g_strsplit_set(text, ";,", -1) :
	    g_strsplit_set(text, " ", -1);
	for (p = parts; *p != NULL; p++) {
		g_strstrip(*p);
		if (**p == '\0')
			continue;
		if ((ch = choice_match(l, *p)) == NULL) {
			bad = g_strdup(*p);
			break;
		}
		chosen[ch - l->choices] = TRUE;
	}
	g_strfreev(parts);
	if (bad != NULL && (ch = choice_match(l, text)) != NULL) {
		/* One label with spaces in it, not several names. */
		memset(chosen, 0, sizeof(gboolean) * l->nchoices);
		chosen[ch - l->choices] = TRUE;
		g_clear_pointer(&bad, g_free);
	}
	if (bad == NULL)
		return 1;
	issue(v, ISSUE_CHOICE, bad, NULL);
	g_free(bad);
	return 0;
}

static int
tick_is_set(const struct cell *c)
{
	char *t, *f;
	int i, yes = 0;

	if (cell_empty(c))
		return 0;
	if (c->type == CELL_NUMBER || c->type == CELL_BOOL)
		return c->number != 0;
	t = cell_text(c);
	f = text_fold(t ? t : "");
	for (i = 0; tick_marks[i] != NULL && !yes; i++)
		yes = strcmp(f, tick_marks[i]) == 0 ||
		    strcmp(t ? t : "", tick_marks[i]) == 0;
	g_free(f);
	g_free(t);
	return yes;
}

static void
select_multiple_store(struct vctx *v, const gboolean *chosen)
{
	GString *s = g_string_new(NULL);
	guint i;

	for (i = 0; i < v->f->list->nchoices; i++) {
		if (!chosen[i])
			continue;
		if (s->len)
			g_string_append_c(s, ' ');
		g_string_append(s, v->f->list->choices[i].name);
	}
	submission_answer_add(v->sub, v->f->name, s->str, v->loc->where);
	g_string_free(s, TRUE);
}

/*
 * A select_multiple is either one row per choice (x / blank), as on the
 * blank form, or one cell listing the choices, as in a hand-made sheet.
 */
static void
select_multiple_validate(struct vctx *v, const struct reply *r)
{
	const struct choice_list *l = v->f->list;
	const struct reply_loc *cl, *whole = v->loc;
	gboolean *chosen = g_new0(gboolean, l->nchoices);
	int rows = 0, any = 0, ok = 1;
	guint i;

	for (i = 0; i < l->nchoices; i++) {
		if ((cl = reply_loc_find(r, v->f->name, l->choices[i].name)) == NULL)
			continue;
		rows++;
		v->loc = cl;
		if (cl->cell != NULL && cell_unreadable(v, cl->cell))
			ok = 0;
		else
			any |= chosen[i] = tick_is_set(cl->cell);
	}
	v->loc = whole;
	if (rows == 0 && whole != NULL && !cell_empty(whole->cell)) {
		char *t = cell_text(whole->cell);

		ok = select_multiple_split(v, t ? t : "", chosen);
		any = ok;
		g_free(t);
	}
	if (ok && any)
		select_multiple_store(v, chosen);
	else if (ok && v->f->required)
		issue(v, ISSUE_REQUIRED, NULL, NULL);
	g_free(chosen);
}

/* The first choice row stands for a select_multiple that has no own cell. */
static const struct reply_loc *
field_loc(const struct reply *r, const struct field *f)
{
	const struct reply_loc *l = reply_loc_find(r, f->name, NULL);
	guint i;

	for (i = 0; l == NULL && f->type == FIELD_SELECT_MULTIPLE &&
	    i < f->list->nchoices; i++)
		l = reply_loc_find(r, f->name, f->list->choices[i].name);
	return l;
}

static void
field_validate(struct vctx *v, const struct reply *r)
{
	const struct cell *c;

	if ((v->loc = field_loc(r, v->f)) == NULL) {
		issues_add(&v->sub->issues, v->lang, v->f->required ?
		    ISSUE_MISSING_REQUIRED : ISSUE_MISSING_FIELD, v->f->name,
		    NULL, label_of(v));
		return;
	}
	if (v->f->type == FIELD_SELECT_MULTIPLE) {
		select_multiple_validate(v, r);
		return;
	}
	c = v->loc->cell;
	if (cell_empty(c)) {
		if (v->f->required)
			issue(v, ISSUE_REQUIRED, NULL, NULL);
		return;
	}
	if (cell_unreadable(v, c))
		return;
	switch (v->f->type) {
	case FIELD_INTEGER:
	case FIELD_DECIMAL:
		number_validate(v, c);
		break;
	case FIELD_DATE:
		date_validate(v, c);
		break;
	case FIELD_SELECT_ONE:
		select_one_validate(v, c);
		break;
	default:
		text_validate(v, c);
	}
}

const char *
validate_state(const struct issues *is)
{
	enum issue_weight w = ISSUE_WARNING, iw;
	guint i;

	for (i = 0; i < is->v->len; i++) {
		iw = issue_code_weight(((struct issue *)is->v->pdata[i])->code);
		if (iw > w && iw != ISSUE_REJECTED)
			w = iw;
	}
	switch (w) {
	case ISSUE_INVALID:
		return "invalid";
	case ISSUE_INCOMPLETE:
		return "incomplete";
	default:
		return "accepted";
	}
}

void
validate_reply(const struct definition *d, const struct reply *r,
    const char *lang, struct submission *sub)
{
	struct vctx v = { NULL, NULL, lang, sub };
	guint i;

	for (i = 0; i < d->nfields; i++) {
		if (d->fields[i].type == FIELD_NOTE)
			continue;
		v.f = &d->fields[i];
		field_validate(&v, r);
	}
}
