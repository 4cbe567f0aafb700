/*
 * definition.h — a questionnaire, as the XLSForm subset of DESIGN.md
 * describes it: fields (sheet `survey`), choice lists (`choices`) and the
 * form's identity (`settings`), from an .xlsx or a folder of three CSVs.
 *
 * Nothing about form A or form B is built in: the code reads whatever
 * definition the config names.
 */
#ifndef SURVEYD_DEFINITION_H
#define SURVEYD_DEFINITION_H

#include <glib.h>

#include "constraint.h"
#include "problem.h"

enum field_type {
	FIELD_INTEGER,
	FIELD_DECIMAL,
	FIELD_TEXT,
	FIELD_DATE,
	FIELD_SELECT_ONE,
	FIELD_SELECT_MULTIPLE,
	FIELD_NOTE,		/* a section heading, never answered */
};

/* Text in the two languages a survey speaks; either may be NULL. */
struct i18n {
	char	*vi;
	char	*en;
};

struct choice {
	char		*name;
	struct i18n	 label;
	struct i18n	 folded;	/* label folded (text.h), for matching */
};

struct choice_list {
	char		*name;
	struct choice	*choices;
	guint		 nchoices;
};

struct field {
	enum field_type		 type;
	char			*name;
	struct i18n		 label;
	struct i18n		 hint;
	int			 required;
	int			 percent;	/* the unit is %: 0.475 means 47.5 */
	char			*constraint_text;
	struct constraint	*constraint;
	struct i18n		 constraint_message;
	char			*list_name;	/* select_one / select_multiple */
	const struct choice_list *list;		/* resolved from list_name */
	guint			 row;		/* where it is defined, for errors */
};

struct definition {
	char			*path;
	char			*form_id;
	char			*version;
	struct i18n		 title;
	struct field		*fields;
	guint			 nfields;
	struct choice_list	*lists;
	guint			 nlists;
};

/*
 * Loads and checks a definition: path is an .xlsx or a folder holding
 * survey.csv, choices.csv and settings.csv.  Every problem is added to p
 * naming the sheet (or file), row and column; returns NULL when any of them
 * is an error.
 */
struct definition	*definition_load(const char *path, struct problems *p);
void			 definition_free(struct definition *);

const struct field	*definition_field_find(const struct definition *, const char *name);
const struct choice	*choice_list_find(const struct choice_list *, const char *name);
/* The text in lang ("vi", "en"), falling back to the other language. */
const char		*i18n_get(const struct i18n *, const char *lang);
const char		*field_type_name(enum field_type);
/* Fields that take an answer (everything but notes). */
guint			 definition_indicator_count(const struct definition *);

#endif
