/*
 * mailout.c — the plan of outgoing mail.  Each kind reads who is due from
 * the store, fills its template's values, builds the attachment it needs
 * (the respondent's blank form, the consolidated workbook) and hands the
 * mails to outbox_queue in batches.  Keys make every plan repeatable: a
 * plan run twice queues nothing the second time.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "consolidated.h"
#include "file.h"
#include "form.h"
#include "log.h"
#include "mailout.h"
#include "outbox.h"
#include "remind.h"
#include "text.h"

#define MAILOUT_BATCH		50	/* mails built before one queue commit */
#define MAILOUT_ATTACHMENT_MAX	(32u * 1024 * 1024)

/* One mail being planned, with the storage its values point into. */
struct plan {
	struct outbox_mail		 m;
	struct message_attachment	 att;
	unsigned char			*att_data;
	char				*att_name;
	char				 deadline[32];
	char				 days_left[16];
	char				 step[REMIND_STEP_LEN + 8];
	char				*token;
	char				*issues;
	char				*received;
	char				*organiser;
};

/* Mails waiting for their commit, and what was queued so far. */
struct batch {
	struct store		*st;
	const struct config	*c;
	gint64			 now;
	struct plan		*v[MAILOUT_BATCH];
	size_t			 n;
	int			 queued;	/* -1 once a commit failed */
};

static void
plan_free(struct plan *p)
{
	g_free(p->att_data);
	g_free(p->att_name);
	g_free(p->token);
	g_free(p->issues);
	g_free(p->received);
	g_free(p->organiser);
	g_free(p);
}

static void
batch_flush(struct batch *b)
{
	struct outbox_mail *mails = g_new(struct outbox_mail, b->n);
	size_t i;
	int rc;

	for (i = 0; i < b->n; i++)
		mails[i] = b->v[i]->m;
	rc = b->n ? outbox_queue(b->st, b->c, b->now, mails, b->n) : 0;
	if (rc == -1)
		b->queued = -1;
	else if (b->queued != -1)
		b->queued += rc;
	for (i = 0; i < b->n; i++)
		plan_free(b->v[i]);
	b->n = 0;
	g_free(mails);
}

static void
batch_add(struct batch *b, struct plan *p)
{
	b->v[b->n++] = p;
	if (b->n == MAILOUT_BATCH)
		batch_flush(b);
}

/* "30/06/2023" (with_time: "16:05 30/06/2023"), as Vietnamese offices write it. */
static void
date_format(gint64 t, GTimeZone *tz, int with_time, char *buf, size_t len)
{
	GDateTime *d = g_date_time_new_from_unix_utc(t), *l;

	l = g_date_time_to_timezone(d, tz);
	if (with_time)
		g_snprintf(buf, len, "%02d:%02d %02d/%02d/%04d",
		    g_date_time_get_hour(l), g_date_time_get_minute(l),
		    g_date_time_get_day_of_month(l), g_date_time_get_month(l),
		    g_date_time_get_year(l));
	else
		g_snprintf(buf, len, "%02d/%02d/%04d",
		    g_date_time_get_day_of_month(l), g_date_time_get_month(l),
		    g_date_time_get_year(l));
	g_date_time_unref(l);
	g_date_time_unref(d);
}

/*
 * Who signs the mail: the organiser's roster name, else the display name
 * of [smtp] from ("Liên hiệp các Hội KH&KT" <khaosat@...>).
 */
static char *
organiser_name(const struct config *c, const struct survey *sv)
{
	const struct respondent *org = sv->organiser ?
	    roster_find(sv->roster, sv->organiser) : NULL;
	const char *lt;

	if (org != NULL)
		return g_strdup(org->name);
	if (c->smtp.from == NULL || (lt = strchr(c->smtp.from, '<')) == NULL)
		return NULL;
	return g_strstrip(g_strdelimit(g_strndup(c->smtp.from,
	    lt - c->smtp.from), "\"", ' '));
}

/* The values every mail to a respondent may use. */
static struct plan *
plan_new(struct store *st, const struct config *c, const struct survey *sv,
    const struct respondent *r, gint64 now, const char *kind)
{
	struct plan *p = g_new0(struct plan, 1);
	const char **v = p->m.values;

	p->m.survey = sv;
	p->m.respondent = r ? r->code : "";
	p->m.kind = kind;
	p->m.step = p->step;
	if (sv->deadline != 0) {
		date_format(sv->deadline, sv->tz, 0, p->deadline,
		    sizeof(p->deadline));
		g_snprintf(p->days_left, sizeof(p->days_left), "%" G_GINT64_FORMAT,
		    MAX((sv->deadline - now + 86399) / 86400, 0));
	}
	v[TEMPLATE_SURVEY_TITLE] = i18n_get(&sv->def->title, sv->language);
	p->organiser = organiser_name(c, sv);
	v[TEMPLATE_ORGANISER] = p->organiser;
	v[TEMPLATE_DEADLINE] = p->deadline;
	v[TEMPLATE_DAYS_LEFT] = p->days_left;
	if (r != NULL) {
		p->token = store_respondent_token(st, sv->id, r->code);
		v[TEMPLATE_RESPONDENT] = r->name;
		v[TEMPLATE_CODE] = r->code;
		v[TEMPLATE_TOKEN] = p->token;
	}
	return p;
}

/* The respondent's address, first of the roster's; NULL (said) when none. */
static const char *
respondent_address(const struct survey *sv, const struct respondent *r)
{
	if (r->emails != NULL && r->emails[0] != NULL)
		return r->emails[0];
	log_warn("survey %s: %s %s has no e-mail address in %s: no mail "
	    "can go to it", sv->id, r->code, r->name, sv->roster_path);
	return NULL;
}

/* Writes the attachment's file at path; -1 with err filled. */
typedef int	(*attach_write)(const void *arg, const char *path, char *err,
		    size_t errlen);

/*
 * The file a writer makes, attached to the plan as name (taken).  The
 * writers want a path, so they get one in a private folder, read back
 * and removed.
 */
static int
plan_attach(struct plan *p, attach_write write, const void *arg, char *name)
{
	char err[1024], *dir, *path;
	size_t len;
	int rc = -1;

	if ((dir = g_dir_make_tmp("surveyd-mail-XXXXXX", NULL)) == NULL) {
		log_err("no temporary folder for %s: %s", name, strerror(errno));
		g_free(name);
		return -1;
	}
	path = g_build_filename(dir, "attachment.xlsx", NULL);
	if (write(arg, path, err, sizeof(err)) == -1 || file_read(path,
	    MAILOUT_ATTACHMENT_MAX, &p->att_data, &len, err, sizeof(err)) == -1) {
		log_err("survey %s: %s: %s", p->m.survey->id, name, err);
		g_free(name);
	} else {
		p->att_name = name;
		p->att.filename = name;
		p->att.data = p->att_data;
		p->att.len = len;
		p->m.attachment = &p->att;
		rc = 0;
	}
	g_unlink(path);
	g_rmdir(dir);
	g_free(path);
	g_free(dir);
	return rc;
}

struct form_args {
	const struct survey	*sv;
	const struct respondent	*r;
	const char		*token;
};

static int
form_file_write(const void *arg, const char *path, char *err, size_t errlen)
{
	const struct form_args *f = arg;

	return form_write(f->sv, f->r, f->token, path, err, errlen);
}

/* The respondent's blank form, named for people: "Phiếu khảo sát - Hà Nội.xlsx". */
static int
plan_form_attach(struct plan *p, const struct survey *sv,
    const struct respondent *r)
{
	struct form_args f = { sv, r, p->token };

	return plan_attach(p, form_file_write, &f, g_strdup_printf(
	    strcmp(sv->language, "en") == 0 ? "Questionnaire - %s.xlsx" :
	    "Phiếu khảo sát - %s.xlsx", r->name));
}

/* --- forms ------------------------------------------------------------ */

/* The form to r under step ("0", or "resend-N"), into the batch. */
static void
form_plan(struct batch *b, const struct survey *sv, const struct respondent *r,
    const char *to, const char *step)
{
	struct plan *p = plan_new(b->st, b->c, sv, r, b->now, "form");

	g_strlcpy(p->step, step, sizeof(p->step));
	p->m.to[p->m.nto++] = to;
	p->m.template = TEMPLATE_FORM;
	if (plan_form_attach(p, sv, r) == -1) {
		plan_free(p);
		b->queued = -1;
		return;
	}
	batch_add(b, p);
}

int
mailout_forms(struct store *st, const struct config *c,
    const struct survey *sv, gint64 now, const char *only, int dry_run,
    FILE *out)
{
	struct batch b = { st, c, now, { 0 }, 0, 0 };
	const struct respondent *r;
	const char *to;
	guint i;
	int planned = 0;

	for (i = 0; i < sv->roster->n; i++) {
		r = &sv->roster->v[i];
		if ((only != NULL && strcmp(only, r->code) != 0) ||
		    (sv->organiser && strcmp(sv->organiser, r->code) == 0) ||
		    store_outbox_exists(st, sv->id, r->code, "form", "0") ||
		    (to = respondent_address(sv, r)) == NULL)
			continue;
		planned++;
		if (dry_run)
			fprintf(out, "%s %s: form to %s\n", r->code, r->name, to);
		else
			form_plan(&b, sv, r, to, "0");
	}
	batch_flush(&b);
	return dry_run ? planned : b.queued;
}

int
mailout_form_resend(struct store *st, const struct config *c,
    const struct survey *sv, gint64 now, const char *code)
{
	struct batch b = { st, c, now, { 0 }, 0, 0 };
	const struct respondent *r = roster_find(sv->roster, code);
	const char *to;
	char step[32];
	int n;

	if (r == NULL || (to = respondent_address(sv, r)) == NULL)
		return -1;
	/* Each resend is a mail of its own: resend-1, resend-2 ... */
	for (n = 1; ; n++) {
		g_snprintf(step, sizeof(step), "resend-%d", n);
		if (!store_outbox_exists(st, sv->id, code, "form", step))
			break;
	}
	form_plan(&b, sv, r, to, step);
	batch_flush(&b);
	return b.queued;
}

/* --- acknowledgements ------------------------------------------------- */

/* Why a reply gets no acknowledgement, or NULL when it gets one. */
static const char *
ack_refusal(struct store *st, const struct config *c,
    const struct submission *sub, gint64 now)
{
	char *ours = message_address(c->smtp.from);
	int own = ours && sub->sender && g_ascii_strcasecmp(ours,
	    sub->sender) == 0;

	g_free(ours);
	if (sub->markers != 0)
		return "sent by a machine (auto-reply, list or bounce)";
	if (sub->sender == NULL || own)
		return "no sender to answer";
	if (strcmp(sub->state, "not-a-form") == 0)
		return "not a form";
	if (strstr(sub->flags, "blank") != NULL)
		return "a blank form sent back unchanged";
	if (store_outbox_last_to(st, "ack", sub->sender) > now - MAILOUT_ACK_GAP)
		return "an acknowledgement went to this address within the hour";
	return NULL;
}

/* "- Số hội viên (ô C12): phải là số" — one issue a line, as the ack lists. */
static char *
issues_text(const struct submission *sub)
{
	GString *s = g_string_new(NULL);
	guint i;

	for (i = 0; i < sub->issues.v->len; i++) {
		const struct issue *is = sub->issues.v->pdata[i];

		g_string_append_printf(s, "- %s\n", is->message);
	}
	return g_string_free(s, FALSE);
}

static struct plan *
ack_plan(struct store *st, const struct config *c, const struct survey *sv,
    const struct submission *sub, gint64 now)
{
	const struct respondent *r = sub->respondent ?
	    roster_find(sv->roster, sub->respondent) : NULL;
	struct plan *p = plan_new(st, c, sv, r, now, "ack");

	g_snprintf(p->step, sizeof(p->step), "%" G_GINT64_FORMAT, sub->id);
	p->m.to[p->m.nto++] = sub->sender;
	p->m.in_reply_to = sub->message_id;
	p->received = g_malloc(32);
	date_format(sub->received, sv->tz, 1, p->received, 32);
	p->m.values[TEMPLATE_FILENAME] = sub->filename;
	p->m.values[TEMPLATE_RECEIVED] = p->received;
	p->m.values[TEMPLATE_SENDER] = sub->sender;
	if (r == NULL)
		p->m.template = TEMPLATE_ACK_UNMATCHED;
	else if (strcmp(sub->state, "accepted") == 0)
		p->m.template = TEMPLATE_ACK_ACCEPTED;
	else {
		p->m.template = TEMPLATE_ACK_FIX;
		p->issues = issues_text(sub);
		p->m.values[TEMPLATE_ISSUES] = p->issues;
		/* The form again, so fixing it is one reply away. */
		if (plan_form_attach(p, sv, r) == -1) {
			plan_free(p);
			return NULL;
		}
	}
	return p;
}

int
mailout_acks(struct store *st, const struct config *c,
    const struct survey *sv, gint64 now)
{
	struct batch b = { st, c, now, { 0 }, 0, 0 };
	struct submission *sub;
	struct plan *p;
	const char *no;
	GArray *ids;
	char step[32];
	guint i;

	if (!sv->acknowledge || (ids = store_ack_pending(st, sv->id,
	    now - MAILOUT_ACK_HORIZON)) == NULL)
		return 0;
	for (i = 0; i < ids->len; i++) {
		if ((sub = store_submission_load(st, g_array_index(ids, gint64,
		    i))) == NULL)
			continue;
		g_snprintf(step, sizeof(step), "%" G_GINT64_FORMAT, sub->id);
		/* One batch at a time, so the hourly rule sees the last ack. */
		if ((no = ack_refusal(st, c, sub, now)) != NULL)
			outbox_skip(st, c, now, sv->id, sub->respondent ?
			    sub->respondent : "", "ack", step, no);
		else if ((p = ack_plan(st, c, sv, sub, now)) != NULL) {
			/* Queued before sub goes: the plan points into it. */
			batch_add(&b, p);
			batch_flush(&b);
		}
		submission_free(sub);
	}
	g_array_unref(ids);
	return b.queued;
}

/* --- reminders -------------------------------------------------------- */

/* What the outbox says of each respondent, for remind.c. */
struct history {
	GArray		*r;		/* of struct remind_respondent */
	GPtrArray	*steps;		/* per respondent: GPtrArray of step keys */
	GPtrArray	*rows;		/* the outbox rows the keys point into */
};

static void
history_row(struct remind_respondent *rr, GPtrArray *steps,
    const struct outbox_row *o)
{
	int counts = strcmp(o->state, "skipped") != 0;
	gint64 when = o->sent ? o->sent : o->created;

	if (strcmp(o->kind, "form") == 0 && o->sent != 0 &&
	    (rr->form_sent == 0 || o->sent < rr->form_sent))
		rr->form_sent = o->sent;
	if (strcmp(o->kind, "reminder") == 0) {
		g_ptr_array_add(steps, (gpointer)o->step);
		rr->reminders_sent += counts;
	}
	if (counts && (strcmp(o->kind, "form") == 0 ||
	    strcmp(o->kind, "reminder") == 0))
		rr->last_mail = MAX(rr->last_mail, when);
}

static int
history_load(struct store *st, const struct survey *sv, struct history *h)
{
	GHashTable *status, *index;
	struct survey_status_row *row;
	struct remind_respondent *rr;
	const struct outbox_row *o;
	gpointer at;
	guint i;

	if ((status = store_survey_status(st, sv->id)) == NULL ||
	    (h->rows = store_outbox_list(st, sv->id, NULL)) == NULL) {
		if (status != NULL)
			g_hash_table_unref(status);
		return -1;
	}
	h->r = g_array_sized_new(FALSE, TRUE, sizeof(struct remind_respondent),
	    sv->roster->n);
	g_array_set_size(h->r, sv->roster->n);
	h->steps = g_ptr_array_new_with_free_func(
	    (GDestroyNotify)g_ptr_array_unref);
	index = g_hash_table_new(g_str_hash, g_str_equal);
	for (i = 0; i < sv->roster->n; i++) {
		rr = &g_array_index(h->r, struct remind_respondent, i);
		rr->code = sv->roster->v[i].code;
		row = g_hash_table_lookup(status, rr->code);
		rr->answered = row != NULL && row->st.answer != 0;
		g_ptr_array_add(h->steps, g_ptr_array_new());
		g_hash_table_insert(index, (gpointer)rr->code,
		    GUINT_TO_POINTER(i + 1));
	}
	for (i = 0; i < h->rows->len; i++) {
		o = h->rows->pdata[i];
		if ((at = g_hash_table_lookup(index, o->respondent)) == NULL)
			continue;
		history_row(&g_array_index(h->r, struct remind_respondent,
		    GPOINTER_TO_UINT(at) - 1), h->steps->pdata[
		    GPOINTER_TO_UINT(at) - 1], o);
	}
	for (i = 0; i < sv->roster->n; i++) {
		GPtrArray *s = h->steps->pdata[i];

		rr = &g_array_index(h->r, struct remind_respondent, i);
		rr->steps_done = (const char *const *)s->pdata;
		rr->nsteps_done = s->len;
	}
	g_hash_table_unref(index);
	g_hash_table_unref(status);
	return 0;
}

static void
history_clear(struct history *h)
{
	if (h->r != NULL)
		g_array_unref(h->r);
	if (h->steps != NULL)
		g_ptr_array_unref(h->steps);
	if (h->rows != NULL)
		g_ptr_array_unref(h->rows);
}

static struct plan *
reminder_plan(struct store *st, const struct config *c,
    const struct survey *sv, const struct respondent *r,
    const struct remind_action *a, gint64 now)
{
	struct plan *p = plan_new(st, c, sv, r, now, "reminder");
	const char *to = respondent_address(sv, r);
	char **cc;

	g_strlcpy(p->step, a->why.step, sizeof(p->step));
	p->m.to[p->m.nto++] = to;
	p->m.template = a->escalate ? TEMPLATE_REMINDER_LATE : TEMPLATE_REMINDER;
	/* After the deadline the province's leadership hears of it too. */
	for (cc = r->cc; a->escalate && cc && *cc && p->m.ncc <
	    OUTBOX_RECIPIENTS; cc++)
		p->m.cc[p->m.ncc++] = *cc;
	if (to == NULL || plan_form_attach(p, sv, r) == -1) {
		plan_free(p);
		return NULL;
	}
	return p;
}

static void
reminder_say(FILE *out, const struct survey *sv, const struct respondent *r,
    const struct remind_why *why, const char *what)
{
	char text[256];

	fprintf(out, "%s %s: %s%s\n", r->code, r->name, what,
	    remind_why_format(sv, why, text, sizeof(text)));
}

/* The actions into the batch, or onto out for a dry run. */
static void
reminders_apply(struct batch *b, const struct survey *sv, GArray *actions,
    const struct remind_why *why, int dry_run, FILE *out)
{
	const struct remind_action *a;
	const struct respondent *r;
	struct plan *p;
	guint i;

	for (i = 0; i < actions->len; i++) {
		a = &g_array_index(actions, struct remind_action, i);
		r = &sv->roster->v[a->respondent];
		if (dry_run)
			reminder_say(out, sv, r, &a->why, a->what == REMIND_SEND ?
			    (a->escalate ? "reminder (cc the leadership): " :
			    "reminder: ") : "skipped: ");
		else if (a->what == REMIND_SKIP)
			outbox_skip(b->st, b->c, b->now, sv->id, r->code,
			    "reminder", a->why.step, "superseded by a later step");
		else if ((p = reminder_plan(b->st, b->c, sv, r, a, b->now)) != NULL)
			batch_add(b, p);
		else
			b->queued = -1;
	}
	for (i = 0; dry_run && why && i < sv->roster->n; i++)
		if (why[i].reason != REMIND_DUE && why[i].reason !=
		    REMIND_MANUAL && why[i].reason != REMIND_SUPERSEDED)
			reminder_say(out, sv, &sv->roster->v[i], &why[i],
			    "nothing: ");
}

int
mailout_reminders(struct store *st, const struct config *c,
    const struct survey *sv, gint64 now, const char *manual, int dry_run,
    FILE *out)
{
	struct batch b = { st, c, now, { 0 }, 0, 0 };
	struct history h = { 0 };
	struct remind_why *why;
	GArray *actions;
	guint i, k, sends = 0;

	if (history_load(st, sv, &h) == -1) {
		log_err("%s: %s", c->database, store_error(st));
		history_clear(&h);
		return -1;
	}
	why = g_new0(struct remind_why, sv->roster->n);
	actions = g_array_new(FALSE, FALSE, sizeof(struct remind_action));
	if (manual == NULL)
		remind_plan(sv, now, (struct remind_respondent *)h.r->data,
		    h.r->len, actions, why);
	else {
		for (i = 0; i < sv->roster->n; i++)
			if (strcmp(sv->roster->v[i].code, manual) == 0)
				break;
		if (i < sv->roster->n)
			remind_manual(sv, now, &g_array_index(h.r,
			    struct remind_respondent, i), 1, actions, why + i);
		/* remind_manual numbered its one respondent 0. */
		for (k = 0; k < actions->len; k++)
			g_array_index(actions, struct remind_action,
			    k).respondent = i;
	}
	for (i = 0; i < actions->len; i++)
		sends += g_array_index(actions, struct remind_action,
		    i).what == REMIND_SEND;
	reminders_apply(&b, sv, actions, manual ? NULL : why, dry_run, out);
	batch_flush(&b);
	g_array_unref(actions);
	g_free(why);
	history_clear(&h);
	return dry_run ? (int)sends : b.queued;
}

gint64
mailout_next_reminder(struct store *st, const struct survey *sv, gint64 now,
    gint64 *next)
{
	struct history h = { 0 };
	gint64 soonest = -1;

	if (history_load(st, sv, &h) == 0)
		soonest = remind_next_due(sv, now,
		    (struct remind_respondent *)h.r->data, h.r->len, next);
	history_clear(&h);
	return soonest;
}

/* --- digest ----------------------------------------------------------- */

/* "2023-06-20": the local date the digest is about, its outbox step. */
static void
day_key(const struct survey *sv, gint64 now, char *buf, size_t len,
    int *minute)
{
	GDateTime *d = g_date_time_new_from_unix_utc(now), *l;

	l = g_date_time_to_timezone(d, sv->tz);
	g_snprintf(buf, len, "%04d-%02d-%02d", g_date_time_get_year(l),
	    g_date_time_get_month(l), g_date_time_get_day_of_month(l));
	*minute = g_date_time_get_hour(l) * 60 + g_date_time_get_minute(l);
	g_date_time_unref(l);
	g_date_time_unref(d);
}

struct digest_args {
	struct store		*st;
	const struct survey	*sv;
};

static int
digest_file_write(const void *arg, const char *path, char *err, size_t errlen)
{
	const struct digest_args *d = arg;
	struct consolidated_request req = { path, NULL, EXPORT_HEADINGS_CODE, 0 };

	return consolidated_write(d->st, d->sv, &req, err, errlen);
}

/* The consolidated workbook: "Tổng hợp-2023-06-20.xlsx". */
static int
digest_attach(struct plan *p, struct store *st, const struct survey *sv)
{
	struct digest_args d = { st, sv };

	return plan_attach(p, digest_file_write, &d, g_strdup_printf("%s-%s.xlsx",
	    strcmp(sv->language, "en") == 0 ? "Summary" : "Tổng hợp", p->step));
}

int
mailout_digest(struct store *st, const struct config *c,
    const struct survey *sv, gint64 now)
{
	struct batch b = { st, c, now, { 0 }, 0, 0 };
	char accepted[16], pending[16], total[16];
	struct plan *p;
	gint64 answered;
	int minute;

	if (sv->digest_to == NULL)
		return 0;
	p = plan_new(st, c, sv, NULL, now, "digest");
	day_key(sv, now, p->step, sizeof(p->step), &minute);
	if (minute < sv->digest_at ||
	    store_outbox_exists(st, sv->id, "", "digest", p->step)) {
		plan_free(p);
		return 0;
	}
	answered = store_survey_answered(st, sv->id);
	g_snprintf(accepted, sizeof(accepted), "%" G_GINT64_FORMAT, answered);
	g_snprintf(pending, sizeof(pending), "%" G_GINT64_FORMAT,
	    (gint64)sv->roster->n - answered);
	g_snprintf(total, sizeof(total), "%u", sv->roster->n);
	p->m.to[p->m.nto++] = sv->digest_to;
	p->m.template = TEMPLATE_DIGEST;
	p->m.values[TEMPLATE_DATE] = p->step;
	p->m.values[TEMPLATE_ACCEPTED] = accepted;
	p->m.values[TEMPLATE_PENDING] = pending;
	p->m.values[TEMPLATE_TOTAL] = total;
	if (digest_attach(p, st, sv) == -1) {
		plan_free(p);
		return -1;
	}
	batch_add(&b, p);
	batch_flush(&b);
	return b.queued;
}

int
mailout_due(struct store *st, const struct config *c, const struct survey *sv,
    gint64 now)
{
	int rc = 0;

	if (sv->send_forms_auto && sv->opens != 0 && now >= sv->opens &&
	    mailout_forms(st, c, sv, now, NULL, 0, NULL) == -1)
		rc = -1;
	if (mailout_acks(st, c, sv, now) == -1)
		rc = -1;
	if (mailout_reminders(st, c, sv, now, NULL, 0, NULL) == -1)
		rc = -1;
	if (mailout_digest(st, c, sv, now) == -1)
		rc = -1;
	return rc;
}
