/*
 * sandbox.h — reading spreadsheets in a child process under resource limits.
 *
 * The readers are careful, but they parse files strangers sent.  A file that
 * defeats their checks (a crash, runaway memory or CPU) kills only the child:
 * the caller gets an error for that one file and a fresh child for the next.
 * One child serves many files, so a batch pays for fork() once, and there
 * is a child per CPU, so a batch is read on every core.
 */
#ifndef SURVEYD_SANDBOX_H
#define SURVEYD_SANDBOX_H

#include <stddef.h>
#include <sys/types.h>

#include "grid.h"
#include "limit.h"

struct sandbox;

struct sandbox	*sandbox_new(const struct limits *);
void		 sandbox_free(struct sandbox *);

/*
 * Reads one file in the child.  NULL with err filled when the file is
 * refused or the child died reading it.
 */
struct grid	*sandbox_grid_read(struct sandbox *, const unsigned char *,
		    size_t, char *err, size_t errlen);
/*
 * Reads n files across the children, several at once.  done() gets each
 * file's grid (the callee owns it) or its error, in the order they finish,
 * while the children go on reading: what done() does overlaps the reading.
 * data[i] must stay valid until done() has been called for i.
 */
typedef void	(*sandbox_done_cb)(void *arg, size_t i, struct grid *,
		    const char *err);
void		 sandbox_read_many(struct sandbox *, size_t n,
		    const unsigned char **data, const size_t *len,
		    sandbox_done_cb done, void *arg);
/* The first child's pid, -1 when none runs: for logs and for tests. */
pid_t		 sandbox_pid(const struct sandbox *);

#endif
