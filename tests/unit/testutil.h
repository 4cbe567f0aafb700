/*
 * testutil.h — what the daemon's unit tests share: a scratch folder, files
 * written into it, a small definition and roster, and the Check runner.
 */
#ifndef SURVEYD_TESTUTIL_H
#define SURVEYD_TESTUTIL_H

#include <check.h>
#include <glib.h>

#include "definition.h"
#include "grid.h"
#include "roster.h"
#include "testlib.h"

/* A fresh folder under $TMPDIR; tu_cleanup() removes and frees it. */
char			*tu_tmpdir(void);
void			 tu_cleanup(char *dir);
/* Writes text to dir/name (creating folders); returns the path. */
char			*tu_write(const char *dir, const char *name, const char *text);
/*
 * A small definition exercising every type: count (integer, required,
 * 0..1000), budget (decimal), share (decimal, %), started (date), contact
 * (text, regex), has_rule (select_one yes_no, required), partners
 * (select_multiple partner), and a note.
 */
struct definition	*tu_definition(const char *dir);
/* Three respondents: 01 Hà Nội, 24 Bắc Giang (alias "BG"), 14 Sơn La. */
struct roster		*tu_roster(const char *dir);
/* Grid building, for replies made in code. */
void			 tu_cell_str(struct sheet *, const char *ref, const char *);
void			 tu_cell_num(struct sheet *, const char *ref, double, unsigned flags);

#endif
