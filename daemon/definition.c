/*
 * definition.c — reading and checking a questionnaire definition.
 *
 * The designer writes it in Excel or as CSV in git; either way every
 * mistake is reported with its sheet, row and column, all at once, so one
 * round of fixes is enough.
 */
#include <string.h>

#include "definition.h"
#include "file.h"
#include "grid.h"
#include "reader.h"
#include "table.h"
#include "text.h"

/* Field and choice names become defined names (q_<field>__<choice>). */
#define NAME_MAX_LEN		64
/* Definitions are written by the administrator; still, not unbounded. */
#define DEFINITION_MAX_SIZE	(16u * 1024 * 1024)

struct def_sources {
	struct table	*survey;
	struct table	*choices;
	struct table	*settings;
	struct grid	*grid;
};

static const struct {
	const char	*name;
	enum field_type	 type;
	int		 has_list;
} field_types[] = {
	{ "integer", FIELD_INTEGER, 0 },
	{ "decimal", FIELD_DECIMAL, 0 },
	{ "text", FIELD_TEXT, 0 },
	{ "date", FIELD_DATE, 0 },
	{ "select_one", FIELD_SELECT_ONE, 1 },
	{ "select_multiple", FIELD_SELECT_MULTIPLE, 1 },
	{ "note", FIELD_NOTE, 0 },
};

/* XLSForm columns this subset reads; anything else is reported once. */
static const char *survey_columns[] = {
	"type", "name", "label", "hint", "required", "constraint",
	"constraint_message", NULL
};

const char *
field_type_name(enum field_type t)
{
	guint i;

	for (i = 0; i < G_N_ELEMENTS(field_types); i++)
		if (field_types[i].type == t)
			return field_types[i].name;
	return "?";
}

const char *
i18n_get(const struct i18n *t, const char *lang)
{
	if (strcmp(lang, "en") == 0)
		return t->en != NULL ? t->en : t->vi;
	return t->vi != NULL ? t->vi : t->en;
}

static void
i18n_clear(struct i18n *t)
{
	g_free(t->vi);
	g_free(t->en);
}

/*
 * The language of a column "label::vi", "label::Tiếng Việt (vi)" or plain
 * "label" (NULL).  Returns 0 when the column is not base at all.
 */
static int
column_lang(const char *header, const char *base, const char **lang)
{
	size_t n = strlen(base);
	const char *open;

	if (header == NULL || strncmp(header, base, n) != 0)
		return 0;
	if (header[n] == '\0') {
		*lang = NULL;
		return 1;
	}
	if (strncmp(header + n, "::", 2) != 0)
		return 0;
	*lang = header + n + 2;
	if ((open = strrchr(*lang, '(')) != NULL)
		*lang = open + 1;
	return 1;
}

/* Reads base, base::vi and base::en of a row into t. */
static void
i18n_read(const struct table *tb, guint row, const char *base, struct i18n *t)
{
	const char *lang, *v;
	guint c;

	for (c = 0; c < tb->ncols; c++) {
		if (!column_lang(tb->header[c], base, &lang))
			continue;
		if ((v = table_get(tb, row, (int)c)) == NULL)
			continue;
		if (lang == NULL || strncmp(lang, "vi", 2) == 0) {
			if (lang != NULL || t->vi == NULL) {
				g_free(t->vi);
				t->vi = g_strstrip(g_strdup(v));
			}
		} else if (strncmp(lang, "en", 2) == 0) {
			g_free(t->en);
			t->en = g_strstrip(g_strdup(v));
		}
	}
}

static int
i18n_has_column(const struct table *tb, const char *base)
{
	const char *lang;
	guint c;

	for (c = 0; c < tb->ncols; c++)
		if (column_lang(tb->header[c], base, &lang))
			return 1;
	return 0;
}

static int
name_valid(const char *s)
{
	const char *p;

	if (s == NULL || !(g_ascii_isalpha(*s) || *s == '_') ||
	    strlen(s) > NAME_MAX_LEN || strstr(s, "__") != NULL)
		return 0;
	for (p = s; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p) && *p != '_')
			return 0;
	return 1;
}

static int
choice_name_valid(const char *s)
{
	const char *p;

	if (s == NULL || *s == '\0' || strlen(s) > NAME_MAX_LEN ||
	    strstr(s, "__") != NULL)
		return 0;
	for (p = s; *p != '\0'; p++)
		if (!g_ascii_isalnum(*p) && *p != '_' && *p != '-' && *p != '.')
			return 0;
	return 1;
}

static void
problem_at(struct problems *p, const struct table *t, guint row, int col,
    const char *what)
{
	char *place = table_place(t, row, col);

	problems_error(p, "%s: %s", place, what);
	g_free(place);
}

/* --- choices ---------------------------------------------------------- */

static struct choice_list *
list_find_or_add(struct definition *d, const char *name)
{
	guint i;
	struct choice_list *l;

	for (i = 0; i < d->nlists; i++)
		if (strcmp(d->lists[i].name, name) == 0)
			return &d->lists[i];
	d->lists = g_renew(struct choice_list, d->lists, d->nlists + 1);
	l = &d->lists[d->nlists++];
	memset(l, 0, sizeof(*l));
	l->name = g_strdup(name);
	return l;
}

static void
choices_row_load(struct definition *d, const struct table *t, guint row,
    struct problems *p)
{
	int c_list = table_col(t, "list_name"), c_name = table_col(t, "name");
	const char *list = table_get(t, row, c_list);
	const char *name = table_get(t, row, c_name);
	struct choice_list *l;
	struct choice *ch;
	char *msg;

	if (list == NULL && name == NULL)
		return;		/* a blank separator row */
	if (list == NULL) {
		problem_at(p, t, row, c_list, "the choice has no list_name");
		return;
	}
	if (!choice_name_valid(name)) {
		msg = g_strdup_printf("choice name '%s' is empty or has "
		    "characters other than letters, digits, _ - .", name ? name : "");
		problem_at(p, t, row, c_name, msg);
		g_free(msg);
		return;
	}
	l = list_find_or_add(d, list);
	if (choice_list_find(l, name) != NULL) {
		msg = g_strdup_printf("choice '%s' appears twice in list '%s'",
		    name, list);
		problem_at(p, t, row, c_name, msg);
		g_free(msg);
		return;
	}
	l->choices = g_renew(struct choice, l->choices, l->nchoices + 1);
	ch = &l->choices[l->nchoices++];
	memset(ch, 0, sizeof(*ch));
	ch->name = g_strdup(name);
	i18n_read(t, row, "label", &ch->label);
	ch->folded.vi = ch->label.vi ? text_fold(ch->label.vi) : NULL;
	ch->folded.en = ch->label.en ? text_fold(ch->label.en) : NULL;
	if (ch->label.vi == NULL && ch->label.en == NULL)
		problem_at(p, t, row, -1, "the choice has no label");
}

static void
choices_load(struct definition *d, const struct table *t, struct problems *p)
{
	guint row;

	if (table_col(t, "list_name") == -1 || table_col(t, "name") == -1) {
		problems_error(p, "%s: the header needs the columns 'list_name' "
		    "and 'name'", t->where);
		return;
	}
	if (!i18n_has_column(t, "label"))
		problems_error(p, "%s: the header has no 'label' column",
		    t->where);
	for (row = 0; row < t->nrows; row++)
		choices_row_load(d, t, row, p);
}

/* --- survey ----------------------------------------------------------- */

/* Splits "select_one yes_no" into its type and list name. */
static int
type_parse(const char *s, enum field_type *type, char **list)
{
	gchar *copy = g_strstrip(g_strdup(s));
	gchar **words = g_strsplit_set(copy, " \t", 2);
	gchar *rest = words[0] && words[1] ? g_strstrip(words[1]) : NULL;
	int has_list = rest != NULL && *rest != '\0', ok = 0;
	guint i;

	for (i = 0; i < G_N_ELEMENTS(field_types) && words[0] != NULL; i++) {
		if (strcmp(words[0], field_types[i].name) != 0 ||
		    field_types[i].has_list != has_list ||
		    (has_list && strpbrk(rest, " \t") != NULL))
			continue;
		*type = field_types[i].type;
		*list = has_list ? g_strdup(rest) : NULL;
		ok = 1;
	}
	g_strfreev(words);
	g_free(copy);
	return ok;
}

static int
yes_no_parse(const char *s, int *out)
{
	static const char *yes[] = { "yes", "true", "1", "có", NULL };
	static const char *no[] = { "no", "false", "0", "không", NULL };
	char *l;
	int i, found = 0;

	if (s == NULL) {
		*out = 0;
		return 1;
	}
	l = g_utf8_strdown(s, -1);
	g_strstrip(l);
	for (i = 0; yes[i] != NULL; i++)
		if (strcmp(l, yes[i]) == 0)
			found = 1, *out = 1;
	for (i = 0; no[i] != NULL; i++)
		if (strcmp(l, no[i]) == 0)
			found = 1, *out = 0;
	g_free(l);
	return found;
}

/* A field whose unit is %: its hint says "%" or its label ends "(%)". */
static int
field_is_percent(const struct field *f)
{
	const char *texts[] = { f->hint.vi, f->hint.en, f->label.vi, f->label.en };
	guint i;

	for (i = 0; i < G_N_ELEMENTS(texts); i++) {
		if (texts[i] == NULL)
			continue;
		if ((i < 2 && strcmp(texts[i], "%") == 0) ||
		    (i >= 2 && g_str_has_suffix(texts[i], "(%)")))
			return 1;
	}
	return 0;
}

static void
field_constraint_load(struct field *f, const struct table *t, guint row,
    struct problems *p)
{
	int col = table_col(t, "constraint");
	const char *text = table_get(t, row, col);
	char err[256], *msg;

	if (text == NULL)
		return;
	if (f->type == FIELD_NOTE || f->type == FIELD_SELECT_ONE ||
	    f->type == FIELD_SELECT_MULTIPLE) {
		problem_at(p, t, row, col, "a constraint on a note or a "
		    "select field is not supported");
		return;
	}
	f->constraint_text = g_strdup(text);
	if ((f->constraint = constraint_parse(text, err, sizeof(err))) == NULL) {
		msg = g_strdup_printf("constraint '%s': %s", text, err);
		problem_at(p, t, row, col, msg);
		g_free(msg);
	}
	i18n_read(t, row, "constraint_message", &f->constraint_message);
}

static void
survey_row_load(struct definition *d, const struct table *t, guint row,
    GHashTable *names, struct problems *p)
{
	int c_type = table_col(t, "type"), c_name = table_col(t, "name");
	int c_req = table_col(t, "required");
	const char *type = table_get(t, row, c_type);
	const char *name = table_get(t, row, c_name);
	struct field f;
	char *list = NULL, *msg;

	memset(&f, 0, sizeof(f));
	if (type == NULL && name == NULL)
		return;
	if (type == NULL || !type_parse(type, &f.type, &list)) {
		msg = type == NULL ? g_strdup("the row has no type") :
		    g_strdup_printf("unknown type '%s' (use integer, decimal, "
		    "text, date, select_one LIST, select_multiple LIST or "
		    "note)", type);
		problem_at(p, t, row, c_type, msg);
		g_free(msg);
		return;
	}
	if (!name_valid(name)) {
		msg = g_strdup_printf("name '%s' must start with a letter and "
		    "hold only letters, digits and single underscores (at "
		    "most %d)", name ? name : "", NAME_MAX_LEN);
		problem_at(p, t, row, c_name, msg);
		g_free(msg);
		g_free(list);
		return;
	}
	if (g_hash_table_contains(names, name)) {
		msg = g_strdup_printf("name '%s' is used twice", name);
		problem_at(p, t, row, c_name, msg);
		g_free(msg);
		g_free(list);
		return;
	}
	g_hash_table_add(names, g_strdup(name));
	f.name = g_strdup(name);
	i18n_read(t, row, "label", &f.label);
	i18n_read(t, row, "hint", &f.hint);
	if (f.label.vi == NULL && f.label.en == NULL)
		problem_at(p, t, row, -1, "the field has no label");
	if (!yes_no_parse(table_get(t, row, c_req), &f.required))
		problem_at(p, t, row, c_req, "required must be yes or no");
	if (f.type == FIELD_NOTE)
		f.required = 0;
	field_constraint_load(&f, t, row, p);
	f.percent = field_is_percent(&f);
	f.list_name = list;
	f.row = row;
	d->fields = g_renew(struct field, d->fields, d->nfields + 1);
	d->fields[d->nfields++] = f;
}

static void
survey_load(struct definition *d, const struct table *t, struct problems *p)
{
	GHashTable *names = g_hash_table_new_full(g_str_hash, g_str_equal,
	    g_free, NULL);
	const char **c;
	const char *lang;
	guint row, col;

	if (table_col(t, "type") == -1 || table_col(t, "name") == -1 ||
	    !i18n_has_column(t, "label"))
		problems_error(p, "%s: the header needs the columns 'type', "
		    "'name' and 'label'", t->where);
	for (col = 0; col < t->ncols; col++) {
		for (c = survey_columns; *c != NULL; c++)
			if (column_lang(t->header[col], *c, &lang))
				break;
		if (*c == NULL && t->header[col] != NULL)
			problems_warn(p, "%s: column '%s' is not part of the "
			    "subset surveyd reads; it is ignored", t->where,
			    t->header[col]);
	}
	if (table_col(t, "type") == -1 || table_col(t, "name") == -1) {
		g_hash_table_unref(names);
		return;
	}
	for (row = 0; row < t->nrows; row++)
		survey_row_load(d, t, row, names, p);
	g_hash_table_unref(names);
}

/* Points each select field at its list, once all choices are read. */
static void
lists_resolve(struct definition *d, const struct table *survey,
    struct problems *p)
{
	GHashTable *used = g_hash_table_new(g_str_hash, g_str_equal);
	struct field *f;
	char *msg;
	guint i, j;

	for (i = 0; i < d->nfields; i++) {
		f = &d->fields[i];
		if (f->list_name == NULL)
			continue;
		for (j = 0; j < d->nlists; j++)
			if (strcmp(d->lists[j].name, f->list_name) == 0)
				f->list = &d->lists[j];
		if (f->list == NULL) {
			msg = g_strdup_printf("choice list '%s' does not exist "
			    "in the choices sheet", f->list_name);
			problem_at(p, survey, f->row, table_col(survey, "type"),
			    msg);
			g_free(msg);
		} else
			g_hash_table_add(used, f->list->name);
	}
	for (j = 0; j < d->nlists; j++)
		if (!g_hash_table_contains(used, d->lists[j].name))
			problems_warn(p, "%s: choice list '%s' is not used by "
			    "any field", d->path, d->lists[j].name);
	g_hash_table_unref(used);
}

static void
settings_load(struct definition *d, const struct table *t, struct problems *p)
{
	const char *v;

	if (t == NULL)
		return;		/* the missing file or sheet is reported */
	if (t->nrows == 0) {
		problems_error(p, "%s: no settings (form_id, form_title, "
		    "version)", t->where);
		return;
	}
	if ((v = table_get(t, 0, table_col(t, "form_id"))) == NULL)
		problems_error(p, "%s: row 2, column 'form_id': the form has "
		    "no form_id", t->where);
	else if (!name_valid(v))
		problems_error(p, "%s: row 2, column 'form_id': '%s' must be "
		    "letters, digits and underscores", t->where, v);
	else
		d->form_id = g_strdup(v);
	if ((v = table_get(t, 0, table_col(t, "version"))) != NULL)
		d->version = g_strstrip(g_strdup(v));
	else {
		problems_warn(p, "%s: the form has no version; using '1'",
		    t->where);
		d->version = g_strdup("1");
	}
	i18n_read(t, 0, "form_title", &d->title);
	if (d->title.vi == NULL && d->title.en == NULL)
		problems_warn(p, "%s: the form has no form_title", t->where);
}

/* --- sources ---------------------------------------------------------- */

static struct table *
csv_table_load(const char *dir, const char *name, int needed,
    struct problems *p)
{
	struct limits lim;
	struct grid *g;
	struct table *t = NULL;
	unsigned char *buf;
	char *path, err[GRID_ERRLEN];
	size_t len;

	path = g_build_filename(dir, name, NULL);
	if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
		if (needed)
			problems_error(p, "%s: missing", path);
		g_free(path);
		return NULL;
	}
	limits_default(&lim);
	if (file_read(path, DEFINITION_MAX_SIZE, &buf, &len, err, sizeof(err)) == -1) {
		problems_error(p, "%s", err);
		g_free(path);
		return NULL;
	}
	if ((g = reader_csv.read(buf, len, &lim, err, sizeof(err))) == NULL)
		problems_error(p, "%s: %s", path, err);
	else if (g->nsheets > 0)
		t = table_from_sheet(&g->sheets[0], path, 1);
	grid_free(g);
	g_free(buf);
	g_free(path);
	return t;
}

static struct table *
xlsx_table_load(const char *path, const struct grid *g, const char *name,
    int needed, struct problems *p)
{
	struct table *t;
	char *where;
	size_t i;

	for (i = 0; i < g->nsheets; i++)
		if (g_ascii_strcasecmp(g->sheets[i].name, name) == 0)
			break;
	if (i == g->nsheets) {
		if (needed)
			problems_error(p, "%s: no sheet named '%s'", path, name);
		return NULL;
	}
	where = g_strdup_printf("%s, sheet '%s'", path, name);
	t = table_from_sheet(&g->sheets[i], where, 0);
	g_free(where);
	return t;
}

static int
sources_load(const char *path, struct def_sources *s, struct problems *p)
{
	struct limits lim;
	unsigned char *buf;
	char err[GRID_ERRLEN];
	size_t len;

	memset(s, 0, sizeof(*s));
	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		s->survey = csv_table_load(path, "survey.csv", 1, p);
		s->choices = csv_table_load(path, "choices.csv", 0, p);
		s->settings = csv_table_load(path, "settings.csv", 1, p);
		return s->survey != NULL ? 0 : -1;
	}
	if (file_read(path, DEFINITION_MAX_SIZE, &buf, &len, err, sizeof(err)) == -1) {
		problems_error(p, "%s", err);
		return -1;
	}
	limits_default(&lim);
	s->grid = grid_read(buf, len, &lim, err, sizeof(err));
	g_free(buf);
	if (s->grid == NULL) {
		problems_error(p, "%s: %s", path, err);
		return -1;
	}
	s->survey = xlsx_table_load(path, s->grid, "survey", 1, p);
	s->choices = xlsx_table_load(path, s->grid, "choices", 0, p);
	s->settings = xlsx_table_load(path, s->grid, "settings", 1, p);
	return s->survey != NULL ? 0 : -1;
}

static void
sources_free(struct def_sources *s)
{
	table_free(s->survey);
	table_free(s->choices);
	table_free(s->settings);
	grid_free(s->grid);
}

struct definition *
definition_load(const char *path, struct problems *p)
{
	struct definition *d;
	struct def_sources src;
	guint errors = p->errors->len;

	d = g_new0(struct definition, 1);
	d->path = g_strdup(path);
	if (sources_load(path, &src, p) == -1) {
		sources_free(&src);
		definition_free(d);
		return NULL;
	}
	if (src.choices != NULL)
		choices_load(d, src.choices, p);
	survey_load(d, src.survey, p);
	lists_resolve(d, src.survey, p);
	settings_load(d, src.settings, p);
	if (definition_indicator_count(d) == 0)
		problems_error(p, "%s: the form has no fields to answer", path);
	sources_free(&src);
	if (p->errors->len > errors) {
		definition_free(d);
		return NULL;
	}
	return d;
}

void
definition_free(struct definition *d)
{
	guint i, j;

	if (d == NULL)
		return;
	for (i = 0; i < d->nfields; i++) {
		g_free(d->fields[i].name);
		i18n_clear(&d->fields[i].label);
		i18n_clear(&d->fields[i].hint);
		i18n_clear(&d->fields[i].constraint_message);
		g_free(d->fields[i].constraint_text);
		g_free(d->fields[i].list_name);
		constraint_free(d->fields[i].constraint);
	}
	for (i = 0; i < d->nlists; i++) {
		for (j = 0; j < d->lists[i].nchoices; j++) {
			g_free(d->lists[i].choices[j].name);
			i18n_clear(&d->lists[i].choices[j].label);
			i18n_clear(&d->lists[i].choices[j].folded);
		}
		g_free(d->lists[i].choices);
		g_free(d->lists[i].name);
	}
	g_free(d->fields);
	g_free(d->lists);
	g_free(d->form_id);
	g_free(d->version);
	i18n_clear(&d->title);
	g_free(d->path);
	g_free(d);
}

const struct field *
definition_field_find(const struct definition *d, const char *name)
{
	guint i;

	for (i = 0; i < d->nfields; i++)
		if (strcmp(d->fields[i].name, name) == 0)
			return &d->fields[i];
	return NULL;
}

const struct choice *
choice_list_find(const struct choice_list *l, const char *name)
{
	guint i;

	for (i = 0; i < l->nchoices; i++)
		if (strcmp(l->choices[i].name, name) == 0)
			return &l->choices[i];
	return NULL;
}

guint
definition_indicator_count(const struct definition *d)
{
	guint i, n = 0;

	for (i = 0; i < d->nfields; i++)
		n += d->fields[i].type != FIELD_NOTE;
	return n;
}
