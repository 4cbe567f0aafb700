/*
 * problem.c — collecting and reporting configuration problems.
 */
#include "log.h"
#include "problem.h"

void
problems_init(struct problems *p)
{
	p->errors = g_ptr_array_new_with_free_func(g_free);
	p->warnings = g_ptr_array_new_with_free_func(g_free);
}

void
problems_clear(struct problems *p)
{
	g_ptr_array_unref(p->errors);
	g_ptr_array_unref(p->warnings);
	p->errors = p->warnings = NULL;
}

void
problems_error(struct problems *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_ptr_array_add(p->errors, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

void
problems_warn(struct problems *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_ptr_array_add(p->warnings, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

guint
problems_report(const struct problems *p)
{
	guint i;

	for (i = 0; i < p->warnings->len; i++)
		log_warn("warning: %s", (char *)p->warnings->pdata[i]);
	for (i = 0; i < p->errors->len; i++)
		log_err("error: %s", (char *)p->errors->pdata[i]);
	return p->errors->len;
}
