/*
 * json.h — the little JSON writing `status --json` needs: strings escaped
 * per RFC 8259, into a GString.
 */
#ifndef SURVEYD_JSON_H
#define SURVEYD_JSON_H

#include <glib.h>

/* Appends "s" quoted and escaped; NULL becomes null. */
void	json_string(GString *, const char *);
/* Appends ,"key": when not first; sets *first to 0. */
void	json_key(GString *, int *first, const char *key);

#endif
