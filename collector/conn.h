#ifndef STELE_COLLECTOR_CONN_H
#define STELE_COLLECTOR_CONN_H

#include "server.h"

/* One agent's connection, inside the server (server.h says how a
 * connection goes): the server accepts and polls, these act. */

/* Takes a slot for a newly accepted fd: TLS not started, deadline set. */
void conn_open(struct server *s, struct conn *c, int fd, const char *peer,
	       const struct admission_src *src, uint64_t now);

/* Moves TLS and records as far as the socket allows: reads, stores,
 * commits, acks. The connection may end inside. */
void conn_step(struct server *s, struct conn *c, short revents);

/* Ends it with one log line saying what happened. */
void conn_end(struct server *s, struct conn *c, const char *what);

/* Ends it for missing its deadline (hello or idle). */
void conn_expire(struct server *s, struct conn *c);

#endif
