#ifndef STELE_COLLECTOR_NET_H
#define STELE_COLLECTOR_NET_H

#include <stddef.h>
#include <sys/socket.h>

#define NET_NAME_MAX 64		/* "[v6 address]:port" */

/* A non-blocking listening TCP socket on spec, "ADDR:PORT" or
 * "[V6ADDR]:PORT" (numeric; port 0 picks a free one). Returns the fd with
 * the address actually bound in bound[NET_NAME_MAX], or -1 with a reason. */
int net_listen(const char *spec, char *bound, char *why, size_t whylen);

/* "ADDR:PORT" of a socket address into name[NET_NAME_MAX]. */
void net_name(const struct sockaddr *sa, char *name);

/* 1 if spec parses as a listening address (for option checking). */
int net_spec_ok(const char *spec);

#endif
