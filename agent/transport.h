#ifndef STELE_AGENT_TRANSPORT_H
#define STELE_AGENT_TRANSPORT_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include <bearssl.h>

#include "conf.h"
#include "pki.h"

/* The agent's connection to a collector: TCP, then TLS 1.2 (BearSSL client,
 * ECDHE + AES-GCM or ChaCha20-Poly1305), mutual authentication. It runs
 * inside the agent's poll loop and never blocks. On any failure (refused,
 * unreachable, bad certificate, TLS alert, closed) it logs one line,
 * closes, and tries the next collector after an exponential backoff with
 * jitter; collectors are tried in list order, wrapping, from the one
 * transport_start_at() names.
 *
 * The agent feeds it through the callbacks: whenever the engine can take
 * application data, the transport asks next_item() for the next CBOR item
 * and copies it in (items stay valid until acked(); an item may be larger
 * than the engine's buffer), calling sent() once all of an item is in.
 * Incoming data is a CBOR sequence of {"ack": N} maps; each calls acked(N).
 * connected() is called once per connection, after the handshake: the agent
 * then starts again from its hello and its oldest unacknowledged record.
 * The callbacks MUST NOT call transport functions (they run inside them);
 * the collector string passed to connected() lives only for that call. */

struct transport_ops {
	void *ctx;
	void (*connected)(void *ctx, const char *collector);
	void (*disconnected)(void *ctx);
	size_t (*next_item)(void *ctx, const unsigned char **item);	/* 0: none now */
	void (*sent)(void *ctx);
	void (*acked)(void *ctx, uint64_t seq);
};

struct transport {
	/* Everything the connection needs, fixed size; see transport.c. */
	const struct agent_conf *conf;
	struct transport_ops ops;
	struct pki_anchors ca;
	struct pki_chain chain;
	struct pki_key key;
	br_ssl_client_context sc;
	br_x509_minimal_context xc;
	unsigned char iobuf[BR_SSL_BUFSIZE_BIDI];
	int fd;
	int state;
	size_t current;			/* index into conf->collector */
	size_t first;			/* where this boot starts */
	unsigned failures;		/* in a row: the backoff step */
	uint64_t retry_at_ms;		/* when disconnected */
	uint64_t deadline_ms;		/* connect/handshake timeout */
	const unsigned char *item;	/* item being copied in, and how far */
	size_t item_len, item_off;
	unsigned char in[64];		/* partial incoming ack item */
	size_t in_len;
	uint64_t reconnects, bytes_sent;
	uint64_t time_floor_s;		/* certificate validity clock floor */
};

/* Loads the CA, certificate and key named in conf. Returns 0, or -1 with a
 * reason (also when conf has no collector). t and conf MUST NOT move or
 * change afterwards: the TLS engine points into t, and t into conf. time_floor_s: the image's build time; the clock used to check
 * certificate validity is max(now, floor), so a guest whose clock is unset
 * still accepts a valid certificate. */
int transport_init(struct transport *t, const struct agent_conf *conf,
		   const struct transport_ops *ops, uint64_t time_floor_s, char *why, size_t whylen);

/* The collector tried first, and first again after a connection that had
 * come up ends (default 0): agent_conf_first_collector()'s pick. first
 * MUST be below conf->n_collectors; call it before the first step. */
void transport_start_at(struct transport *t, size_t first);

/* Fills pfd (fd and events) for the poll loop and lowers *next_ms to the
 * transport's next deadline. Returns 1 if pfd is to be polled, 0 if there
 * is no socket now (waiting to reconnect). */
int transport_poll(struct transport *t, struct pollfd *pfd, uint64_t now, uint64_t *next_ms);

/* Does whatever can be done now: connect, handshake, send, receive acks,
 * time out, reconnect. revents: what poll said for the fd (0 on timeout). */
void transport_step(struct transport *t, short revents, uint64_t now);

/* Closes the connection (close_notify when the handshake was done). */
void transport_close(struct transport *t);

int transport_connected(const struct transport *t);

#endif
