/*
 * web.h — the secretary's page: an HTTP server inside `surveyd run`
 * (libmicrohttpd, its own threads, its own store connections), on
 * [web] listen= only.  TLS is a reverse proxy's job (docs/web.md).
 */
#ifndef SURVEYD_WEB_H
#define SURVEYD_WEB_H

#include <stddef.h>

#include "config.h"

struct web;

/*
 * Starts serving.  NULL with err filled when it cannot (the address is
 * taken, the store will not open); NULL with err "" when [web] listen is
 * not set.  The config must outlive the server.
 */
struct web	*web_start(const struct config *, char *err, size_t errlen);
/* Finishes the requests under way and stops; NULL is fine. */
void		 web_stop(struct web *);

#endif
