/*
 * usage.c — the help texts: surveyd's global options and, per command,
 * its synopsis and a description of every option.  Every command of
 * DESIGN's command-line contract has its entry here, including those still
 * being built, so the man page and the help agree from the start.
 */
#include <string.h>

#include <glib.h>

#include "config.h"
#include "usage.h"

static const struct usage usages[] = {
	{ "run", "run [--survey ID] [--now T]",
	    "the daemon: poll mail, scan the spool, send mail",
	    "Runs until SIGTERM: polls the mailbox every poll-interval\n"
	    "(backing off while the server is down), takes the files in the\n"
	    "spool, sends forms, reminders and the digest when due.  SIGHUP\n"
	    "reads the config again (a config with errors is refused and the\n"
	    "old one kept); SIGTERM lets the message in hand finish, then\n"
	    "exits 0.  Holds the lock file in the state folder: other\n"
	    "commands then queue mail for the daemon to send.\n"
	    "  --survey ID  feed mail and spool files to this survey\n"
	    "               (default: the only one, else the open one that\n"
	    "               opened last)\n"
	    "  --now T      start the clock at T ('YYYY-MM-DD HH:MM', the\n"
	    "               survey's timezone); it runs on from there\n" },
	{ "poll", "poll --once [--survey ID] [--now T]",
	    "one IMAP cycle, then exit",
	    "Fetches the new messages of [imap] url, takes in their replies\n"
	    "and flags them (or moves them to processed-folder) after the\n"
	    "store committed them.\n"
	    "  --once       required: one cycle, then exit (`run` loops)\n"
	    "  --survey ID  the survey the replies belong to\n"
	    "  --now T      the time the replies are judged at (late,\n"
	    "               after-close)\n" },
	{ "import",
	    "import [--survey ID] [--respondent CODE] [--now T] FILE...",
	    "take in reply files by hand (.xlsx .xls .ods .csv .zip .eml)",
	    "Takes in files that did not come by mail (the document-exchange\n"
	    "system, a USB stick, a form typed in) through the same pipeline\n"
	    "as mail: format by content, fields, respondent, validation,\n"
	    "store.  A saved .eml is taken apart as a polled message is.  The\n"
	    "same file twice is a duplicate, not a second submission.\n"
	    "  --survey ID        the survey (may be left out when there is\n"
	    "                     one)\n"
	    "  --respondent CODE  who sent the files: no guessing from the\n"
	    "                     file\n"
	    "  --now T            the receipt time ('YYYY-MM-DD HH:MM')\n"
	    "Exit 3 when any file was rejected or nobody known sent it.\n" },
	{ "form", "form [--survey ID] (--respondent CODE | --all) -o PATH",
	    "write blank personalised forms",
	    "Writes the blank form (.xlsx) of one respondent or of all, each\n"
	    "with its respondent's name and token.\n"
	    "  --survey ID        the survey\n"
	    "  --respondent CODE  one respondent: PATH is the file, or an\n"
	    "                     existing folder to put it in\n"
	    "  --all              every respondent: PATH is a folder (created\n"
	    "                     when missing) of CODE-NAME.xlsx\n"
	    "  -o PATH            where to write\n" },
	{ "send-forms", "send-forms [--survey ID] [--respondent CODE] "
	    "[--dry-run] [--now T]",
	    "mail the blank forms",
	    "Mails each respondent (or one) its blank form with the form\n"
	    "template.  While `run` holds the lock the mails are queued for\n"
	    "it to send.\n"
	    "  --survey ID        the survey\n"
	    "  --respondent CODE  only this respondent\n"
	    "  --dry-run          list what would be sent; send nothing\n"
	    "  --now T            the time the schedule is judged at\n" },
	{ "remind",
	    "remind [--survey ID] [--respondent CODE] [--dry-run] [--now T]",
	    "send the reminders due now",
	    "Sends the reminders the schedule has due (reminders=,\n"
	    "send-window=, holidays=, max-reminders=) to respondents with no\n"
	    "accepted answer.  `run` does this by itself; the command is for\n"
	    "a manual round.  While `run` holds the lock the mails are queued\n"
	    "for it to send.\n"
	    "  --survey ID        the survey\n"
	    "  --respondent CODE  remind this respondent now, under the same\n"
	    "                     rules (a day apart, max-reminders, no\n"
	    "                     answer)\n"
	    "  --dry-run          list who would be reminded and why; send\n"
	    "                     nothing\n"
	    "  --now T            the time the schedule is judged at\n" },
	{ "status", "status [--survey ID] [--json]",
	    "who answered, who has not, what is wrong",
	    "Per respondent: state, answer, submissions, reminders sent, last\n"
	    "reply, flags and issues; then the replies nobody claimed.\n"
	    "  --survey ID  the survey\n"
	    "  --json       one JSON object, the shape DESIGN.md names\n" },
	{ "export", "export [--survey ID] -o FILE.xlsx "
	    "[--csv FILE.csv] [--headings code|label] [--include-unaccepted]",
	    "write the consolidated workbook (and CSV)",
	    "Writes the consolidated workbook: totals, data, statistics,\n"
	    "tracking and unmatched replies, one row per roster entry.\n"
	    "  --survey ID            the survey\n"
	    "  -o FILE.xlsx           the workbook to write\n"
	    "  --csv FILE.csv         also write the data as CSV (UTF-8, RFC\n"
	    "                         4180)\n"
	    "  --headings code|label  head the field columns by field name\n"
	    "                         (the default) or by label\n"
	    "  --include-unaccepted   fill in respondents with no accepted\n"
	    "                         answer from their latest submission\n" },
	{ "assign", "assign SUBMISSION RESPONDENT",
	    "attach an unmatched submission to a respondent",
	    "Says who sent an unmatched reply (its number from `status`); the\n"
	    "reply is read again as that respondent's.\n" },
	{ "revalidate", "revalidate [--survey ID]",
	    "check every stored submission again",
	    "Reads every stored submission again against the current\n"
	    "definition, after a constraint or label was fixed.  Assignments\n"
	    "made by hand are kept.\n"
	    "  --survey ID  the survey\n" },
	{ "backup", "backup -o FILE",
	    "a consistent copy of the database",
	    "Copies the database (VACUUM INTO) while the daemon runs.\n"
	    "  -o FILE  the copy; it must not exist yet\n" },
	{ "purge", "purge [--dry-run]",
	    "delete raw files and personal text past retention=",
	    "Deletes archived raw files and personal text older than each\n"
	    "survey's retention=; answers and counts stay.\n"
	    "  --dry-run  list what would be deleted; delete nothing\n" },
	{ "check-config", "check-config",
	    "check the config, definitions, rosters and templates",
	    "Reads the config and every definition, roster and template it\n"
	    "names, and reports every problem on its own line.  Exit 2 when\n"
	    "any is an error, so it can guard the daemon's start.\n" },
	{ "passwd", "passwd USER",
	    "set a password for the secretary's web page",
	    "Sets USER's password in the web page's users file\n"
	    "([web] users=).  The password is typed twice without echo on a\n"
	    "terminal, or read as one line from standard input.\n" },
	{ "help", "help [COMMAND]",
	    "this text, or a command's help",
	    "Prints the list of commands, or COMMAND's help, as `surveyd\n"
	    "COMMAND --help` does.\n" },
};

const struct usage *
usage_find(const char *name)
{
	size_t i;

	for (i = 0; i < G_N_ELEMENTS(usages); i++)
		if (strcmp(usages[i].name, name) == 0)
			return &usages[i];
	return NULL;
}

void
usage_program_print(FILE *f)
{
	fprintf(f, "usage: surveyd [-c CONFIG] [-v | -q] COMMAND [OPTIONS]\n"
	    "       surveyd help COMMAND | surveyd COMMAND --help\n"
	    "  -c CONFIG   the config file (else $SURVEYD_CONFIG, else %s)\n"
	    "  -v          log debugging detail too\n"
	    "  -q          log only warnings and errors\n"
	    "  -h, --help  this text\n"
	    "Exit codes: 0 ok, 1 runtime failure, 2 usage or config error,\n"
	    "3 some input was rejected.  See surveyd(8), surveyd.conf(5).\n"
	    "commands:\n", CONFIG_DEFAULT_PATH);
}

void
usage_summary_print(FILE *f, const char *name)
{
	const struct usage *u = usage_find(name);

	fprintf(f, "  %-13s %s\n", name, u != NULL ? u->summary : "");
}

void
usage_command_print(FILE *f, const struct usage *u)
{
	fprintf(f, "usage: surveyd [-c CONFIG] %s\n%s", u->synopsis, u->text);
}
