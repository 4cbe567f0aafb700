/*
 * identify.c — matching a reply to a roster entry.
 *
 * Names match as whole words after folding, so "Hà Nam" never matches
 * "Hà Nam Định" by accident of substrings, and a number in a subject only
 * counts in brackets, so "báo cáo 2024" is not province 24.  The organiser
 * is recognised only by token or sender: replies are addressed to it by
 * name, so its name says nothing about who wrote.
 */
#include <string.h>

#include "identify.h"
#include "text.h"

/* The one respondent whose name or alias is in text; NULL if none or several. */
static const struct respondent *
by_name(const struct roster *ro, const char *organiser, const char *text)
{
	const struct respondent *found = NULL;
	char *folded = text_fold(text), **n;
	guint i;

	for (i = 0; i < ro->n; i++) {
		if (organiser != NULL && strcmp(ro->v[i].code, organiser) == 0)
			continue;
		for (n = ro->v[i].folded; *n != NULL; n++) {
			if (!text_has_phrase(folded, *n))
				continue;
			if (found != NULL && found != &ro->v[i]) {
				g_free(folded);
				return NULL;
			}
			found = &ro->v[i];
		}
	}
	g_free(folded);
	return found;
}

/* "[24]" anywhere in the subject, naming a roster code. */
static const struct respondent *
by_bracket_code(const struct roster *ro, const char *organiser,
    const char *subject)
{
	const struct respondent *r, *found = NULL;
	const char *p, *end;
	char *code;

	for (p = subject; (p = strchr(p, '[')) != NULL; p++) {
		if ((end = strchr(p, ']')) == NULL)
			break;
		code = g_strndup(p + 1, (gsize)(end - p - 1));
		g_strstrip(code);
		r = roster_find(ro, code);
		g_free(code);
		if (r == NULL || (organiser && strcmp(r->code, organiser) == 0))
			continue;
		if (found != NULL && found != r)
			return NULL;
		found = r;
	}
	return found;
}

static const struct respondent *
by_subject(const struct roster *ro, const char *organiser, const char *subject)
{
	const struct respondent *r;

	if (subject == NULL)
		return NULL;
	if ((r = by_bracket_code(ro, organiser, subject)) != NULL)
		return r;
	return by_name(ro, organiser, subject);
}

static const struct respondent *
by_form(const struct roster *ro, const char *organiser,
    const struct identify_input *in)
{
	const struct respondent *r, *found = NULL;
	guint i;

	if (in->form_code != NULL && (r = roster_find(ro, in->form_code)) != NULL &&
	    (organiser == NULL || strcmp(r->code, organiser) != 0))
		return r;
	for (i = 0; in->form_texts != NULL && i < in->form_texts->len; i++) {
		if ((r = by_name(ro, organiser, in->form_texts->pdata[i])) == NULL)
			continue;
		if (found != NULL && found != r)
			return NULL;
		found = r;
	}
	return found;
}

static void
consider(struct identify_result *res, const struct respondent *r,
    const char *method)
{
	if (r == NULL)
		return;
	if (res->respondent == NULL) {
		res->respondent = r;
		res->method = method;
	} else if (res->respondent != r)
		res->mismatch = 1;
}

void
identify_respondent(const struct roster *ro, const char *organiser,
    const struct identify_input *in, struct identify_result *res)
{
	memset(res, 0, sizeof(*res));
	if (in->override != NULL)
		consider(res, roster_find(ro, in->override), "option");
	if (in->token_code != NULL)
		consider(res, roster_find(ro, in->token_code), "token");
	if (in->sender != NULL)
		consider(res, roster_find_address(ro, in->sender), "sender");
	consider(res, by_subject(ro, organiser, in->subject), "subject");
	consider(res, by_form(ro, organiser, in), "form");
}
