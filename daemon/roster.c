/*
 * roster.c — reading and checking a roster.
 */
#include <string.h>

#include "file.h"
#include "grid.h"
#include "reader.h"
#include "roster.h"
#include "table.h"
#include "text.h"

#define ROSTER_MAX_SIZE	(8u * 1024 * 1024)

/* "a@x; b@x" as a lowercased, trimmed list without empties. */
static char **
address_list(const char *s)
{
	GPtrArray *out = g_ptr_array_new();
	char **parts, **p;

	if (s != NULL) {
		parts = g_strsplit_set(s, ";,", -1);
		for (p = parts; *p != NULL; p++) {
			g_strstrip(*p);
			if (**p != '\0')
				g_ptr_array_add(out, g_ascii_strdown(*p, -1));
		}
		g_strfreev(parts);
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

static char **
alias_list(const char *s)
{
	GPtrArray *out = g_ptr_array_new();
	char **parts, **p;

	if (s != NULL) {
		parts = g_strsplit(s, ";", -1);
		for (p = parts; *p != NULL; p++)
			if (!text_blank(*p))
				g_ptr_array_add(out, text_trim(*p));
		g_strfreev(parts);
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

static char **
folded_names(const struct respondent *r)
{
	GPtrArray *out = g_ptr_array_new();
	char **a, *f;

	g_ptr_array_add(out, text_fold(r->name));
	for (a = r->aliases; *a != NULL; a++) {
		f = text_fold(*a);
		if (*f != '\0')
			g_ptr_array_add(out, f);
		else
			g_free(f);
	}
	g_ptr_array_add(out, NULL);
	return (char **)g_ptr_array_free(out, FALSE);
}

static void
respondent_clear(struct respondent *r)
{
	g_free(r->code);
	g_free(r->name);
	g_free(r->region);
	g_strfreev(r->emails);
	g_strfreev(r->cc);
	g_free(r->language);
	g_strfreev(r->aliases);
	g_strfreev(r->folded);
}

static void
addresses_check(const struct table *t, guint row, char **list,
    GHashTable *seen, const char *code, struct problems *p)
{
	char **a, *place;
	const char *other;

	for (a = list; *a != NULL; a++) {
		place = table_place(t, row, table_col(t, "emails"));
		if (strchr(*a, '@') == NULL || strchr(*a, ' ') != NULL)
			problems_error(p, "%s: '%s' is not an e-mail address",
			    place, *a);
		else if ((other = g_hash_table_lookup(seen, *a)) != NULL &&
		    strcmp(other, code) != 0)
			problems_warn(p, "%s: address '%s' also belongs to "
			    "'%s'; mail from it cannot tell them apart", place,
			    *a, other);
		else
			g_hash_table_replace(seen, *a, (gpointer)code);
		g_free(place);
	}
}

static void
roster_row_load(struct roster *ro, const struct table *t, guint row,
    GHashTable *codes, GHashTable *addrs, struct problems *p)
{
	struct respondent r;
	const char *code = table_get(t, row, table_col(t, "code"));
	const char *name = table_get(t, row, table_col(t, "name"));
	const char *lang = table_get(t, row, table_col(t, "language"));
	char *place;

	if (code == NULL && name == NULL)
		return;
	place = table_place(t, row, -1);
	if (code == NULL || name == NULL) {
		problems_error(p, "%s: every entry needs a code and a name",
		    place);
		g_free(place);
		return;
	}
	if (g_hash_table_contains(codes, code)) {
		problems_error(p, "%s: code '%s' appears twice", place, code);
		g_free(place);
		return;
	}
	memset(&r, 0, sizeof(r));
	r.code = text_trim(code);
	r.name = text_trim(name);
	r.region = text_trim(table_get(t, row, table_col(t, "region")) ?
	    table_get(t, row, table_col(t, "region")) : "");
	r.emails = address_list(table_get(t, row, table_col(t, "emails")));
	r.cc = address_list(table_get(t, row, table_col(t, "cc")));
	r.aliases = alias_list(table_get(t, row, table_col(t, "aliases")));
	r.language = g_strdup(lang != NULL && g_str_has_prefix(lang, "en") ?
	    "en" : "vi");
	r.folded = folded_names(&r);
	/* The name goes into mail subjects: a line break there is a header. */
	if (strpbrk(r.name, "\r\n") != NULL)
		problems_error(p, "%s: the name holds a line break", place);
	if (lang != NULL && !g_str_has_prefix(lang, "en") &&
	    !g_str_has_prefix(lang, "vi"))
		problems_warn(p, "%s: language '%s' is not vi or en; using vi",
		    place, lang);
	g_free(place);
	g_hash_table_add(codes, r.code);
	ro->v = g_renew(struct respondent, ro->v, ro->n + 1);
	ro->v[ro->n++] = r;
	addresses_check(t, row, ro->v[ro->n - 1].emails, addrs, r.code, p);
	addresses_check(t, row, ro->v[ro->n - 1].cc, addrs, r.code, p);
}

static int
code_numeric(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (!g_ascii_isdigit(*s))
			return 0;
	return 1;
}

/*
 * Excel turns "01" into 1 when the column is not text: when most numeric
 * codes share a width, a shorter one has probably lost its zeros.
 */
static void
codes_zero_check(const struct roster *ro, struct problems *p)
{
	guint counts[16] = { 0 }, i, width = 0, best = 0;
	size_t len;

	for (i = 0; i < ro->n; i++)
		if (code_numeric(ro->v[i].code) &&
		    (len = strlen(ro->v[i].code)) < G_N_ELEMENTS(counts))
			counts[len]++;
	for (i = 1; i < G_N_ELEMENTS(counts); i++)
		if (counts[i] > best) {
			best = counts[i];
			width = i;
		}
	for (i = 0; i < ro->n && best > 1; i++)
		if (code_numeric(ro->v[i].code) &&
		    strlen(ro->v[i].code) < width)
			problems_warn(p, "%s: code '%s' (%s) looks like it lost "
			    "a leading zero: the other codes have %u digits "
			    "(save the column as text)", ro->path,
			    ro->v[i].code, ro->v[i].name, width);
}

static struct table *
roster_table_load(const char *path, struct problems *p)
{
	struct limits lim;
	struct grid *g;
	struct table *t = NULL;
	unsigned char *buf;
	char err[GRID_ERRLEN];
	size_t len;

	if (file_read(path, ROSTER_MAX_SIZE, &buf, &len, err, sizeof(err)) == -1) {
		problems_error(p, "%s", err);
		return NULL;
	}
	limits_default(&lim);
	if ((g = reader_csv.read(buf, len, &lim, err, sizeof(err))) == NULL)
		problems_error(p, "%s: %s", path, err);
	else
		t = table_from_sheet(&g->sheets[0], path, 1);
	grid_free(g);
	g_free(buf);
	return t;
}

struct roster *
roster_load(const char *path, struct problems *p)
{
	struct roster *ro;
	struct table *t;
	GHashTable *codes, *addrs;
	guint i, row, errors = p->errors->len;
	static const char *needed[] = { "code", "name", "region", "emails" };

	if ((t = roster_table_load(path, p)) == NULL)
		return NULL;
	for (i = 0; i < G_N_ELEMENTS(needed); i++)
		if (table_col(t, needed[i]) == -1)
			problems_error(p, "%s: the header has no '%s' column "
			    "(it needs code,name,region,emails)", path,
			    needed[i]);
	ro = g_new0(struct roster, 1);
	ro->path = g_strdup(path);
	codes = g_hash_table_new(g_str_hash, g_str_equal);
	addrs = g_hash_table_new(g_str_hash, g_str_equal);
	for (row = 0; row < t->nrows; row++)
		roster_row_load(ro, t, row, codes, addrs, p);
	g_hash_table_unref(codes);
	g_hash_table_unref(addrs);
	table_free(t);
	if (ro->n == 0 && p->errors->len == errors)
		problems_error(p, "%s: the roster has no entries", path);
	codes_zero_check(ro, p);
	if (p->errors->len > errors) {
		roster_free(ro);
		return NULL;
	}
	return ro;
}

void
roster_free(struct roster *ro)
{
	guint i;

	if (ro == NULL)
		return;
	for (i = 0; i < ro->n; i++)
		respondent_clear(&ro->v[i]);
	g_free(ro->v);
	g_free(ro->path);
	g_free(ro);
}

const struct respondent *
roster_find(const struct roster *ro, const char *code)
{
	guint i;

	for (i = 0; i < ro->n; i++)
		if (strcmp(ro->v[i].code, code) == 0)
			return &ro->v[i];
	return NULL;
}

static int
address_in(char **list, const char *addr)
{
	for (; *list != NULL; list++)
		if (g_ascii_strcasecmp(*list, addr) == 0)
			return 1;
	return 0;
}

const struct respondent *
roster_find_address(const struct roster *ro, const char *addr)
{
	guint i;

	for (i = 0; i < ro->n; i++)
		if (address_in(ro->v[i].emails, addr) ||
		    address_in(ro->v[i].cc, addr))
			return &ro->v[i];
	return NULL;
}
