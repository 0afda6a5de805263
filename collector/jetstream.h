#ifndef STELE_COLLECTOR_JETSTREAM_H
#define STELE_COLLECTOR_JETSTREAM_H

#include <nats/nats.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "js_slots.h"

/* The fleet store (DESIGN §7): every record is published to stream
 * STELE of a NATS JetStream cluster as its JSON line, on subject
 * stele.KIND.HOST, with Nats-Msg-Id BOOT_ID:SEQ so that JetStream drops
 * a record sent twice (a reconnect, another collector). Nothing is kept
 * here that another collector would need.
 *
 * Publishes are asynchronous (the library's PublishAsync): its thread
 * hands each result back through a queue and an eventfd, and the loop
 * takes them in js_dispatch(). A record counts as stored only on its
 * PubAck; an error or a time-out is tried again after a pause, and after
 * JS_TRIES_MAX tries given up: the caller ends the connection so that
 * the agent, which still holds the record, sends it again, here or to
 * another collector. */

#define JS_STREAM "STELE"
#define JS_PUBACK_WAIT_MS 2000		/* a PubAck later than this is a failure */
#define JS_TRIES_MAX 5			/* with pauses 0.25, 0.5, 1, 2 s: about 14 s in all */
#define JS_URLS_MAX 16
#define JS_WHY_MAX 160

struct js_config {
	const char *urls;		/* nats://HOST:PORT[,nats://HOST:PORT...] */
	unsigned replicas;
	uint64_t max_age_s, dup_window_s;
	int64_t max_bytes;
};

struct js_result {
	const void *msg;
	int ok, duplicate;
	char why[JS_WHY_MAX];
};

struct js_stats {
	uint64_t published, stored, duplicates, failures, retries, given_up;
};

struct js {
	natsConnection *nc;
	jsCtx *ctx;
	jsPubOptions po;
	int efd;			/* readable: results are queued */
	pthread_mutex_t mu;		/* guards q_* (the library's thread fills it) */
	size_t q_head, q_len;
	struct js_result q[JS_SLOTS_MAX];
	struct js_slots slots;
	struct js_stats stats;
};

/* What the loop is told of a slot's record. */
/* JS_DUPLICATE: stored before (its Nats-Msg-Id was in the window). */
enum js_outcome { JS_STORED, JS_DUPLICATE, JS_FAILED_TRY_AGAIN, JS_FAILED_GIVE_UP };

/* Called from js_dispatch() for each result of a slot; for
 * JS_FAILED_TRY_AGAIN it returns 1 if the record is still wanted (its
 * connection lives), 0 to drop it. */
typedef int js_done_fn(void *arg, const struct js_slot *s, enum js_outcome o, const char *why);

/* 0 if urls is a list of nats://HOST:PORT (HOST a name or IPv4 address,
 * PORT 1-65535), else -1 with the first bad one named in why. */
int js_urls_ok(const char *urls, char *why, size_t whylen);

/* A connection to any server of urls (checked with js_urls_ok), named
 * name to the servers; reconnecting forever once made. 0, or -1. */
int js_connect(const char *urls, const char *name, natsConnection **nc, char *why, size_t whylen);

/* Closes and frees nc, quietly. */
void js_disconnect(natsConnection *nc);

/* Connects (any server of the list; afterwards the library reconnects
 * forever), and creates stream STELE if it is missing, or checks that
 * the one there is one stele can use. 0, or -1 with one line in why. */
int js_open(struct js *j, const struct js_config *c, char *why, size_t whylen);
void js_close(struct js *j);

/* 1 if kind can be a subject token: 1 to 16 of a-z. */
int js_kind_ok(const char *kind, size_t len);

struct js_record {
	const char *kind, *host, *boot_id;
	uint64_t seq;
	const char *line;		/* the JSON line, without its newline */
	size_t len;
};

/* Publishes r for connection (conn, gen) at position pos of its window.
 * 0; -1 if every slot is taken (try when results have come); -2 if the
 * message could not be made (why says so). */
int js_publish(struct js *j, const struct js_record *r, uint32_t conn, uint32_t gen, uint64_t pos,
	       char *why, size_t whylen);

/* Takes the queued results and the retries that are due. */
void js_dispatch(struct js *j, uint64_t now_ms, js_done_fn *done, void *arg);

/* 1 if a retry is due. */
int js_retry_due(const struct js *j, uint64_t now_ms);

/* Lowers *timeout_ms to the next retry. */
void js_timeout(const struct js *j, uint64_t now_ms, int *timeout_ms);

#endif
