/*
 * validate.h — answers and issues from a located reply.
 */
#ifndef SURVEYD_VALIDATE_H
#define SURVEYD_VALIDATE_H

#include "definition.h"
#include "reply.h"
#include "store.h"

/* Adds the answers and the issues of every field to sub. */
void		 validate_reply(const struct definition *, const struct reply *,
		    const char *lang, struct submission *);
/* accepted, incomplete or invalid, from the weight of the issues. */
const char	*validate_state(const struct issues *);

#endif
