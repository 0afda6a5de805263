#include "server.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"

int server_init(struct server *s, const struct server_config *cfg, char *why, size_t whylen)
{
	char bound[NET_NAME_MAX];
	int hfd = -1;

	memset(s, 0, sizeof *s);
	s->lfd = -1;
	s->max = cfg->max_conns;
	s->tls = cfg->tls;
	s->store = cfg->store;
	s->metrics = cfg->metrics_store;
	s->conns = calloc(s->max, sizeof *s->conns);
	s->map = calloc(server_pollfds_max(s), sizeof *s->map);
	if (!s->conns || !s->map) {
		snprintf(why, whylen, "out of memory for %zu connections", s->max);
		return -1;
	}
	for (size_t i = 0; i < s->max; i++)
		s->conns[i].fd = -1;
	s->lfd = net_listen(cfg->listen, bound, why, whylen);
	if (s->lfd < 0)
		return -1;
	log_msg("listening on %s (TLS 1.2, client certificate required)", bound);
	if (cfg->metrics) {
		hfd = net_listen(cfg->metrics, bound, why, whylen);
		if (hfd < 0 && !cfg->metrics_optional)
			return -1;
		if (hfd < 0)
			log_msg("%s; running without the metrics endpoint", why);
		else
			log_msg("metrics on http://%s/metrics", bound);
	}
	http_init(&s->http, hfd, s->metrics, &s->stats);
	return 0;
}

size_t server_pollfds_max(const struct server *s)
{
	return 1 + s->max + 1 + HTTP_CONNS_MAX;
}

static void conn_free(struct server *s, struct conn *c)
{
	if (c->st) {
		store_stream_put(s->store, c->st);
		c->st = NULL;
	}
	close(c->fd);
	c->fd = -1;
	c->state = CONN_FREE;
	s->stats.connections--;
}

/* Ends a connection with one log line: what happened, and for an agent
 * that said hello, how much it sent. */
static void conn_end(struct server *s, struct conn *c, const char *what)
{
	if (c->state == CONN_RECORDS)
		log_msg("%s: %s; %llu records, %llu duplicates", c->label, what,
			(unsigned long long)c->records, (unsigned long long)c->duplicates);
	else
		log_msg("%s: %s", c->label, what);
	conn_free(s, c);
}

/* The batch so far becomes stored. On failure the connection ends: its
 * records were not stored, so they must not be acked, and the agent
 * sends them again when it reconnects. */
static int conn_commit(struct server *s, struct conn *c)
{
	char why[256], what[512];

	if (store_commit(s->store, why, sizeof why) < 0) {
		snprintf(what, sizeof what, "%s; not acked, disconnected", why);
		conn_end(s, c, what);
		return -1;
	}
	s->stats.bytes_written = s->store->bytes;
	return 0;
}

static int conn_hello(struct server *s, struct conn *c, const unsigned char *item, size_t len)
{
	struct hello h;
	const char *why;
	char reason[256];

	if (hello_parse(item, len, &h, &why) < 0) {
		s->stats.decode_errors++;
		conn_end(s, c, why);
		return -1;
	}
	c->st = store_stream_get(s->store, h.host, h.boot_id, reason, sizeof reason);
	if (!c->st) {
		char what[512];

		snprintf(what, sizeof what, "host %s boot %s: %s", h.host, h.boot_id, reason);
		conn_end(s, c, what);
		return -1;
	}
	snprintf(c->label, sizeof c->label, "%s (%s)", c->peer, h.host);
	log_msg("%s: hello from host %s boot %s agent %s roothash %.16s%s (certificate CN %s), "
		"stored up to seq %llu", c->label, h.host, h.boot_id, h.agent, h.roothash,
		strlen(h.roothash) > 16 ? "..." : "", c->tls.cn.status == 1 ? c->tls.cn_buf : "?",
		(unsigned long long)c->st->last);
	c->state = CONN_RECORDS;
	if (c->st->last > 0)
		c->ack_due = 1;
	return 0;
}

static int conn_record(struct server *s, struct conn *c, const unsigned char *item, size_t len)
{
	struct record r;
	struct jbuf *b;
	const char *why;
	char what[512];
	int rc;

	if (record_parse(item, len, &r, &why) < 0)
		goto bad;
	if (!stream_is_new(c->st, r.seq)) {
		c->duplicates++;
		s->stats.duplicates++;
		return 0;
	}
	b = store_buf(s->store, c->st);
	rc = record_json(item, len, &r, c->st->prefix, c->st->prefix_len, b, &why);
	if (rc == -1) {
		b->full = 0;
		if (store_flush(s->store, what, sizeof what) < 0) {
			conn_end(s, c, what);
			return -1;
		}
		rc = record_json(item, len, &r, c->st->prefix, c->st->prefix_len, b, &why);
		if (rc == -1) {
			b->full = 0;
			why = "record: JSON line too long";
			rc = -2;
		}
	}
	if (rc < 0)
		goto bad;
	store_took(s->store, r.seq);
	c->records++;
	s->stats.records++;
	if (r.samples)
		metrics_update(s->metrics, c->st->host, r.samples, r.samples_len);
	if (s->store->fsync == STORE_FSYNC_ALWAYS)
		return conn_commit(s, c);
	return 0;
bad:
	s->stats.decode_errors++;
	if (conn_commit(s, c) < 0)
		return -1;
	if (r.seq)
		snprintf(what, sizeof what, "%s (seq %llu); disconnected", why, (unsigned long long)r.seq);
	else
		snprintf(what, sizeof what, "%s; disconnected", why);
	conn_end(s, c, what);
	return -1;
}

/* Takes what the engine decrypted and handles every complete item in it.
 * -1: the connection has ended. */
static int conn_input(struct server *s, struct conn *c, size_t *batch, int *got)
{
	br_ssl_engine_context *eng = &c->tls.sc.eng;
	size_t len, off = 0;
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
	for (;;) {
		const char *why;
		long k = cbor_scan_item(&c->scan, c->in + off, c->in_len - off, &why);
		int rc;

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

static void conn_closed(struct server *s, struct conn *c)
{
	int err = br_ssl_engine_last_error(&c->tls.sc.eng);
	char buf[160];

	if (err == BR_ERR_OK) {
		conn_end(s, c, "closed by peer");
		return;
	}
	s->stats.tls_errors++;
	conn_end(s, c, tls_conn_error(err, buf, sizeof buf));
}

static void conn_ack(struct conn *c)
{
	unsigned char ack[RECORD_ACK_MAX];

	if (c->ack_due && c->st && tls_conn_write(&c->tls, ack, record_ack(ack, c->st->last)) == 0)
		c->ack_due = 0;
}

static void conn_step(struct server *s, struct conn *c, short revents)
{
	br_ssl_engine_context *eng = &c->tls.sc.eng;
	size_t batch = 0;
	int got = 0;
	unsigned st;

	(void)revents;	/* the engine's state says what to try */
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
		if (st & BR_SSL_RECVAPP) {
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
		}
		if (!progress)
			break;
	}
	if (got) {
		if (conn_commit(s, c) < 0)
			return;
		c->ack_due = 1;
	}
	conn_ack(c);
	while (tls_conn_send(&c->tls, c->fd) > 0)
		;
	st = br_ssl_engine_current_state(eng);
	c->events = (short)((st & BR_SSL_SENDREC ? POLLOUT : 0) | (st & BR_SSL_RECVREC ? POLLIN : 0));
	c->busy = (st & BR_SSL_RECVREC) && tls_conn_pending(&c->tls) > 0;
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

static void accept_all(struct server *s, uint64_t now)
{
	for (int i = 0; i < 64; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		char peer[NET_NAME_MAX];
		struct conn *c = NULL;
		int fd = accept4(s->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE)
				log_msg("accept: %s", strerror(errno));
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return;
		}
		net_name((struct sockaddr *)&ss, peer);
		for (size_t k = 0; k < s->max && !c; k++)
			if (s->conns[k].fd < 0)
				c = &s->conns[k];
		if (!c) {
			s->stats.refused++;
			log_msg("%s: refused: %zu connections open (--max-conns)", peer, s->max);
			close(fd);
			continue;
		}
		if (tls_conn_init(&c->tls, &s->tls) < 0) {
			log_msg("%s: refused: TLS setup failed", peer);
			close(fd);
			continue;
		}
		tune(fd);
		c->fd = fd;
		c->state = CONN_TLS;
		memcpy(c->peer, peer, sizeof peer);
		snprintf(c->label, sizeof c->label, "%s", peer);
		c->deadline = now + CONN_HELLO_MS;
		c->events = POLLIN;
		c->busy = 0;
		c->ack_due = 0;
		c->st = NULL;
		c->records = c->duplicates = 0;
		c->in_len = 0;
		cbor_scan_reset(&c->scan);
		s->stats.accepted++;
		s->stats.connections++;
		log_msg("connection from %s", peer);
	}
}

size_t server_pollfds(struct server *s, struct pollfd *p, int *timeout_ms)
{
	uint64_t now = clock_ms();
	size_t n = 0;

	if (s->lfd >= 0) {
		p[n] = (struct pollfd){ .fd = s->lfd, .events = POLLIN };
		s->map[n++] = SIZE_MAX;
	}
	for (size_t i = 0; i < s->max; i++) {
		struct conn *c = &s->conns[i];

		if (c->fd < 0)
			continue;
		p[n] = (struct pollfd){ .fd = c->fd, .events = c->events };
		s->map[n++] = i;
		if (c->busy)
			*timeout_ms = 0;
		else if (c->state != CONN_RECORDS) {
			uint64_t left = c->deadline > now ? c->deadline - now : 0;

			if (*timeout_ms < 0 || left < (uint64_t)*timeout_ms)
				*timeout_ms = (int)left;
		}
	}
	s->n_map = n;
	n += http_pollfds(&s->http, p + n, now, timeout_ms);
	return n;
}

void server_handle(struct server *s, const struct pollfd *p, size_t n)
{
	uint64_t now = clock_ms();
	size_t k;

	for (k = 0; k < s->n_map && k < n; k++) {
		struct conn *c;

		if (s->map[k] == SIZE_MAX) {
			if (p[k].revents & POLLIN)
				accept_all(s, now);
			continue;
		}
		c = &s->conns[s->map[k]];
		if (c->fd != p[k].fd)
			continue;	/* ended and reused meanwhile */
		if (p[k].revents || c->busy)
			conn_step(s, c, p[k].revents);
		if (c->fd >= 0 && c->state != CONN_RECORDS && now >= c->deadline)
			conn_end(s, c, c->state == CONN_TLS ? "no TLS handshake within 30 s"
							    : "no hello within 30 s");
	}
	http_handle(&s->http, p + k, n - k, now);
}

void server_stop(struct server *s)
{
	size_t open = 0;

	if (s->lfd >= 0)
		close(s->lfd);
	s->lfd = -1;
	http_close_all(&s->http);
	for (size_t i = 0; i < s->max; i++) {
		struct conn *c = &s->conns[i];

		if (c->fd < 0)
			continue;
		open++;
		/* Everything read was committed at the end of its batch. */
		br_ssl_engine_close(&c->tls.sc.eng);
		while (tls_conn_send(&c->tls, c->fd) > 0)
			;
		conn_end(s, c, "closed: collector stopping");
	}
	log_msg("stopped; %zu connections closed", open);
	free(s->conns);
	free(s->map);
	s->conns = NULL;
	s->map = NULL;
}
