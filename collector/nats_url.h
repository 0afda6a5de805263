#ifndef STELE_COLLECTOR_NATS_URL_H
#define STELE_COLLECTOR_NATS_URL_H

#include <stddef.h>

/* The server lists of --jetstream, "nats://HOST:PORT[,nats://HOST:PORT...]":
 * one walk and one grammar for the option's check (js_urls.c), the
 * publisher's servers (nats_conn.c) and libnats' list (js_connect.c). */

#define NATS_URL_HOST_MAX 1025		/* NI_MAXHOST */

/* The next entry of a list: *list starts at the text, and is NULL after
 * the last entry. Returns the entry (n bytes, not NUL-terminated; empty
 * ones included, as between two commas), or NULL when *list is NULL. */
const char *nats_url_next(const char **list, size_t *n);

/* "nats://HOST:PORT" (HOST a name, IPv4, or [IPv6]; PORT 1-65535 without
 * a leading 0) into host[NATS_URL_HOST_MAX] and port[6]. 0, or -1. */
int nats_url_split(const char *u, size_t n, char *host, char *port);

#endif
