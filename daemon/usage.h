/*
 * usage.h — the help texts of surveyd and of each of its commands, in one
 * table, so `surveyd --help`, `surveyd help COMMAND`, `surveyd COMMAND
 * --help` and the man page (surveyd.8, kept in step by a test) tell the
 * same story.
 */
#ifndef SURVEYD_USAGE_H
#define SURVEYD_USAGE_H

#include <stdio.h>

struct usage {
	const char	*name;		/* the command, as typed */
	const char	*synopsis;	/* its arguments, after the name */
	const char	*summary;	/* one line for the list of commands */
	const char	*text;		/* what it does, then every option */
};

/* The command's entry, or NULL when there is no such command. */
const struct usage	*usage_find(const char *name);
/* The global options, before main() lists its commands. */
void			 usage_program_print(FILE *);
/* One line of the list of commands: the name and its summary. */
void			 usage_summary_print(FILE *, const char *name);
/* A command's full help: "usage: surveyd ... SYNOPSIS", then its text. */
void			 usage_command_print(FILE *, const struct usage *);

#endif
