/*
 * smtp_send.c — a test tool standing in for the commands that will send
 * mail: builds COUNT messages with message.c and sends them with smtp.c
 * in one session, printing each recipient's outcome, so t_smtp.sh can
 * check what the server and the mailboxes made of them.
 *
 *	smtp_send URL FROM SUBJECT BODY-FILE ATTACHMENT|- COUNT RCPT...
 *
 * Prints "N RCPT OUTCOME CODE REPLY" per recipient and "N id MESSAGE-ID"
 * per message; exits 1 when a message was not sent.  SMTP_SEND_RATE sets
 * rate-per-minute (default 0: no pacing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "file.h"
#include "message.h"
#include "smtp.h"

#define TOOL_FILE_MAX	(10u * 1024 * 1024)

static unsigned char *
tool_read(const char *path, size_t *len)
{
	unsigned char *buf;
	char err[256];

	if (file_read(path, TOOL_FILE_MAX, &buf, len, err, sizeof(err)) == -1) {
		fprintf(stderr, "smtp_send: %s\n", err);
		exit(2);
	}
	return buf;
}

/* Message i of the batch, sent; 0 when sent to someone. */
static int
tool_send(struct smtp *session, struct message_spec *spec, int i,
    const char *domain)
{
	struct smtp_result *results = g_new0(struct smtp_result, spec->nto);
	char step[32], err[SMTP_ERRLEN] = "", *id, *from;
	unsigned char *data;
	enum smtp_outcome o;
	size_t len, r;

	snprintf(step, sizeof(step), "%d", i);
	id = message_id_make("test", "all", "tool", step, domain);
	spec->message_id = id;
	if (message_build(spec, &data, &len, err, sizeof(err)) == -1) {
		fprintf(stderr, "smtp_send: %s\n", err);
		exit(2);
	}
	from = message_address(spec->from);
	o = smtp_send(session, from, spec->to, spec->nto, data, len, results,
	    err, sizeof(err));
	printf("%d id %s\n", i, id);
	for (r = 0; r < spec->nto; r++)
		printf("%d %s %s %d %s\n", i, spec->to[r],
		    smtp_outcome_name(results[r].outcome), results[r].code,
		    results[r].reply);
	if (o != SMTP_SENT)
		fprintf(stderr, "smtp_send: message %d %s: %s\n", i,
		    smtp_outcome_name(o), err);
	g_free(from);
	g_free(data);
	g_free(id);
	g_free(results);
	return o == SMTP_SENT ? 0 : -1;
}

int
main(int argc, char **argv)
{
	struct smtp_config conf = { 0 };
	struct message_attachment att = { 0 };
	struct message_spec spec = { 0 };
	struct smtp *session;
	unsigned char *body;
	size_t len;
	char *domain;
	int i, count, failed = 0;

	if (argc < 8) {
		fprintf(stderr, "usage: smtp_send URL FROM SUBJECT BODY-FILE "
		    "ATTACHMENT|- COUNT RCPT...\n");
		return 2;
	}
	conf.url = argv[1];
	conf.from = argv[2];
	conf.timeout = CONFIG_SERVER_TIMEOUT;
	if (getenv("SMTP_SEND_RATE") != NULL)
		conf.rate_per_minute = atoi(getenv("SMTP_SEND_RATE"));
	spec.from = argv[2];
	spec.subject = argv[3];
	body = tool_read(argv[4], &len);
	spec.body = (const char *)body;
	if (strcmp(argv[5], "-") != 0) {
		att.filename = strrchr(argv[5], '/') ? strrchr(argv[5], '/') + 1 :
		    argv[5];
		att.data = tool_read(argv[5], &att.len);
		spec.attachment = &att;
	}
	count = atoi(argv[6]);
	spec.to = (const char *const *)argv + 7;
	spec.nto = (size_t)(argc - 7);
	spec.date = 1687230000;	/* 2023-06-20 10:00 +07 */
	domain = message_address_domain(spec.from);
	session = smtp_new(&conf, NULL);
	for (i = 1; i <= count; i++)
		failed |= tool_send(session, &spec, i, domain);
	smtp_free(session);
	g_free(domain);
	g_free(body);
	g_free((void *)att.data);
	return failed ? 1 : 0;
}
