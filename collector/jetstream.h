#ifndef STELE_COLLECTOR_JETSTREAM_H
#define STELE_COLLECTOR_JETSTREAM_H

#include <nats/nats.h>
#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "js_slots.h"
#include "nats_pub.h"

/* The fleet store (DESIGN §7): every record is published to stream
 * STELE of a NATS JetStream cluster as its JSON line, on subject
 * stele.KIND.HOST, with Nats-Msg-Id BOOT_ID:SEQ so that JetStream drops
 * a record sent twice (a reconnect, another collector). Nothing is kept
 * here that another collector would need.
 *
 * At open, libnats makes or checks the stream (js_stream.c); records
 * then go through nats_pub.h, the loop's own publisher, and its answers
 * come back in js_handle(). A record counts as stored only on its
 * PubAck. An error, a 503 (no leader: an election), no answer within
 * JS_PUBACK_WAIT_MS or a lost connection is tried again after a pause;
 * after JS_TRIES_MAX tries the record is given up: the caller ends the
 * connection so that the agent, which still holds it, sends it again,
 * here or to another collector. */

#define JS_STREAM "STELE"
#define JS_PUBACK_WAIT_MS 2000		/* a PubAck later than this is a failure */
#define JS_TRIES_MAX 7			/* pauses 0.25, 0.5, 1, 2, 4, 4 s: past an election */
#define JS_BYTES_MAX (64u << 20)	/* of lines kept for their PubAck */
#define JS_SCAN_MS 100			/* how often deadlines are looked at */
#define JS_URLS_MAX 16
#define JS_WHY_MAX 160

struct js_config {
	const char *urls;		/* nats://HOST:PORT[,nats://HOST:PORT...] */
	unsigned replicas;
	uint64_t max_age_s, dup_window_s;
	int64_t max_bytes;
};

struct js_stats {
	uint64_t published, stored, duplicates, failures, retries, given_up;
};

/* What the loop is told of a slot's record. JS_DUPLICATE: stored before
 * (its Nats-Msg-Id was in the window). */
enum js_outcome { JS_STORED, JS_DUPLICATE, JS_FAILED_TRY_AGAIN, JS_FAILED_GIVE_UP };

/* Called from js_handle() for each answer or failure of a slot; for
 * JS_FAILED_TRY_AGAIN it returns 1 if the record is still wanted (its
 * connection lives), 0 to drop it. */
typedef int js_done_fn(void *arg, const struct js_slot *s, enum js_outcome o, const char *why);

struct js {
	struct nats_pub pub;
	struct js_slots slots;
	struct js_stats stats;
	js_done_fn *done;
	void *arg;
	uint64_t next_scan;
	uint64_t now;			/* the round's time (js_handle's) */
	int told;			/* done() was called this round */
};

/* 0 if urls is a list of nats://HOST:PORT (HOST a name or IPv4 address,
 * PORT 1-65535), else -1 with the first bad one named in why. */
int js_urls_ok(const char *urls, char *why, size_t whylen);

/* A libnats connection to any server of urls (checked with js_urls_ok),
 * named name to the servers, reconnecting forever once made (the
 * sinks', and the collector's for the stream at open). 0, or -1. */
int js_connect(const char *urls, const char *name, natsConnection **nc, char *why, size_t whylen);

/* Closes and frees nc, quietly. */
void js_disconnect(natsConnection *nc);

/* Makes stream STELE if it is missing, or checks that the one there is
 * one stele can use, then connects the publisher. 0, or -1 with one line
 * in why. */
int js_open(struct js *j, const struct js_config *c, js_done_fn *done, void *arg, char *why,
	    size_t whylen);
void js_close(struct js *j);

/* 1 if kind can be a subject token: 1 to 16 of a-z. */
int js_kind_ok(const char *kind, size_t len);

/* 1 if one more record may be published: a slot free, and the lines kept
 * under JS_BYTES_MAX. */
int js_room(const struct js *j);

struct js_record {
	const char *kind, *host, *boot_id;
	uint64_t seq;
	const char *line;		/* the JSON line, without its newline */
	size_t len;
};

/* Publishes r for connection (conn, gen) at position pos of its window.
 * 0; -1 if there is no room (js_room); -2 if it cannot be published at
 * all (why says so). */
int js_publish(struct js *j, const struct js_record *r, uint32_t conn, uint32_t gen, uint64_t pos,
	       char *why, size_t whylen);

/* The loop's part: what to poll (fd -1: nothing now), the deadline, and
 * every round, whatever poll said, the answers, time-outs and retries
 * (done() is called from here). */
void js_pollfd(const struct js *j, struct pollfd *pfd, uint64_t now_ms, int *timeout_ms);
void js_handle(struct js *j, short revents, uint64_t now_ms);

#endif
