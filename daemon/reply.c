/*
 * reply.c — mapping a grid's cells to the fields of a definition.
 *
 * A form may come back intact (defined names), saved as .xls, .ods or
 * .csv by another program (names lost, the hidden sheet and the hidden
 * field-name column kept), or rebuilt by hand (only the labels left).
 */
#include <string.h>

#include "reply.h"
#include "table.h"
#include "text.h"

#define SURVEYD_SHEET		"_surveyd"
#define LISTS_SHEET		"_lists"
#define HEADER_ROWS		10	/* rows searched for the respondent's name */
#define CODE_COLUMN_MIN		1	/* field codes that make a code column */

/* Column headings (folded) that mark where the answers go. */
static const char *answer_headings[] = {
	"tra loi", "answer", "gia tri", "value", "so lieu", "ket qua",
	"noi dung tra loi", NULL
};

static void
loc_free(gpointer p)
{
	struct reply_loc *l = p;

	g_free(l->where);
	g_free(l);
}

static const struct sheet *
main_sheet(const struct grid *g)
{
	size_t i;

	for (i = 0; i < g->nsheets; i++)
		if (!g->sheets[i].hidden && g->sheets[i].name[0] != '_')
			return &g->sheets[i];
	return g->nsheets > 0 ? &g->sheets[0] : NULL;
}

static int
sheet_is_ours(const struct sheet *s)
{
	return strcmp(s->name, SURVEYD_SHEET) == 0 ||
	    strcmp(s->name, LISTS_SHEET) == 0;
}

/* The key a field or a choice row is known by. */
static char *
loc_key(const char *field, const char *choice)
{
	return choice ? g_strconcat(field, "__", choice, NULL) : g_strdup(field);
}

/* 1 when key names a field, or a choice of a select_multiple field. */
static int
key_known(const struct definition *d, const char *key)
{
	const struct field *f;
	const char *sep = strstr(key, "__");
	char *name;
	int ok;

	if (sep == NULL)
		return (f = definition_field_find(d, key)) != NULL &&
		    f->type != FIELD_NOTE;
	name = g_strndup(key, (gsize)(sep - key));
	f = definition_field_find(d, name);
	ok = f != NULL && f->type == FIELD_SELECT_MULTIPLE && f->list != NULL &&
	    choice_list_find(f->list, sep + 2) != NULL;
	g_free(name);
	return ok;
}

static void
loc_set(struct reply *r, const struct grid *g, const char *key,
    const struct sheet *s, guint32 row, guint32 col)
{
	struct reply_loc *l;
	char ref[GRID_CELLREF_LEN];

	if (g_hash_table_contains(r->locs, key))
		return;
	l = g_new0(struct reply_loc, 1);
	l->sheet = s;
	l->row = row;
	l->col = col;
	l->cell = sheet_cell_find(s, row, col);
	grid_cellref_format(ref, row, col);
	l->where = s == main_sheet(g) ? g_strdup(ref) :
	    g_strdup_printf("%s!%s", s->name, ref);
	g_hash_table_insert(r->locs, g_strdup(key), l);
}

static void
unknown_field(struct issues *is, const char *lang, GHashTable *reported,
    const char *key, const char *where)
{
	if (g_hash_table_contains(reported, key))
		return;
	g_hash_table_add(reported, g_strdup(key));
	issues_add(is, lang, ISSUE_UNKNOWN_FIELD, key, where, key, where);
}

/* --- 1. defined names ------------------------------------------------- */

static void
by_names(const struct grid *g, const struct definition *d, const char *lang,
    struct reply *r, struct issues *is, GHashTable *reported)
{
	const struct grid_name *n;
	const struct sheet *s;
	char ref[GRID_CELLREF_LEN];
	size_t i;

	for (i = 0; i < g->nnames; i++) {
		n = &g->names[i];
		if (g_ascii_strncasecmp(n->name, "q_", 2) != 0 ||
		    (s = grid_sheet_find(g, n->sheet)) == NULL)
			continue;
		if (key_known(d, n->name + 2))
			loc_set(r, g, n->name + 2, s, n->row1, n->col1);
		else
			unknown_field(is, lang, reported, n->name + 2,
			    grid_cellref_format(ref, n->row1, n->col1));
	}
}

/* --- 2. the _surveyd sheet -------------------------------------------- */

/* "'Phiếu khảo sát'!$E$7", "Sheet1!E7" or "E7" (the main sheet). */
static int
ref_parse(const struct grid *g, const char *ref, const struct sheet **s,
    guint32 *row, guint32 *col)
{
	const char *bang = strrchr(ref, '!');
	char *name;

	*s = main_sheet(g);
	if (bang != NULL) {
		name = g_strndup(ref, (gsize)(bang - ref));
		if (name[0] == '\'' && strlen(name) >= 2 &&
		    name[strlen(name) - 1] == '\'') {
			memmove(name, name + 1, strlen(name) - 2);
			name[strlen(name) - 2] = '\0';
		}
		*s = grid_sheet_find(g, name);
		g_free(name);
		ref = bang + 1;
	}
	return *s != NULL && grid_cellref_parse(ref, row, col) == 0 ? 0 : -1;
}

static void
surveyd_pair(const struct grid *g, const struct definition *d,
    const char *lang, struct reply *r, struct issues *is,
    GHashTable *reported, const char *key, const char *value)
{
	const struct sheet *s;
	guint32 row, col;

	if (strcmp(key, "form_id") == 0 && r->form_id == NULL)
		r->form_id = g_strdup(value);
	else if (strcmp(key, "version") == 0 && r->version == NULL)
		r->version = g_strdup(value);
	else if (strcmp(key, "respondent") == 0 && r->respondent == NULL)
		r->respondent = g_strdup(value);
	else if (strcmp(key, "token") == 0 && r->token == NULL)
		r->token = g_strdup(value);
	else if (g_str_has_prefix(key, "field:") &&
	    ref_parse(g, value, &s, &row, &col) == 0) {
		if (key_known(d, key + 6))
			loc_set(r, g, key + 6, s, row, col);
		else
			unknown_field(is, lang, reported, key + 6, value);
	}
}

static void
by_surveyd_sheet(const struct grid *g, const struct definition *d,
    const char *lang, struct reply *r, struct issues *is, GHashTable *reported)
{
	const struct sheet *s = grid_sheet_find(g, SURVEYD_SHEET);
	const struct cell *k, *v;
	char *key, *value;
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ncells; i++) {
		k = &s->cells[i];
		if (k->col != 0 || k->type != CELL_STRING ||
		    (v = sheet_cell_find(s, k->row, 1)) == NULL)
			continue;
		key = text_trim(k->text);
		value = cell_text(v);
		if (value != NULL)
			surveyd_pair(g, d, lang, r, is, reported, key, value);
		g_free(key);
		g_free(value);
	}
}

/* --- 3. a column of field codes ---------------------------------------- */

static int
heading_is_answer(const char *text)
{
	char *f = text_fold(text);
	int i, yes = 0;

	for (i = 0; answer_headings[i] != NULL && !yes; i++)
		yes = strcmp(f, answer_headings[i]) == 0;
	g_free(f);
	return yes;
}

/* The column where most cells hold field codes; -1 if none does. */
static gint64
code_column(const struct sheet *s, const struct definition *d)
{
	GHashTable *counts = g_hash_table_new(g_direct_hash, g_direct_equal);
	gint64 best = -1;
	guint n, bestn = 0;
	size_t i;

	for (i = 0; i < s->ncells; i++) {
		if (s->cells[i].type != CELL_STRING ||
		    !key_known(d, s->cells[i].text))
			continue;
		n = GPOINTER_TO_UINT(g_hash_table_lookup(counts,
		    GUINT_TO_POINTER(s->cells[i].col + 1))) + 1;
		g_hash_table_insert(counts, GUINT_TO_POINTER(s->cells[i].col + 1),
		    GUINT_TO_POINTER(n));
		if (n > bestn) {
			bestn = n;
			best = s->cells[i].col;
		}
	}
	g_hash_table_unref(counts);
	return bestn >= CODE_COLUMN_MIN ? best : -1;
}

/*
 * Where the answers are beside a code column: under an "answer" heading if
 * there is one; else the column right of the codes holding the most text
 * that is not a label or hint of its row.
 */
static gint64
answer_column(const struct sheet *s, const struct definition *d, guint32 codecol)
{
	GHashTable *score = g_hash_table_new(g_direct_hash, g_direct_equal);
	const struct cell *c, *code;
	const struct field *f;
	gint64 best = codecol + 1;
	guint n, bestn = 0;
	size_t i;

	for (i = 0; i < s->ncells; i++) {
		c = &s->cells[i];
		if (c->col > codecol && c->type == CELL_STRING &&
		    heading_is_answer(c->text)) {
			g_hash_table_unref(score);
			return c->col;
		}
	}
	for (i = 0; i < s->ncells; i++) {
		c = &s->cells[i];
		if (c->col <= codecol ||
		    (code = sheet_cell_find(s, c->row, codecol)) == NULL ||
		    code->type != CELL_STRING || !key_known(d, code->text))
			continue;
		f = definition_field_find(d, code->text);
		if (c->type == CELL_STRING && f != NULL &&
		    ((f->label.vi && strcmp(c->text, f->label.vi) == 0) ||
		    (f->hint.vi && strcmp(c->text, f->hint.vi) == 0) ||
		    (f->label.en && strcmp(c->text, f->label.en) == 0) ||
		    (f->hint.en && strcmp(c->text, f->hint.en) == 0)))
			continue;
		n = GPOINTER_TO_UINT(g_hash_table_lookup(score,
		    GUINT_TO_POINTER(c->col))) + 1;
		g_hash_table_insert(score, GUINT_TO_POINTER(c->col),
		    GUINT_TO_POINTER(n));
		if (n > bestn || (n == bestn && c->col > best)) {
			bestn = n;
			best = c->col;
		}
	}
	g_hash_table_unref(score);
	return best;
}

static void
by_code_column(const struct grid *g, const struct definition *d,
    struct reply *r)
{
	const struct sheet *s;
	const struct cell *c;
	gint64 codecol, anscol;
	size_t i, j;

	for (i = 0; i < g->nsheets; i++) {
		s = &g->sheets[i];
		if (sheet_is_ours(s) || (codecol = code_column(s, d)) < 0)
			continue;
		anscol = answer_column(s, d, (guint32)codecol);
		for (j = 0; j < s->ncells; j++) {
			c = &s->cells[j];
			if (c->col == (guint32)codecol && c->type == CELL_STRING &&
			    key_known(d, c->text))
				loc_set(r, g, c->text, s, c->row, (guint32)anscol);
		}
	}
}

/* --- 4. labels --------------------------------------------------------- */

/* Folded text without a leading number: "1 so chuong trinh" → "so ...". */
static char *
fold_unnumbered(const char *text)
{
	char *f = text_fold(text), *p = f, *out;

	while (g_ascii_isdigit(*p))
		p++;
	if (p != f && *p == ' ')
		p++;
	else if (p != f)
		p = f;
	out = g_strdup(p);
	g_free(f);
	return out;
}

/* The answer beside a label: right in the same row, else just below. */
static void
label_answer_loc(const struct grid *g, const struct sheet *s,
    const struct cell *label, const char *key, const char *hint_folded,
    struct reply *r)
{
	const struct cell *c, *best = NULL;
	char *f;
	size_t i;

	for (i = 0; i < s->ncells; i++) {
		c = &s->cells[i];
		if (c->row != label->row || c->col <= label->col ||
		    (best != NULL && c->col >= best->col))
			continue;
		if (c->type == CELL_STRING && hint_folded != NULL) {
			f = text_fold(c->text);
			if (strcmp(f, hint_folded) == 0) {
				g_free(f);
				continue;
			}
			g_free(f);
		}
		best = c;
	}
	if (best != NULL)
		loc_set(r, g, key, s, best->row, best->col);
	else if (sheet_cell_find(s, label->row + 1, label->col) != NULL)
		loc_set(r, g, key, s, label->row + 1, label->col);
	else
		loc_set(r, g, key, s, label->row, label->col + 1);
}

/*
 * The labels a hand-made workbook may repeat, folded once per reply: the
 * walk compares every text cell with every label, and folding is the
 * costly part.
 */
struct label_key {
	char	*key;		/* "field" or "field__choice" */
	char	*vi, *en;	/* folded, without a leading number */
	char	*hint;		/* folded hint, skipped beside the label */
	int	 choice;	/* a choice row never sits in the header row */
};

static void
label_key_free(gpointer p)
{
	struct label_key *k = p;

	g_free(k->key);
	g_free(k->vi);
	g_free(k->en);
	g_free(k->hint);
	g_free(k);
}

static void
label_key_add(GPtrArray *keys, char *key, const struct i18n *label,
    const struct i18n *hint)
{
	struct label_key *k = g_new0(struct label_key, 1);

	k->key = key;
	k->vi = label->vi ? fold_unnumbered(label->vi) : NULL;
	k->en = label->en ? fold_unnumbered(label->en) : NULL;
	k->hint = hint && hint->vi ? text_fold(hint->vi) : NULL;
	k->choice = hint == NULL;
	g_ptr_array_add(keys, k);
}

/* Every key still unlocated, with its folded labels. */
static GPtrArray *
label_keys(const struct definition *d, const struct reply *r)
{
	GPtrArray *keys = g_ptr_array_new_with_free_func(label_key_free);
	const struct field *f;
	char *key;
	guint i, j;

	for (i = 0; i < d->nfields; i++) {
		f = &d->fields[i];
		if (f->type == FIELD_NOTE)
			continue;
		if (!g_hash_table_contains(r->locs, f->name))
			label_key_add(keys, g_strdup(f->name), &f->label, &f->hint);
		if (f->type != FIELD_SELECT_MULTIPLE || f->list == NULL)
			continue;
		for (j = 0; j < f->list->nchoices; j++) {
			key = loc_key(f->name, f->list->choices[j].name);
			if (g_hash_table_contains(r->locs, key))
				g_free(key);
			else
				label_key_add(keys, key,
				    &f->list->choices[j].label, NULL);
		}
	}
	return keys;
}

static int
label_key_matches(const struct label_key *k, const char *folded)
{
	return (k->vi != NULL && *k->vi != '\0' && strcmp(k->vi, folded) == 0) ||
	    (k->en != NULL && *k->en != '\0' && strcmp(k->en, folded) == 0);
}

static void
by_labels(const struct grid *g, const struct definition *d, struct reply *r)
{
	GPtrArray *keys = label_keys(d, r);
	const struct label_key *k;
	const struct sheet *s;
	const struct cell *c;
	char *folded;
	size_t i, j;
	guint n;

	for (i = 0; i < g->nsheets && keys->len > 0; i++) {
		s = &g->sheets[i];
		if (sheet_is_ours(s) || s->hidden)
			continue;
		for (j = 0; j < s->ncells; j++) {
			c = &s->cells[j];
			if (c->type != CELL_STRING)
				continue;
			folded = fold_unnumbered(c->text);
			for (n = 0; n < keys->len; n++) {
				k = keys->pdata[n];
				if ((k->choice && c->row == 0) ||
				    g_hash_table_contains(r->locs, k->key) ||
				    !label_key_matches(k, folded))
					continue;
				label_answer_loc(g, s, c, k->key, k->hint, r);
			}
			g_free(folded);
		}
	}
	g_ptr_array_unref(keys);
}

/* --- the whole walk ---------------------------------------------------- */

/* A field has a place: its own cell, or for a select_multiple a choice row. */
static int
field_located(const struct reply *r, const struct field *f)
{
	guint i;

	if (g_hash_table_contains(r->locs, f->name))
		return 1;
	for (i = 0; f->type == FIELD_SELECT_MULTIPLE && f->list != NULL &&
	    i < f->list->nchoices; i++)
		if (reply_loc_find(r, f->name, f->list->choices[i].name) != NULL)
			return 1;
	return 0;
}

static guint
fields_located(const struct reply *r, const struct definition *d)
{
	guint i, n = 0;

	for (i = 0; i < d->nfields; i++)
		n += d->fields[i].type != FIELD_NOTE &&
		    field_located(r, &d->fields[i]);
	return n;
}

/* 1 when every field has a place; the slower ways are then not needed. */
static int
reply_complete(const struct reply *r, const struct definition *d)
{
	guint i;

	for (i = 0; i < d->nfields; i++)
		if (d->fields[i].type != FIELD_NOTE &&
		    !field_located(r, &d->fields[i]))
			return 0;
	return 1;
}

static void
header_texts_collect(const struct grid *g, struct reply *r)
{
	const struct sheet *s = main_sheet(g);
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->ncells; i++)
		if (s->cells[i].row < HEADER_ROWS &&
		    s->cells[i].type == CELL_STRING)
			g_ptr_array_add(r->header_texts,
			    g_strdup(s->cells[i].text));
}

guint
reply_read(const struct grid *g, const struct definition *d, const char *lang,
    struct reply *r, struct issues *is)
{
	GHashTable *reported = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);
	guint before;

	memset(r, 0, sizeof(*r));
	r->locs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, loc_free);
	r->header_texts = g_ptr_array_new_with_free_func(g_free);
	r->method = "none";
	by_names(g, d, lang, r, is, reported);
	if (fields_located(r, d) > 0)
		r->method = "names";
	before = fields_located(r, d);
	by_surveyd_sheet(g, d, lang, r, is, reported);
	if (before == 0 && fields_located(r, d) > 0)
		r->method = "surveyd";
	if (!reply_complete(r, d)) {
		before = fields_located(r, d);
		by_code_column(g, d, r);
		if (before == 0 && fields_located(r, d) > 0)
			r->method = "codes";
	}
	if (!reply_complete(r, d)) {
		before = fields_located(r, d);
		by_labels(g, d, r);
		if (before == 0 && fields_located(r, d) > 0)
			r->method = "labels";
	}
	header_texts_collect(g, r);
	g_hash_table_unref(reported);
	return fields_located(r, d);
}

void
reply_clear(struct reply *r)
{
	if (r->locs != NULL)
		g_hash_table_unref(r->locs);
	if (r->header_texts != NULL)
		g_ptr_array_unref(r->header_texts);
	g_free(r->form_id);
	g_free(r->version);
	g_free(r->respondent);
	g_free(r->token);
	memset(r, 0, sizeof(*r));
}

const struct reply_loc *
reply_loc_find(const struct reply *r, const char *field, const char *choice)
{
	char *key = loc_key(field, choice);
	const struct reply_loc *l = g_hash_table_lookup(r->locs, key);

	g_free(key);
	return l;
}
