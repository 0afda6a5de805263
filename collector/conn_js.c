/* A connection's records in fleet mode: each becomes its JSON line,
 * published to JetStream; the agent's ack moves as PubAcks come back
 * (pubwin.h), and a record JetStream would not take ends the connection
 * so that the agent sends it again, here or to another collector. */
#include <stdio.h>
#include <string.h>

#include "conn.h"
#include "log.h"

void conn_js_hello(struct conn *c, const char *boot_id)
{
	snprintf(c->boot_id, sizeof c->boot_id, "%s", boot_id);
	c->prefix_len = (size_t)snprintf(c->prefix, sizeof c->prefix,
					 "{\"host\":\"%s\",\"boot_id\":\"%s\",\"seq\":", c->host, boot_id);
}

int conn_js_room(const struct server *s, const struct conn *c)
{
	return !pubwin_full(&c->win) && js_room(s->js);
}

static int line(struct server *s, struct conn *c, const unsigned char *item, size_t len,
		const struct record *r, const char *invalid)
{
	const char *why;

	s->line.len = 0;
	s->line.full = 0;
	if (invalid)
		return record_invalid_json(item, len, r->seq, invalid, c->prefix, c->prefix_len,
					   &s->line) < 0 ? -2 : 0;
	return record_json(item, len, r, c->prefix, c->prefix_len, &s->line, &why) == 0 ? 0 : -2;
}

int conn_js_record(struct server *s, struct conn *c, const unsigned char *item, size_t len,
		   const struct record *r, const char *invalid)
{
	char why[JS_WHY_MAX], what[JS_WHY_MAX + 64];
	struct js_record jr;
	uint64_t pos;

	if (line(s, c, item, len, r, invalid) < 0)
		return -2;
	jr = (struct js_record){
		.kind = invalid ? "invalid" : NULL, .host = c->host, .boot_id = c->boot_id,
		.seq = r->seq, .line = s->line.p, .len = s->line.len - 1 /* its newline */,
	};
	char kind[JS_KIND_MAX + 1];
	if (!invalid) {
		memcpy(kind, r->kind.p, r->kind.u);
		kind[r->kind.u] = '\0';
		jr.kind = kind;
	}
	pos = pubwin_push(&c->win, r->seq);
	if (js_publish(s->js, &jr, c - s->conns, c->gen, pos, why, sizeof why) < 0) {
		snprintf(what, sizeof what, "%s; not acked, disconnected", why);
		conn_end(s, c, what);
		return -1;
	}
	c->last_seq = r->seq;
	return 0;
}

/* Whether the slot's record is still its connection's. */
static struct conn *owner(struct server *s, const struct js_slot *sl)
{
	struct conn *c;

	if (sl->conn >= s->max)
		return NULL;
	c = &s->conns[sl->conn];
	return c->fd >= 0 && c->gen == sl->gen && c->state == CONN_RECORDS ? c : NULL;
}

int conn_js_done(void *arg, const struct js_slot *sl, enum js_outcome o, const char *why)
{
	struct server *s = arg;
	struct conn *c = owner(s, sl);
	char what[JS_WHY_MAX + 160];

	if (!c)
		return 0;
	switch (o) {
	case JS_DUPLICATE:
		c->duplicates++;
		s->stats.duplicates++;
		/* fall through */
	case JS_STORED:
		if (c->js_failing)
			log_msg("%s: JetStream: storing again", c->label);
		c->js_failing = 0;
		pubwin_done(&c->win, sl->pos);
		if (pubwin_advance(&c->win))
			c->ack_due = 1;
		return 1;
	case JS_FAILED_TRY_AGAIN:
		if (!c->js_failing)
			log_msg("%s: JetStream: seq %llu: %s; trying again (said once until a record "
				"is stored)", c->label, (unsigned long long)sl->seq, why);
		c->js_failing = 1;
		return 1;
	case JS_FAILED_GIVE_UP:
		snprintf(what, sizeof what, "JetStream: seq %llu not stored after %d tries (%s); "
			 "closed so that the agent sends it again", (unsigned long long)sl->seq,
			 JS_TRIES_MAX, why);
		conn_end(s, c, what);
		return 0;
	}
	return 0;
}
