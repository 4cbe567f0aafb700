/*
 * constraint.c — a recursive-descent parser for the constraint subset and
 * the evaluator for its tree.
 */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "constraint.h"

#define CONSTRAINT_MAX_DEPTH	32	/* nesting of parentheses and not() */
#define CONSTRAINT_MAX_PATTERN	256	/* bytes in a regex() pattern */

enum cnode_kind { C_OR, C_AND, C_NOT, C_CMP, C_REGEX };
enum cmp_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct constraint {
	enum cnode_kind		 kind;
	enum cmp_op		 op;
	double			 number;
	regex_t			 re;
	struct constraint	*left, *right;
};

struct cparser {
	const char	*s;
	const char	*p;
	int		 depth;
	char		*err;
	size_t		 errlen;
	int		 failed;
};

static struct constraint *parse_or(struct cparser *);

static void
cp_fail(struct cparser *cp, const char *what)
{
	if (cp->failed)
		return;
	cp->failed = 1;
	snprintf(cp->err, cp->errlen, "at character %d: %s",
	    (int)(cp->p - cp->s) + 1, what);
}

static void
cp_skip(struct cparser *cp)
{
	while (isspace((unsigned char)*cp->p))
		cp->p++;
}

/* Consumes a word (and, or, not, regex) only when followed by a non-letter. */
static int
cp_word(struct cparser *cp, const char *w)
{
	size_t n = strlen(w);

	cp_skip(cp);
	if (strncmp(cp->p, w, n) != 0 || isalnum((unsigned char)cp->p[n]) ||
	    cp->p[n] == '_')
		return 0;
	cp->p += n;
	return 1;
}

static int
cp_char(struct cparser *cp, char c)
{
	cp_skip(cp);
	if (*cp->p != c)
		return 0;
	cp->p++;
	return 1;
}

static struct constraint *
cnode(enum cnode_kind kind, struct constraint *l, struct constraint *r)
{
	struct constraint *c = g_new0(struct constraint, 1);

	c->kind = kind;
	c->left = l;
	c->right = r;
	return c;
}

static int
cp_op(struct cparser *cp, enum cmp_op *op)
{
	static const struct { const char *s; enum cmp_op op; } ops[] = {
		{ "<=", OP_LE }, { ">=", OP_GE }, { "!=", OP_NE },
		{ "<", OP_LT }, { ">", OP_GT }, { "=", OP_EQ },
	};
	size_t i;

	cp_skip(cp);
	for (i = 0; i < G_N_ELEMENTS(ops); i++)
		if (strncmp(cp->p, ops[i].s, strlen(ops[i].s)) == 0) {
			cp->p += strlen(ops[i].s);
			*op = ops[i].op;
			return 1;
		}
	return 0;
}

static int
cp_number(struct cparser *cp, double *out)
{
	char *end;

	cp_skip(cp);
	if (!isdigit((unsigned char)*cp->p) && *cp->p != '-' && *cp->p != '.')
		return 0;
	*out = g_ascii_strtod(cp->p, &end);
	if (end == cp->p)
		return 0;
	cp->p = end;
	return 1;
}

/* "5 < ." is ". > 5" */
static enum cmp_op
op_mirror(enum cmp_op op)
{
	switch (op) {
	case OP_LT: return OP_GT;
	case OP_LE: return OP_GE;
	case OP_GT: return OP_LT;
	case OP_GE: return OP_LE;
	default: return op;
	}
}

static struct constraint *
parse_cmp(struct cparser *cp)
{
	struct constraint *c = cnode(C_CMP, NULL, NULL);

	if (cp_char(cp, '.')) {
		if (!cp_op(cp, &c->op))
			cp_fail(cp, "expected a comparison (=, !=, <, <=, >, >=)");
		else if (!cp_number(cp, &c->number))
			cp_fail(cp, "expected a number");
	} else if (cp_number(cp, &c->number)) {
		if (!cp_op(cp, &c->op))
			cp_fail(cp, "expected a comparison (=, !=, <, <=, >, >=)");
		else if (!cp_char(cp, '.'))
			cp_fail(cp, "expected '.' (the answer)");
		c->op = op_mirror(c->op);
	} else
		cp_fail(cp, "expected '.', a number, regex(...) or '('");
	return c;
}

/*
 * glibc's regcomp() copies a repeated subexpression once per repetition
 * it might need, so stacked repetitions ("a++++", "(a{9}){9}") grow
 * memory exponentially (found by fuzzing).  No survey's pattern needs
 * them, nor hundreds of bytes.
 */
static int
regex_too_complex(const char *pat)
{
	const char *p;
	int bounds = 0;

	if (strlen(pat) > CONSTRAINT_MAX_PATTERN)
		return 1;
	for (p = pat; *p != '\0'; p++) {
		if (strchr("*+?}", p[0]) != NULL && p[1] != '\0' &&
		    strchr("*+?{", p[1]) != NULL)
			return 1;
		bounds += *p == '{';
	}
	return bounds > 4;
}

/* XPath-style shorthands people use, rewritten for POSIX extended regex. */
static char *
regex_translate(const char *pat)
{
	GString *out = g_string_new(NULL);

	for (; *pat != '\0'; pat++) {
		if (pat[0] == '\\' && pat[1] == 'd') {
			g_string_append(out, "[0-9]");
			pat++;
		} else if (pat[0] == '\\' && pat[1] == 's') {
			g_string_append(out, "[[:space:]]");
			pat++;
		} else if (pat[0] == '\\' && pat[1] == 'w') {
			g_string_append(out, "[[:alnum:]_]");
			pat++;
		} else
			g_string_append_c(out, *pat);
	}
	return g_string_free(out, FALSE);
}

static struct constraint *
parse_regex(struct cparser *cp)
{
	struct constraint *c = cnode(C_REGEX, NULL, NULL);
	const char *start;
	char quote, *pat, *epat;
	int rc;

	if (!cp_char(cp, '(') || !cp_char(cp, '.') || !cp_char(cp, ',')) {
		cp_fail(cp, "expected regex(., 'pattern')");
		c->kind = C_CMP;
		return c;
	}
	cp_skip(cp);
	quote = *cp->p;
	if (quote != '\'' && quote != '"') {
		cp_fail(cp, "expected a quoted pattern");
		c->kind = C_CMP;
		return c;
	}
	start = ++cp->p;
	while (*cp->p != '\0' && *cp->p != quote)
		cp->p++;
	if (*cp->p != quote) {
		cp_fail(cp, "the pattern's quote is never closed");
		c->kind = C_CMP;
		return c;
	}
	pat = g_strndup(start, (gsize)(cp->p - start));
	cp->p++;
	if (regex_too_complex(pat)) {
		g_free(pat);
		cp_fail(cp, "the pattern is too long or stacks repetitions "
		    "(such as ++ or {2}{3})");
		c->kind = C_CMP;
		return c;
	}
	epat = regex_translate(pat);
	rc = regcomp(&c->re, epat, REG_EXTENDED | REG_NOSUB);
	g_free(pat);
	g_free(epat);
	if (rc != 0) {
		cp_fail(cp, "the pattern is not a valid regular expression");
		c->kind = C_CMP;
		return c;
	}
	if (!cp_char(cp, ')'))
		cp_fail(cp, "expected ')' after the pattern");
	return c;
}

static struct constraint *
parse_primary(struct cparser *cp)
{
	struct constraint *c;

	if (++cp->depth > CONSTRAINT_MAX_DEPTH) {
		cp_fail(cp, "nested too deeply");
		return cnode(C_CMP, NULL, NULL);
	}
	if (cp_word(cp, "not")) {
		if (!cp_char(cp, '('))
			cp_fail(cp, "expected '(' after not");
		c = cnode(C_NOT, parse_or(cp), NULL);
		if (!cp_char(cp, ')'))
			cp_fail(cp, "expected ')'");
	} else if (cp_word(cp, "regex"))
		c = parse_regex(cp);
	else if (cp_char(cp, '(')) {
		c = parse_or(cp);
		if (!cp_char(cp, ')'))
			cp_fail(cp, "expected ')'");
	} else
		c = parse_cmp(cp);
	cp->depth--;
	return c;
}

static struct constraint *
parse_and(struct cparser *cp)
{
	struct constraint *c = parse_primary(cp);

	while (!cp->failed && cp_word(cp, "and"))
		c = cnode(C_AND, c, parse_primary(cp));
	return c;
}

static struct constraint *
parse_or(struct cparser *cp)
{
	struct constraint *c = parse_and(cp);

	while (!cp->failed && cp_word(cp, "or"))
		c = cnode(C_OR, c, parse_and(cp));
	return c;
}

struct constraint *
constraint_parse(const char *s, char *err, size_t errlen)
{
	struct cparser cp = { s, s, 0, err, errlen, 0 };
	struct constraint *c;

	c = parse_or(&cp);
	cp_skip(&cp);
	if (!cp.failed && *cp.p != '\0')
		cp_fail(&cp, "unexpected text (use 'and'/'or' between "
		    "comparisons)");
	if (cp.failed) {
		constraint_free(c);
		return NULL;
	}
	return c;
}

void
constraint_free(struct constraint *c)
{
	if (c == NULL)
		return;
	constraint_free(c->left);
	constraint_free(c->right);
	if (c->kind == C_REGEX)
		regfree(&c->re);
	g_free(c);
}

static int
cmp_eval(enum cmp_op op, double a, double b)
{
	switch (op) {
	case OP_EQ: return a == b;
	case OP_NE: return a != b;
	case OP_LT: return a < b;
	case OP_LE: return a <= b;
	case OP_GT: return a > b;
	default:    return a >= b;
	}
}

int
constraint_eval(const struct constraint *c, int has_number, double number,
    const char *text)
{
	switch (c->kind) {
	case C_OR:
		return constraint_eval(c->left, has_number, number, text) ||
		    constraint_eval(c->right, has_number, number, text);
	case C_AND:
		return constraint_eval(c->left, has_number, number, text) &&
		    constraint_eval(c->right, has_number, number, text);
	case C_NOT:
		return !constraint_eval(c->left, has_number, number, text);
	case C_REGEX:
		return text != NULL && regexec(&c->re, text, 0, NULL, 0) == 0;
	default:
		return has_number && cmp_eval(c->op, number, c->number);
	}
}

int
constraint_bounds(const struct constraint *c, double *lo, int *lo_strict,
    double *hi, int *hi_strict)
{
	switch (c->kind) {
	case C_AND:
		return constraint_bounds(c->left, lo, lo_strict, hi, hi_strict) ==
		    0 && constraint_bounds(c->right, lo, lo_strict, hi,
		    hi_strict) == 0 ? 0 : -1;
	case C_CMP:
		break;
	default:
		return -1;
	}
	switch (c->op) {
	case OP_GT:
	case OP_GE:
		if (c->number >= *lo) {
			*lo_strict = c->number > *lo ? c->op == OP_GT :
			    *lo_strict || c->op == OP_GT;
			*lo = c->number;
		}
		return 0;
	case OP_LT:
	case OP_LE:
		if (c->number <= *hi) {
			*hi_strict = c->number < *hi ? c->op == OP_LT :
			    *hi_strict || c->op == OP_LT;
			*hi = c->number;
		}
		return 0;
	default:
		return -1;
	}
}
