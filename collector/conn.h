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

/* Sends the ack that is due and what TLS holds; sets what to poll. */
void conn_flush(struct server *s, struct conn *c);

/* Fleet mode (conn_js.c). The hello's boot: the line prefix. */
void conn_js_hello(struct conn *c, const char *boot_id);

/* 1 if there is room to publish one more record of c. */
int conn_js_room(const struct server *s, const struct conn *c);

/* Publishes the record's line (invalid: NULL), or for invalid its
 * "invalid" line. 0; -1: the connection has ended; -2: the line cannot
 * be written (too long). */
int conn_js_record(struct server *s, struct conn *c, const unsigned char *item, size_t len,
		   const struct record *r, const char *invalid);

/* What js_handle() tells of a record (a js_done_fn; arg: the server). */
int conn_js_done(void *arg, const struct js_slot *sl, enum js_outcome o, const char *why);

/* Ends it with one log line saying what happened. */
void conn_end(struct server *s, struct conn *c, const char *what);

/* Ends it for missing its deadline (hello or idle). */
void conn_expire(struct server *s, struct conn *c);

#endif
