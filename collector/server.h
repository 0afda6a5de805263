#ifndef STELE_COLLECTOR_SERVER_H
#define STELE_COLLECTOR_SERVER_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "admission.h"
#include "cbor_in.h"
#include "http.h"
#include "image_expect.h"
#include "jetstream.h"
#include "log.h"
#include "metrics.h"
#include "net.h"
#include "pubwin.h"
#include "record_json.h"
#include "store.h"
#include "tls_conn.h"

/* The agents' side of the collector: accepts TLS connections, reads each
 * one's hello and records (DESIGN §6), stores them, acks what is stored.
 * One thread, one poll loop, non-blocking sockets; a connection is
 * handled a batch at a time: everything readable (up to CONN_BATCH_MAX),
 * then one commit (write + fsync), then one ack. A peer that sends
 * malformed CBOR is logged once and disconnected; a well-formed item that
 * is not a valid record is stored as an "invalid" line and acked; nobody
 * else notices either.
 *
 * Identity: a connection's host is what its client certificate names
 * (DNS SAN, else CN). A hello naming another host is refused, unless
 * trust_hello_host (a fleet sharing one certificate) takes the hello's.
 *
 * Starvation: every connection has a deadline. Until its hello it is
 * hello_ms from accept; after, idle_ms from the last bytes received.
 * Slots go as admission.h says. Out of file descriptors, accepting
 * pauses for ACCEPT_PAUSE_MS instead of spinning on the listener. */

#define CONN_IN_MAX (CBOR_ITEM_MAX + 16384)	/* a partial item + a TLS record */
#define CONN_BATCH_MAX (4u << 20)		/* bytes before others get a turn */
#define ACCEPT_PAUSE_MS 250
#define CONN_LINGER_MS 2000

/* CONN_CLOSING: an alert was sent, our side shut down; what the peer
 * still sends is read and dropped until it closes (or CONN_LINGER_MS), so
 * that its kernel gets no reset that would discard the alert unread. */
enum conn_state { CONN_FREE, CONN_TLS, CONN_HELLO, CONN_RECORDS, CONN_CLOSING };

struct conn {
	int fd;
	enum conn_state state;
	char peer[NET_NAME_MAX];
	char label[NET_NAME_MAX + STORE_NAME_MAX + 4];	/* peer, and host once known */
	uint64_t deadline;
	uint64_t since;			/* accepted at */
	char host[STORE_NAME_MAX + 1];	/* once the hello is taken */
	struct metrics_image image;	/* and what it said of the image */
	short events;
	int busy;			/* bytes read, not yet fed: step again */
	int ack_due;
	struct stream *st;
	uint64_t records, duplicates;
	struct cbor_scan scan;
	/* Fleet mode (server.js): the line prefix, what is published and not
	 * yet acked, and whether reading waits for room in either. */
	uint32_t gen;			/* told apart from a later user of the slot */
	int blocked;
	int js_failing;			/* a failure was said: quiet until one is stored */
	uint64_t last_seq;		/* published last */
	char boot_id[STORE_NAME_MAX + 1];
	char prefix[2 * STORE_NAME_MAX + 40];
	size_t prefix_len;
	struct pubwin win;
	size_t in_len;
	unsigned char in[CONN_IN_MAX];
	struct tls_conn tls;
};

struct server_config {
	const char *listen;
	const char *metrics;		/* NULL: no HTTP endpoint */
	int metrics_optional;		/* the default: run on if it is taken */
	size_t max_conns;
	struct admission_limits limits;	/* its max is max_conns */
	uint64_t hello_ms, idle_ms;
	int trust_hello_host;
	struct tls_config tls;
	struct store *store;		/* files mode, or */
	struct js *js;			/* fleet mode: JetStream (store NULL) */
	struct metrics *metrics_store;
	const struct image_expect *expect;	/* --expect; NULL: none */
};

struct server {
	int lfd;
	size_t max;
	struct conn *conns;		/* max of them */
	struct admission_slot *slots;	/* and what admission needs of each */
	struct admission_limits limits;
	uint64_t hello_ms, idle_ms;
	int trust_hello_host;
	uint64_t accept_resume_at;	/* out of descriptors: listener unpolled until */
	int accept_paused;		/* and said so */
	struct log_limit refusals;	/* lines from peers that never said hello */
	size_t *map;			/* pollfd index -> conn index */
	size_t n_map;
	struct http http;
	struct tls_config tls;
	struct store *store;
	struct js *js;
	struct jbuf line;		/* fleet mode: the line being published */
	uint32_t gens;
	struct metrics *metrics;
	const struct image_expect *expect;
	struct collector_stats stats;
};

/* Listens (logging where) and allocates the connection table. 0, or -1
 * with a reason. */
int server_init(struct server *s, const struct server_config *cfg, char *why, size_t whylen);

/* How many pollfds server_pollfds() may fill. */
size_t server_pollfds_max(const struct server *s);

/* Fills p[] for poll(); *timeout_ms: -1 or lowered to the next deadline
 * (0 when a connection has buffered work). */
size_t server_pollfds(struct server *s, struct pollfd *p, int *timeout_ms);

/* Acts on what poll() said about the pollfds server_pollfds() filled. */
void server_handle(struct server *s, const struct pollfd *p, size_t n);

/* Stops accepting, says goodbye to every agent (close_notify), closes. */
void server_stop(struct server *s);

#endif
