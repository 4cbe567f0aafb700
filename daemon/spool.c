/*
 * spool.c — scanning the spool folder.  A file is read, stored and only
 * then moved out, so a crash leaves it in place and the next scan finds
 * its bytes already stored (a duplicate, not a second submission).
 *
 * The document-exchange system is expected to write elsewhere and rename
 * into the folder; names starting with '.' or ending in .tmp or .part are
 * still being written and are left alone.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "file.h"
#include "log.h"
#include "mailin.h"
#include "mime.h"
#include "spool.h"

struct spool {
	struct intake		*in;
	const struct survey	*sv;
	const char		*dir;
	GPtrArray		*names;		/* slot -> file name */
	struct mailin_batch	 b;
	int			 worst;
	guint			 taken;
};

static int
name_is_partial(const char *name)
{
	return name[0] == '.' || g_str_has_suffix(name, ".tmp") ||
	    g_str_has_suffix(name, ".part");
}

/* The regular files waiting, oldest name first, at most SPOOL_SCAN_MAX. */
static GPtrArray *
spool_list(const char *dir)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	struct dirent *e;
	struct stat st;
	char *path;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		log_err("[intake] spool: %s: %s", dir, strerror(errno));
		g_ptr_array_unref(names);
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		if (name_is_partial(e->d_name))
			continue;
		path = g_build_filename(dir, e->d_name, NULL);
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			g_ptr_array_add(names, g_strdup(e->d_name));
		g_free(path);
	}
	closedir(d);
	g_ptr_array_sort(names, (GCompareFunc)g_ascii_strcasecmp);
	if (names->len > SPOOL_SCAN_MAX)
		g_ptr_array_set_size(names, SPOOL_SCAN_MAX);
	return names;
}

/* to/NAME, or to/NAME-2... when a file of that name was there before. */
static char *
spool_target(const char *dir, const char *to, const char *name)
{
	char *path = g_build_filename(dir, to, name, NULL), *alt;
	int n;

	for (n = 2; g_file_test(path, G_FILE_TEST_EXISTS); n++) {
		alt = g_strdup_printf("%s-%d", name, n);
		g_free(path);
		path = g_build_filename(dir, to, alt, NULL);
		g_free(alt);
	}
	return path;
}

/* Moves a file out, with its reasons beside it when it was refused. */
static void
spool_move(struct spool *sp, const char *name, const char *to, const char *why)
{
	char *from = g_build_filename(sp->dir, name, NULL), *path, *whyp;
	char err[600];

	path = spool_target(sp->dir, to, name);
	if (why != NULL && *why != '\0') {
		whyp = g_strconcat(path, ".why", NULL);
		if (file_write_atomic(whyp, why, strlen(why), 1, err,
		    sizeof(err)) == -1)
			log_err("%s", err);
		g_free(whyp);
	}
	if (rename(from, path) == -1) {
		log_err("[intake] spool: cannot move %s to %s: %s", from, path,
		    strerror(errno));
		sp->worst = mailin_worse(sp->worst, EXIT_RUNTIME);
	} else
		sp->taken++;
	g_free(path);
	g_free(from);
}

static void
spool_file_done(void *arg, guint slot, int rc, const char *why)
{
	struct spool *sp = arg;
	const char *name = sp->names->pdata[slot];

	sp->worst = mailin_worse(sp->worst, rc);
	/* A passing failure (store, disk): the file waits for the next scan. */
	if (rc == EXIT_RUNTIME)
		return;
	spool_move(sp, name, rc == EXIT_OK ? SPOOL_DONE : SPOOL_REJECTED, why);
}

/* One file into the batch; its slot is its place in sp->names. */
static void
spool_take(struct spool *sp, const char *name)
{
	char *path = g_build_filename(sp->dir, name, NULL), *label;
	unsigned char *data;
	char err[600];
	size_t len;

	label = g_strdup_printf("spool %s", name);
	if (file_read(path, sp->in->config->max_message, &data, &len, err,
	    sizeof(err)) == -1) {
		/* Over the size limit or unreadable: refused, kept aside. */
		log_err("%s", err);
		sp->worst = mailin_worse(sp->worst, EXIT_REJECTED);
		spool_move(sp, name, SPOOL_REJECTED, err);
	} else {
		mailin_make_room(sp->in, sp->sv, &sp->b, len);
		g_ptr_array_set_size(sp->names, sp->b.slots->len);
		g_ptr_array_add(sp->names, g_strdup(name));
		if (mail_looks_like(data, len))
			mailin_mail(sp->in, label, data, len, NULL, &sp->b);
		else
			mailin_file(sp->in, label, g_strdup(name), data, len,
			    NULL, &sp->b);
		mailin_flush_full(sp->in, sp->sv, &sp->b);
	}
	g_free(label);
	g_free(path);
}

int
spool_scan(struct intake *in, const struct survey *sv, const char *dir,
    volatile sig_atomic_t *stop, guint *taken)
{
	struct spool sp = { in, sv, dir, NULL, { 0 }, EXIT_OK, 0 };
	GPtrArray *names;
	char *sub;
	guint i;

	*taken = 0;
	if ((names = spool_list(dir)) == NULL)
		return EXIT_RUNTIME;
	for (i = 0; i < 2; i++) {
		sub = g_build_filename(dir, i ? SPOOL_REJECTED : SPOOL_DONE, NULL);
		if (file_mkdirs(sub, 0750) == -1)
			log_err("[intake] spool: cannot create %s: %s", sub,
			    strerror(errno));
		g_free(sub);
	}
	sp.names = g_ptr_array_new_with_free_func(g_free);
	mailin_batch_init(&sp.b);
	sp.b.done = spool_file_done;
	sp.b.done_arg = &sp;
	sp.b.log = in->log;
	for (i = 0; i < names->len && !*stop; i++)
		spool_take(&sp, names->pdata[i]);
	mailin_flush(in, sv, &sp.b);
	mailin_batch_free(&sp.b);
	g_ptr_array_unref(sp.names);
	g_ptr_array_unref(names);
	*taken = sp.taken;
	return sp.worst;
}
