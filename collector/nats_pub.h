#ifndef STELE_COLLECTOR_NATS_PUB_H
#define STELE_COLLECTOR_NATS_PUB_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "log.h"
#include "nats_wire.h"

/* A JetStream publisher for the collector's poll loop: one plain TCP
 * connection to one server of a list, non-blocking, single-threaded, two
 * buffers allocated at open and nothing after. Each publish is an HPUB
 * whose reply subject is _INBOX.<random>.<token>; JetStream's answer on
 * it comes back as (token, outcome) through a callback.
 *
 * The loop, each round:
 *	nats_pub_pollfd(p, &pfd, now, &timeout);	(pfd.fd is -1 while waiting to reconnect)
 *	poll(...);
 *	nats_pub_handle(p, pfd.revents, clock_ms());	(every round, 0 if nothing happened)
 *	nats_pub_send(...) as often as wanted; -1: wait for a round.
 *
 * On a lost connection (the server closed it or broke the protocol, a
 * socket error, no PONG to NATS_PUB_PINGS_MAX PINGs) the caller is told
 * once: every publish not answered by then must be taken as lost (sent
 * again later, with the same Nats-Msg-Id so that JetStream drops what it
 * already has). The publisher then tries the next server of the list,
 * then the next, pausing NATS_PUB_BACKOFF_MS before each try, doubling
 * to NATS_PUB_BACKOFF_MAX_MS, and tells the caller when it is up again.
 * Names are resolved once, at open: the loop never waits on DNS. */

#define NATS_PUB_SERVERS_MAX 16
#define NATS_PUB_URL_MAX 128
#define NATS_PUB_OUT_MAX (4u << 20)	/* HPUBs not yet written to the socket */
#define NATS_PUB_RESERVE 1024		/* of it, kept for CONNECT, SUB, PING, PONG */
#define NATS_PUB_CONNECT_MS 2000	/* connect, INFO and PONG, per server tried */
#define NATS_PUB_BACKOFF_MS 250
#define NATS_PUB_BACKOFF_MAX_MS 2000
#define NATS_PUB_PING_MS 5000
#define NATS_PUB_PINGS_MAX 2		/* unanswered: the connection is dead */

enum nats_pub_state {
	NATS_PUB_IDLE,			/* no connection; the next try at deadline */
	NATS_PUB_CONNECTING,		/* connect() in progress */
	NATS_PUB_WAIT_INFO,
	NATS_PUB_WAIT_PONG,		/* CONNECT, SUB, PING sent */
	NATS_PUB_UP,
};

struct nats_pub_ack {
	uint64_t token;
	enum nats_ack outcome;		/* nats_wire.h: STORED, DUPLICATE, or a failure */
	uint64_t seq;			/* STORED, DUPLICATE */
	const char *why;		/* the failure, one printable line; "" otherwise */
};

/* Called from nats_pub_handle for every answer on the inbox. An answer
 * may come for a publish made before a loss (the inbox outlives the
 * connection): it is as true as any other. */
typedef void nats_pub_ack_fn(void *arg, const struct nats_pub_ack *a);

/* Called from nats_pub_handle: up 0 when the connection is lost (why
 * says how), up 1 when a connection is up again after one was lost. */
typedef void nats_pub_conn_fn(void *arg, int up, const char *why);

struct nats_server {
	struct sockaddr_storage sa;
	socklen_t len;
	char url[NATS_PUB_URL_MAX];
};

struct nats_pub_stats {
	uint64_t sent, answers, bytes_out, losses, reconnects;
};

struct nats_pub {
	int fd;
	enum nats_pub_state state;
	struct nats_server server[NATS_PUB_SERVERS_MAX];
	size_t n_servers, cur;
	unsigned tries;			/* failed since the last time up */
	uint64_t deadline;		/* IDLE: next try; connecting: give up; UP: next PING */
	uint64_t lost_at;
	unsigned pings_out;
	int opening;			/* inside nats_pub_open: no callbacks */
	char inbox[32];			/* "_INBOX.<16 hex digits>." */
	size_t inbox_len;
	char name[64];
	uint64_t max_payload;		/* the server's, at most NATS_PAYLOAD_MAX */
	struct nats_info info;		/* of the server now connected */
	char *out, *in;			/* NATS_PUB_OUT_MAX, NATS_EVENT_MAX bytes */
	size_t out_off, out_len, in_len;
	struct nats_rd rd;
	nats_pub_ack_fn *ack;
	nats_pub_conn_fn *conn;
	void *arg;
	struct nats_pub_stats stats;
	struct log_limit limit;
	char why[NATS_WHY_MAX + NATS_PUB_URL_MAX];	/* why the last try failed */
};

/* Connects to the first server of urls ("nats://HOST:PORT[,...]", at
 * most NATS_PUB_SERVERS_MAX) that answers within NATS_PUB_CONNECT_MS,
 * blocking: INFO read, CONNECT (named name), SUB to the inbox and PING
 * sent, PONG come. 0; or -1 with one line in why (each server tried and
 * what it did), p then holding nothing to close. */
int nats_pub_open(struct nats_pub *p, const char *urls, const char *name, nats_pub_ack_fn *ack,
		  nats_pub_conn_fn *conn, void *arg, char *why, size_t whylen);

/* Closes the connection and frees the buffers; no callback. */
void nats_pub_close(struct nats_pub *p);

/* What to poll for (fd -1: nothing, while waiting to reconnect), and
 * *timeout_ms lowered (if it is -1 or later) to the next deadline. */
void nats_pub_pollfd(const struct nats_pub *p, struct pollfd *pfd, uint64_t now_ms,
		     int *timeout_ms);

/* Reads and answers what the server sent (callbacks from here), writes
 * what is buffered, keeps the deadlines (PINGs, tries). Call it every
 * round of the loop, revents 0 when poll said nothing of this fd. */
void nats_pub_handle(struct nats_pub *p, short revents, uint64_t now_ms);

/* Appends an HPUB of data with headers h[0..nh) to subject, its reply
 * subject carrying token. It only buffers: the bytes go out in
 * nats_pub_handle. 0; -1 not now (not connected, or the buffer is
 * full: try after a round); -2 never (subject or a header not valid,
 * or larger than the server's max_payload). Callbacks may call it. */
int nats_pub_send(struct nats_pub *p, const char *subject, const struct nats_header *h, size_t nh,
		  const void *data, size_t len, uint64_t token);

static inline int nats_pub_up(const struct nats_pub *p)
{
	return p->state == NATS_PUB_UP;
}

/* Between nats_pub.c and nats_conn.c, not for callers. */
int nats_conn_servers(struct nats_pub *p, const char *urls, char *why, size_t whylen);
void nats_conn_start(struct nats_pub *p, uint64_t now);
void nats_conn_connected(struct nats_pub *p, uint64_t now);
void nats_conn_info(struct nats_pub *p, const struct nats_event *ev, uint64_t now);
void nats_conn_pong(struct nats_pub *p, uint64_t now);
void nats_conn_lost(struct nats_pub *p, uint64_t now, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
