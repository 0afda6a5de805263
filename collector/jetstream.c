#include "jetstream.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "log.h"

int js_stream_ensure(natsConnection *nc, const struct js_config *c, char *why, size_t whylen);

static void on_ack(void *arg, const struct nats_pub_ack *a);
static void on_conn(void *arg, int up, const char *why);

int js_open(struct js *j, const struct js_config *c, js_done_fn *done, void *arg, char *why,
	    size_t whylen)
{
	natsConnection *nc = NULL;
	int rc;

	memset(j, 0, sizeof *j);
	js_slots_init(&j->slots);
	j->done = done;
	j->arg = arg;
	if (js_connect(c->urls, "stele-collector-admin", &nc, why, whylen) < 0)
		return -1;
	rc = js_stream_ensure(nc, c, why, whylen);
	js_disconnect(nc);
	if (rc < 0)
		return -1;
	if (nats_pub_open(&j->pub, c->urls, "stele-collector", on_ack, on_conn, j, why, whylen) < 0)
		return -1;
	log_msg("JetStream: publishing to stream %s", JS_STREAM);
	return 0;
}

void js_close(struct js *j)
{
	nats_pub_close(&j->pub);
	for (uint32_t i = 0; i < JS_SLOTS_MAX; i++)
		if (j->slots.slot[i].state != JS_SLOT_FREE)
			js_slots_free(&j->slots, i);
}

int js_kind_ok(const char *kind, size_t len)
{
	if (len == 0 || len > JS_KIND_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (kind[i] < 'a' || kind[i] > 'z')
			return 0;
	return 1;
}

int js_room(const struct js *j)
{
	return j->slots.n_free > 0 && j->slots.bytes < JS_BYTES_MAX;
}

/* Decimal digits of u at the end of buf[24]; returns where they start. */
static char *decimal(char *end, uint64_t u)
{
	*--end = '\0';
	do
		*--end = (char)('0' + u % 10);
	while (u /= 10);
	return end;
}

/* stele.KIND.HOST: a host may hold dots, which NATS reads as token
 * separators, so they become '_' (the Stele-Host header keeps the host).
 * Built by hand, as is the rest of the message's text: this runs per
 * record. */
static void subject(char *out, const char *kind, const char *host)
{
	size_t k = strlen(kind), n = 6;

	memcpy(out, "stele.", 6);
	memcpy(out + n, kind, k);
	n += k;
	out[n++] = '.';
	for (size_t i = 0; host[i]; i++)
		out[n++] = host[i] == '.' ? '_' : host[i];
	out[n] = '\0';
}

/* 0 sent (buffered); -1 not now; -2 never. */
static int send_slot(struct js *j, uint32_t i)
{
	const struct js_slot *s = &j->slots.slot[i];
	char subj[8 + JS_KIND_MAX + STORE_NAME_MAX + 1], id[STORE_NAME_MAX + 24], digits[24];
	const char *seq = decimal(digits + sizeof digits, s->seq);
	size_t bl = strlen(s->boot_id);
	struct nats_header h[4] = {
		{ "Nats-Msg-Id", id }, { "Stele-Host", s->host }, { "Stele-Boot", s->boot_id },
		{ "Stele-Seq", seq },
	};

	subject(subj, s->kind, s->host);
	memcpy(id, s->boot_id, bl);
	id[bl] = ':';
	memcpy(id + bl + 1, seq, (size_t)(digits + sizeof digits - seq));
	return nats_pub_send(&j->pub, subj, h, 4, s->line, s->len, js_slots_token(&j->slots, i));
}

int js_publish(struct js *j, const struct js_record *r, uint32_t conn, uint32_t gen, uint64_t pos,
	       char *why, size_t whylen)
{
	struct js_slot *s;
	uint32_t i;
	int rc;

	if (!js_room(j))
		return -1;
	i = js_slots_take(&j->slots, r->line, r->len, r->host, r->boot_id);
	if (i == JS_SLOT_NONE) {
		snprintf(why, whylen, "JetStream: out of memory for a record of %zu bytes", r->len);
		return -2;
	}
	s = &j->slots.slot[i];
	s->conn = conn;
	s->gen = gen;
	s->pos = pos;
	s->seq = r->seq;
	s->tries = 1;
	snprintf(s->kind, sizeof s->kind, "%s", r->kind);
	rc = send_slot(j, i);
	if (rc == -2) {
		js_slots_free(&j->slots, i);
		snprintf(why, whylen, "JetStream: seq %" PRIu64 ": subject or headers not valid, or "
			 "larger than the server takes", r->seq);
		return -2;
	}
	j->stats.published++;
	/* Not now (no connection, or its buffer full): soon, as a retry. */
	js_slots_set_state(&j->slots, i, rc == 0 ? JS_SLOT_SENT : JS_SLOT_RETRY,
			   rc == 0 ? j->now + JS_PUBACK_WAIT_MS : 0);
	return 0;
}

static uint64_t pause_ms(unsigned tries)
{
	return 250ull << (tries > 5 ? 4 : tries - 1);
}

/* Slot i failed (why): again after a pause, or given up. */
static void failed(struct js *j, uint32_t i, uint64_t now, const char *why)
{
	struct js_slot *s = &j->slots.slot[i];

	j->stats.failures++;
	j->told = 1;
	if (s->tries < JS_TRIES_MAX && j->done(j->arg, s, JS_FAILED_TRY_AGAIN, why)) {
		js_slots_set_state(&j->slots, i, JS_SLOT_RETRY, now + pause_ms(s->tries));
		return;
	}
	if (s->tries >= JS_TRIES_MAX) {
		j->stats.given_up++;
		j->done(j->arg, s, JS_FAILED_GIVE_UP, why);
	}
	js_slots_free(&j->slots, i);
}

static void on_ack(void *arg, const struct nats_pub_ack *a)
{
	struct js *j = arg;
	uint32_t i = js_slots_find(&j->slots, a->token);
	uint64_t now = j->now;

	if (i == JS_SLOT_NONE)
		return;	/* a late answer for a slot given up or used again */
	if (a->outcome == NATS_ACK_STORED || a->outcome == NATS_ACK_DUPLICATE) {
		j->stats.stored++;
		j->stats.duplicates += a->outcome == NATS_ACK_DUPLICATE;
		j->told = 1;
		j->done(j->arg, &j->slots.slot[i],
			a->outcome == NATS_ACK_DUPLICATE ? JS_DUPLICATE : JS_STORED, NULL);
		js_slots_free(&j->slots, i);
		return;
	}
	if (j->slots.slot[i].state == JS_SLOT_SENT)
		failed(j, i, now, a->outcome == NATS_ACK_NO_RESPONDERS ?
		       "no responders (503: the stream has no leader now)" : a->why);
}

/* Lost: nothing sent has an answer coming but by chance; each is tried
 * again (a late answer still counts, by its token). */
static void on_conn(void *arg, int up, const char *why)
{
	struct js *j = arg;
	char what[JS_WHY_MAX];

	if (up)
		return;
	snprintf(what, sizeof what, "connection to NATS lost: %s", why);
	for (uint32_t i = 0; i < JS_SLOTS_MAX; i++)
		if (j->slots.slot[i].state == JS_SLOT_SENT)
			failed(j, i, j->pub.lost_at, what);
}

/* Answers overdue fail; retries due are sent. */
static void scan(struct js *j, uint64_t now)
{
	for (uint32_t i = 0; i < JS_SLOTS_MAX; i++) {
		struct js_slot *s = &j->slots.slot[i];
		int rc;

		if (s->state == JS_SLOT_SENT && s->at <= now) {
			failed(j, i, now, "no PubAck within 2 s");
		} else if (s->state == JS_SLOT_RETRY && s->at <= now) {
			rc = send_slot(j, i);
			if (rc == 0) {
				s->tries++;
				j->stats.retries++;
				js_slots_set_state(&j->slots, i, JS_SLOT_SENT, now + JS_PUBACK_WAIT_MS);
			} else if (!nats_pub_up(&j->pub)) {
				s->tries++;
				failed(j, i, now, "no connection to NATS");
			} else {
				js_slots_set_state(&j->slots, i, JS_SLOT_RETRY, now + 10);
			}
		}
	}
}

void js_pollfd(const struct js *j, struct pollfd *pfd, uint64_t now_ms, int *timeout_ms)
{
	nats_pub_pollfd(&j->pub, pfd, now_ms, timeout_ms);
	if (js_slots_used(&j->slots)) {
		uint64_t left = j->next_scan > now_ms ? j->next_scan - now_ms : 0;

		if (*timeout_ms < 0 || left < (uint64_t)*timeout_ms)
			*timeout_ms = (int)left;
	}
}

void js_handle(struct js *j, short revents, uint64_t now_ms)
{
	j->now = now_ms;
	nats_pub_handle(&j->pub, revents, now_ms);
	if (now_ms >= j->next_scan) {
		j->next_scan = now_ms + JS_SCAN_MS;
		if (js_slots_used(&j->slots))
			scan(j, now_ms);
	}
}
