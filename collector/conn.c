#include "conn.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"

static void conn_free(struct server *s, struct conn *c)
{
	if (c->st) {
		store_stream_put(s->store, c->st);
		c->st = NULL;
	}
	close(c->fd);
	c->fd = -1;
	c->state = CONN_FREE;
	s->slots[c - s->conns].used = 0;
	s->stats.connections--;
}

/* Ends a connection with one log line: what happened, and for an agent
 * that said hello, how much it sent. Lines about connections that never
 * said hello are rate-limited: anyone can cause them. */
void conn_end(struct server *s, struct conn *c, const char *what)
{
	if (c->state == CONN_RECORDS)
		log_msg("%s: %s; %llu records, %llu duplicates", c->label, what,
			(unsigned long long)c->records, (unsigned long long)c->duplicates);
	else
		log_limited(&s->refusals, clock_ms(), "%s: %s", c->label, what);
	conn_free(s, c);
}

static int disk_full(int err)
{
	return err == ENOSPC || err == EDQUOT;
}

/* The batch so far becomes stored. On failure the connection ends: its
 * records were not stored, so they must not be acked, and the agent
 * keeps them and sends them again when it reconnects. A full disk is said
 * once per stream, and once more when a commit works again. */
static int conn_commit(struct server *s, struct conn *c)
{
	char why[256], what[512];
	struct stream *st;

	if (!s->store)
		return 0;	/* fleet mode: stored is what has its PubAck */
	st = s->store->batch;
	if (store_commit(s->store, why, sizeof why) < 0) {
		if (st && disk_full(s->store->error)) {
			if (!st->disk_full)
				log_msg("%s: %s; not acknowledging until there is space again, the "
					"agent keeps its records", c->label, why);
			st->disk_full = 1;
			s->stats.disk_full++;
			conn_free(s, c);
			return -1;
		}
		snprintf(what, sizeof what, "%s; not acked, disconnected", why);
		conn_end(s, c, what);
		return -1;
	}
	if (st && st->disk_full) {
		log_msg("%s: space again: storing and acknowledging", c->label);
		st->disk_full = 0;
	}
	s->stats.bytes_written = s->store->bytes;
	return 0;
}

/* The host a connection's records are filed under: the certificate's,
 * which the hello must repeat, or with trust_hello_host the hello's.
 * -1: refused, with the reason in what. */
static int conn_host(struct server *s, struct conn *c, const struct hello *h, char *what,
		     size_t whatlen)
{
	const char *cert = tls_conn_peer_name(&c->tls);

	if (s->trust_hello_host) {
		log_msg("%s: warning: --trust-hello-host: filing as host %s, as the hello says "
			"(certificate: %s)", c->peer, h->host, cert ? cert : "no name");
		snprintf(c->host, sizeof c->host, "%s", h->host);
		return 0;
	}
	if (!cert || !store_name_ok(cert, strlen(cert))) {
		snprintf(what, whatlen, "refused: the client certificate names no usable host "
			 "(DNS SAN or CN: %.64s)", cert ? cert : "none");
		return -1;
	}
	if (strcmp(cert, h->host) != 0) {
		snprintf(what, whatlen, "refused: hello says host %s, certificate says host %s",
			 h->host, cert);
		return -1;
	}
	snprintf(c->host, sizeof c->host, "%s", cert);
	return 0;
}

static const char *or_dash(const char *s)
{
	return *s ? s : "-";
}

/* What the hello says of the image, for the metrics, with the --expect
 * verdict; an image not on the list is said once, at the hello, and so
 * are the PCRs a machine with a TPM reports (pcr15 is in no metric: it
 * follows from the root hash, when stage 1 measured it). An
 * agent without a root hash sends "-": for the metrics, not said. */
static void conn_image(struct server *s, struct conn *c, const struct hello *h)
{
	struct metrics_image *img = &c->image;

	strcpy(img->version, h->version);
	strcpy(img->roothash, strcmp(h->roothash, "-") == 0 ? "" : h->roothash);
	strcpy(img->pcr11, h->pcr11);
	img->expected = s->expect ? image_expect_match(s->expect, img->version, img->roothash,
						       img->pcr11) : -1;
	if (*h->pcr11 || *h->pcr15)
		log_msg("%s: TPM PCRs (sha256): pcr11 %s pcr15 %s", c->label, or_dash(h->pcr11),
			or_dash(h->pcr15));
	if (img->expected == 0)
		log_msg("%s: image not on the --expect list: host %s version %s roothash %s pcr11 %s",
			c->label, c->host, or_dash(img->version), or_dash(img->roothash),
			or_dash(img->pcr11));
	metrics_image_set(s->metrics, c->host, img, clock_ms());
}

/* A record's samples, and the image with them: the host's table may be
 * new since the hello (it expired, and the host speaks again). */
static void conn_metrics(struct server *s, struct conn *c, const struct record *r)
{
	uint64_t now = clock_ms();

	metrics_update(s->metrics, c->host, r->samples, r->samples_len, now);
	metrics_image_set(s->metrics, c->host, &c->image, now);
}

static int conn_hello(struct server *s, struct conn *c, const unsigned char *item, size_t len)
{
	struct hello h;
	const char *why;
	char reason[256], what[512];

	if (hello_parse(item, len, &h, &why) < 0) {
		s->stats.decode_errors++;
		conn_end(s, c, why);
		return -1;
	}
	if (conn_host(s, c, &h, what, sizeof what) < 0) {
		s->stats.refused_hellos++;
		conn_end(s, c, what);
		return -1;
	}
	if (s->js) {
		conn_js_hello(c, h.boot_id);
	} else if (!(c->st = store_stream_get(s->store, c->host, h.boot_id, reason, sizeof reason))) {
		snprintf(what, sizeof what, "host %s boot %s: %s", c->host, h.boot_id, reason);
		conn_end(s, c, what);
		return -1;
	}
	snprintf(c->label, sizeof c->label, "%s (%s)", c->peer, c->host);
	if (c->st)
		log_msg("%s: hello from host %s boot %s agent %s roothash %.16s%s, stored up to seq %llu",
			c->label, c->host, h.boot_id, h.agent, h.roothash,
			strlen(h.roothash) > 16 ? "..." : "", (unsigned long long)c->st->last);
	else
		log_msg("%s: hello from host %s boot %s agent %s roothash %.16s%s; publishing to "
			"JetStream", c->label, c->host, h.boot_id, h.agent, h.roothash,
			strlen(h.roothash) > 16 ? "..." : "");
	conn_image(s, c, &h);
	c->state = CONN_RECORDS;
	c->deadline = clock_ms() + s->idle_ms;
	s->slots[c - s->conns].authenticated = 1;
	if (c->st && c->st->last > 0)
		c->ack_due = 1;
	return 0;
}

/* Appends one line to the batch of c's stream: the record's (invalid:
 * NULL) or, for a record that cannot be one, its "invalid" line. A full
 * buffer is flushed and the line tried again. 0; -1: the connection has
 * ended; -2: the line cannot be written (why says so). */
static int conn_line(struct server *s, struct conn *c, const unsigned char *item, size_t len,
		     const struct record *r, const char *invalid, const char **why)
{
	char what[512];

	for (int tries = 0; tries < 2; tries++) {
		struct jbuf *b = store_buf(s->store, c->st);
		int rc = invalid ? record_invalid_json(item, len, r->seq, invalid, c->st->prefix,
						       c->st->prefix_len, b)
				 : record_json(item, len, r, c->st->prefix, c->st->prefix_len, b, why);

		if (rc != -1)
			return rc;
		b->full = 0;
		if (tries == 0 && store_flush(s->store, what, sizeof what) < 0) {
			conn_end(s, c, what);
			return -1;
		}
	}
	*why = "record: JSON line too long";
	return -2;
}

/* A record the collector cannot take is stored as an "invalid" line and
 * acked like any other: refusing it would make the agent send it again
 * forever, and everything behind it would wait. */
static int conn_invalid(struct server *s, struct conn *c, const unsigned char *item, size_t len,
			struct record *r, const char *why)
{
	const char *unused;
	int rc;

	s->stats.decode_errors++;
	if (s->js) {
		if (!r->seq)
			r->seq = c->last_seq + 1;
		log_msg("%s: seq %llu: %s; published as an invalid record", c->label,
			(unsigned long long)r->seq, why);
		s->stats.invalid++;
		return conn_js_record(s, c, item, len, r, why);
	}
	if (!r->seq)
		r->seq = c->st->pending + 1;
	if (!stream_is_new(c->st, r->seq)) {
		c->duplicates++;
		s->stats.duplicates++;
		return 0;
	}
	log_msg("%s: seq %llu: %s; stored as an invalid record", c->label,
		(unsigned long long)r->seq, why);
	rc = conn_line(s, c, item, len, r, why, &unused);
	if (rc == -2) {
		conn_end(s, c, "invalid record too large to store; disconnected");
		return -1;
	}
	if (rc < 0)
		return -1;
	store_took(s->store, r->seq);
	s->stats.invalid++;
	if (s->store->fsync == STORE_FSYNC_ALWAYS)
		return conn_commit(s, c);
	return 0;
}

static int conn_record(struct server *s, struct conn *c, const unsigned char *item, size_t len)
{
	struct record r;
	const char *why;
	int rc;

	if (record_parse(item, len, &r, &why) < 0)
		return conn_invalid(s, c, item, len, &r, why);
	if (s->js) {
		if (!js_kind_ok((const char *)r.kind.p, r.kind.u))
			return conn_invalid(s, c, item, len, &r, "record: \"kind\" not 1 to 16 of a-z");
		rc = conn_js_record(s, c, item, len, &r, NULL);
		if (rc == -2)
			return conn_invalid(s, c, item, len, &r, "record: JSON line too long");
		if (rc < 0)
			return -1;
		c->records++;
		s->stats.records++;
		if (r.samples)
			conn_metrics(s, c, &r);
		return 0;
	}
	if (!stream_is_new(c->st, r.seq)) {
		c->duplicates++;
		s->stats.duplicates++;
		return 0;
	}
	rc = conn_line(s, c, item, len, &r, NULL, &why);
	if (rc == -2)
		return conn_invalid(s, c, item, len, &r, why);
	if (rc < 0)
		return -1;
	store_took(s->store, r.seq);
	c->records++;
	s->stats.records++;
	if (r.samples)
		conn_metrics(s, c, &r);
	if (s->store->fsync == STORE_FSYNC_ALWAYS)
		return conn_commit(s, c);
	return 0;
}

/* Handles every complete item c->in holds, as far as there is room to
 * publish it (fleet mode; otherwise always). -1: the connection has ended. */
static int conn_feed(struct server *s, struct conn *c, int *got)
{
	size_t off = 0;

	for (;;) {
		const char *why;
		long k;
		int rc;

		if (c->state == CONN_RECORDS && s->js && !conn_js_room(s, c)) {
			c->blocked = 1;
			break;
		}
		k = cbor_scan_item(&c->scan, c->in + off, c->in_len - off, &why);
		if (k < 0) {
			char what[200];

			s->stats.decode_errors++;
			if (conn_commit(s, c) < 0)
				return -1;
			snprintf(what, sizeof what, "malformed CBOR: %s; disconnected", why);
			conn_end(s, c, what);
			return -1;
		}
		if (k == 0)
			break;
		if (c->state == CONN_HELLO) {
			rc = conn_hello(s, c, c->in + off, (size_t)k);
		} else {
			rc = conn_record(s, c, c->in + off, (size_t)k);
			*got = 1;
		}
		if (rc < 0)
			return -1;
		off += (size_t)k;
	}
	memmove(c->in, c->in + off, c->in_len - off);
	c->in_len -= off;
	return 0;
}

/* Takes what the engine decrypted, then feeds it. -1: ended. */
static int conn_input(struct server *s, struct conn *c, size_t *batch, int *got)
{
	br_ssl_engine_context *eng = &c->tls.sc.eng;
	size_t len;
	unsigned char *buf = br_ssl_engine_recvapp_buf(eng, &len);

	if (len > CONN_IN_MAX - c->in_len)
		len = CONN_IN_MAX - c->in_len;
	if (!buf || len == 0) {
		/* Cannot happen: a partial item is under CBOR_ITEM_MAX. */
		conn_end(s, c, "input buffer full; disconnected");
		return -1;
	}
	memcpy(c->in + c->in_len, buf, len);
	c->in_len += len;
	br_ssl_engine_recvapp_ack(eng, len);
	*batch += len;
	return conn_feed(s, c, got);
}

static void conn_closed(struct server *s, struct conn *c)
{
	int err = br_ssl_engine_last_error(&c->tls.sc.eng);
	char buf[160];

	if (err == BR_ERR_OK) {
		conn_end(s, c, "closed by peer");
		return;
	}
	s->stats.tls_errors++;
	if (c->state != CONN_TLS) {
		conn_end(s, c, tls_conn_error(err, buf, sizeof buf));
		return;
	}
	log_limited(&s->refusals, clock_ms(), "%s: %s", c->label, tls_conn_error(err, buf, sizeof buf));
	tls_conn_alert_refusal(c->fd, err);
	if (shutdown(c->fd, SHUT_WR) < 0) {
		conn_free(s, c);
		return;
	}
	c->state = CONN_CLOSING;
	c->deadline = clock_ms() + CONN_LINGER_MS;
	c->events = POLLIN;
	c->busy = 0;
}

/* CONN_CLOSING: drop what arrives; end at the peer's close. */
static void conn_drain(struct server *s, struct conn *c)
{
	for (int i = 0; i < 16; i++) {
		ssize_t r = read(c->fd, c->in, sizeof c->in);

		if (r > 0)
			continue;
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			return;
		conn_free(s, c);	/* its end, or an error */
		return;
	}
	/* More to drop: the next wakeup. */
}

/* Files mode acks what the stream has stored, fleet mode what the
 * window has passed: every record up to it has its PubAck. */
static void conn_ack(struct server *s, struct conn *c)
{
	unsigned char ack[RECORD_ACK_MAX];
	uint64_t upto = s->js ? c->win.acked : c->st ? c->st->last : 0;

	if (c->ack_due && upto > 0 && tls_conn_write(&c->tls, ack, record_ack(ack, upto)) == 0)
		c->ack_due = 0;
}

void conn_step(struct server *s, struct conn *c, short revents)
{
	br_ssl_engine_context *eng = &c->tls.sc.eng;
	size_t batch = 0;
	int got = 0;
	unsigned st;

	(void)revents;	/* the engine's state says what to try */
	if (c->state == CONN_CLOSING) {
		conn_drain(s, c);
		return;
	}
	if (c->blocked) {
		if (!conn_js_room(s, c))
			return;
		c->blocked = 0;
		if (conn_feed(s, c, &got) < 0)
			return;
	}
	for (;;) {
		int progress = 0;
		ssize_t r;

		st = br_ssl_engine_current_state(eng);
		if (st == BR_SSL_CLOSED) {
			if (got && conn_commit(s, c) < 0)
				return;
			conn_closed(s, c);
			return;
		}
		if (c->state == CONN_TLS && (st & (BR_SSL_SENDAPP | BR_SSL_RECVAPP)))
			c->state = CONN_HELLO;
		if (st & BR_SSL_SENDREC) {
			r = tls_conn_send(&c->tls, c->fd);
			if (r < 0) {
				char what[120];

				if (got && conn_commit(s, c) < 0)
					return;
				snprintf(what, sizeof what, "send: %s", strerror(errno));
				conn_end(s, c, what);
				return;
			}
			progress |= r > 0;
		}
		if (c->blocked) {
			/* Nothing more is read until there is room to publish. */
		} else if (st & BR_SSL_RECVAPP) {
			if (conn_input(s, c, &batch, &got) < 0)
				return;
			progress = 1;
		} else if ((st & BR_SSL_RECVREC) && batch < CONN_BATCH_MAX) {
			r = tls_conn_recv(&c->tls, c->fd);
			if (r < 0) {
				char what[120];

				if (got && conn_commit(s, c) < 0)
					return;
				if (errno == 0)
					snprintf(what, sizeof what, "%s", c->state == CONN_TLS ?
						 "closed during the TLS handshake" : "connection closed by peer");
				else
					snprintf(what, sizeof what, "receive: %s", strerror(errno));
				if (c->state == CONN_TLS)
					s->stats.tls_errors++;
				conn_end(s, c, what);
				return;
			}
			batch += (size_t)r;
			progress |= r > 0;
			if (r > 0 && c->state == CONN_RECORDS)
				c->deadline = clock_ms() + s->idle_ms;
		}
		if (!progress)
			break;
	}
	if (got && !s->js) {
		if (conn_commit(s, c) < 0)
			return;
		c->ack_due = 1;
	}
	conn_flush(s, c);
}

/* Sends the ack that is due and what the engine holds, and says what to
 * poll for: nothing to read while publishing has no room. */
void conn_flush(struct server *s, struct conn *c)
{
	unsigned st;

	conn_ack(s, c);
	while (tls_conn_send(&c->tls, c->fd) > 0)
		;
	st = br_ssl_engine_current_state(&c->tls.sc.eng);
	c->events = (short)((st & BR_SSL_SENDREC ? POLLOUT : 0) |
			    (st & BR_SSL_RECVREC && !c->blocked ? POLLIN : 0));
	c->busy = !c->blocked && (st & BR_SSL_RECVREC) && tls_conn_pending(&c->tls) > 0;
}

static void tune(int fd)
{
	int one = 1, idle = 60, intvl = 10, cnt = 6;

	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &intvl, sizeof intvl);
	setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &cnt, sizeof cnt);
}

void conn_open(struct server *s, struct conn *c, int fd, const char *peer,
		      const struct admission_src *src, uint64_t now)
{
	tune(fd);
	c->fd = fd;
	c->state = CONN_TLS;
	memcpy(c->peer, peer, sizeof c->peer);
	snprintf(c->label, sizeof c->label, "%s", peer);
	c->host[0] = '\0';
	c->since = now;
	c->deadline = now + s->hello_ms;
	c->events = POLLIN;
	c->busy = 0;
	c->ack_due = 0;
	c->st = NULL;
	c->records = c->duplicates = 0;
	c->gen = ++s->gens;
	c->blocked = 0;
	c->js_failing = 0;
	c->last_seq = 0;
	pubwin_init(&c->win);
	c->in_len = 0;
	cbor_scan_reset(&c->scan);
	s->slots[c - s->conns] = (struct admission_slot){ .used = 1, .since = now, .src = *src };
	s->stats.accepted++;
	s->stats.connections++;
}

/* What a connection past its deadline is told, by state. */
void conn_expire(struct server *s, struct conn *c)
{
	char what[96];

	if (c->state == CONN_CLOSING) {
		conn_free(s, c);	/* its line was said when the alert went */
		return;
	}
	if (c->state == CONN_RECORDS) {
		snprintf(what, sizeof what, "nothing received for %llu s; closed",
			 (unsigned long long)(s->idle_ms / 1000));
		s->stats.idle_closed++;
	} else {
		snprintf(what, sizeof what, "no %s within %llu s; closed",
			 c->state == CONN_TLS ? "TLS handshake" : "hello",
			 (unsigned long long)(s->hello_ms / 1000));
		s->stats.hello_timeouts++;
	}
	conn_end(s, c, what);
}
