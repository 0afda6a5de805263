/* The publisher's loop side: buffering HPUBs, writing them, reading and
 * acting on what the server sends. The socket is only touched from
 * nats_pub_handle (and, blocking, from nats_pub_open), so a loss never
 * happens inside a callback or inside nats_pub_send. */
#include "nats_pub.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

#define READS_MAX 8		/* per round: the loop has other work */
#define TOKEN_DIGITS_MAX 20

/* The inbox must be no other client's: two collectors sharing one would
 * take each other's PubAcks. */
static void inbox_make(struct nats_pub *p)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char r[8];
	struct timespec ts;

	if (getrandom(r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r) {
		uint64_t x;

		if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
			ts = (struct timespec){ 0, 0 };
		x = ((uint64_t)ts.tv_nsec << 20) ^ (uint64_t)ts.tv_sec ^ ((uint64_t)getpid() << 40);
		memcpy(r, &x, sizeof r);
	}
	memcpy(p->inbox, "_INBOX.", 7);
	for (size_t i = 0; i < sizeof r; i++) {
		p->inbox[7 + 2 * i] = hex[r[i] >> 4];
		p->inbox[8 + 2 * i] = hex[r[i] & 15];
	}
	p->inbox[23] = '.';
	p->inbox[24] = '\0';
	p->inbox_len = 24;
}

/* Drives one server's try with poll until it is up or has failed. */
static int open_one(struct nats_pub *p)
{
	nats_conn_start(p, clock_ms());
	while (p->state != NATS_PUB_UP && p->state != NATS_PUB_IDLE) {
		struct pollfd pfd;
		int timeout = -1;
		uint64_t now = clock_ms();

		nats_pub_pollfd(p, &pfd, now, &timeout);
		if (poll(&pfd, 1, timeout) < 0 && errno != EINTR)
			nats_conn_lost(p, now, "poll: %s", strerror(errno));
		else
			nats_pub_handle(p, pfd.revents, clock_ms());
	}
	return p->state == NATS_PUB_UP ? 0 : -1;
}

static int open_fail(struct nats_pub *p)
{
	nats_pub_close(p);
	return -1;
}

int nats_pub_open(struct nats_pub *p, const char *urls, const char *name, nats_pub_ack_fn *ack,
		  nats_pub_conn_fn *conn, void *arg, char *why, size_t whylen)
{
	size_t k;

	memset(p, 0, sizeof *p);
	p->fd = -1;
	p->ack = ack;
	p->conn = conn;
	p->arg = arg;
	p->opening = 1;
	snprintf(p->name, sizeof p->name, "%s", name);
	inbox_make(p);
	if (nats_conn_servers(p, urls, why, whylen) < 0)
		return open_fail(p);
	p->out = malloc(NATS_PUB_OUT_MAX);
	p->in = malloc(NATS_EVENT_MAX);
	if (!p->out || !p->in) {
		snprintf(why, whylen, "NATS: out of memory for the publisher's buffers");
		return open_fail(p);
	}
	k = (size_t)snprintf(why, whylen, "NATS: no server answered:");
	for (p->cur = 0; p->cur < p->n_servers; p->cur++) {
		if (open_one(p) == 0) {
			p->opening = 0;
			return 0;
		}
		if (k < whylen)
			k += (size_t)snprintf(why + k, whylen - k, "%s %s: %s", p->cur ? ";" : "",
					      p->server[p->cur].url, p->why);
	}
	return open_fail(p);
}

void nats_pub_close(struct nats_pub *p)
{
	if (p->fd >= 0 && close(p->fd) < 0 && errno != EINTR)
		log_msg("NATS: close: %s", strerror(errno));	/* nothing more to do with it */
	p->fd = -1;
	p->state = NATS_PUB_IDLE;
	free(p->out);
	free(p->in);
	p->out = p->in = NULL;
}

void nats_pub_pollfd(const struct nats_pub *p, struct pollfd *pfd, uint64_t now_ms,
		     int *timeout_ms)
{
	uint64_t left = p->deadline > now_ms ? p->deadline - now_ms : 0;

	pfd->fd = p->fd;
	pfd->revents = 0;
	if (p->state == NATS_PUB_CONNECTING)
		pfd->events = POLLOUT;
	else
		pfd->events = (short)(POLLIN | (p->out_len > p->out_off ? POLLOUT : 0));
	if (*timeout_ms < 0 || left < (uint64_t)*timeout_ms)
		*timeout_ms = (int)(left > 60000 ? 60000 : left);
}

/* Into the out buffer, whatever it holds (the reserve is kept for this). */
static void queue(struct nats_pub *p, size_t (*fmt)(char *, size_t))
{
	size_t n;

	if (p->out_off && p->out_off == p->out_len)
		p->out_off = p->out_len = 0;
	n = fmt(p->out + p->out_len, NATS_PUB_OUT_MAX - p->out_len);
	if (n == 0 && p->out_off) {
		memmove(p->out, p->out + p->out_off, p->out_len - p->out_off);
		p->out_len -= p->out_off;
		p->out_off = 0;
		n = fmt(p->out + p->out_len, NATS_PUB_OUT_MAX - p->out_len);
	}
	p->out_len += n;	/* 0 only if the reserve was eaten: never */
}

/* The token of an answer: the subject is our inbox, then 1-20 digits. */
static int token_of(const struct nats_pub *p, struct nats_str s, uint64_t *token)
{
	uint64_t t = 0;

	if (s.n <= p->inbox_len || s.n > p->inbox_len + TOKEN_DIGITS_MAX ||
	    memcmp(s.p, p->inbox, p->inbox_len) != 0)
		return -1;
	for (size_t i = p->inbox_len; i < s.n; i++) {
		unsigned d = (unsigned)(s.p[i] - '0');

		if (d > 9 || t > (UINT64_MAX - d) / 10)
			return -1;
		t = t * 10 + d;
	}
	*token = t;
	return 0;
}

static void answer(struct nats_pub *p, const struct nats_event *ev, uint64_t now)
{
	struct nats_puback a;
	struct nats_pub_ack r;

	if (token_of(p, ev->subject, &r.token) < 0) {
		log_limited(&p->limit, now, "NATS: a message on %.*s is no answer of ours; ignored",
			    (int)(ev->subject.n > 80 ? 80 : ev->subject.n), ev->subject.p);
		return;
	}
	nats_puback_read(ev, &a);
	r.outcome = a.outcome;
	r.seq = a.seq;
	r.why = a.why;
	p->stats.answers++;
	if (p->ack)
		p->ack(p->arg, &r);
}

/* -ERR: most end the connection (the server closes it after); a
 * permissions violation only refuses that one publish, whose answer then
 * never comes (the caller times it out). */
static void server_err(struct nats_pub *p, const struct nats_event *ev, uint64_t now)
{
	static const char perm[] = "Permissions Violation";
	int n = (int)(ev->data.n > 120 ? 120 : ev->data.n);

	if (p->state == NATS_PUB_UP && ev->data.n >= sizeof perm - 1 &&
	    strncasecmp(ev->data.p, perm, sizeof perm - 1) == 0) {
		log_limited(&p->limit, now, "NATS: the server said: %.*s", n, ev->data.p);
		return;
	}
	nats_conn_lost(p, now, "the server said -ERR '%.*s'", n, ev->data.p);
}

static void event(struct nats_pub *p, const struct nats_event *ev, uint64_t now)
{
	switch (ev->op) {
	case NATS_OP_PING:
		queue(p, nats_fmt_pong);
		break;
	case NATS_OP_PONG:
		if (p->state == NATS_PUB_WAIT_PONG)
			nats_conn_pong(p, now);
		else
			p->pings_out = 0;
		break;
	case NATS_OP_INFO:
		nats_conn_info(p, ev, now);
		break;
	case NATS_OP_ERR:
		server_err(p, ev, now);
		break;
	case NATS_OP_MSG:
	case NATS_OP_HMSG:
		answer(p, ev, now);
		break;
	case NATS_OP_OK:
		break;
	}
}

/* Every event in the in buffer; what is left of the last is kept at
 * its front. -1 if the connection was lost meanwhile. */
static int parse(struct nats_pub *p, uint64_t now)
{
	struct nats_event ev;
	const char *why;
	size_t off = 0;
	int fd = p->fd;
	long n;

	while ((n = nats_wire_read(&p->rd, p->in + off, p->in_len - off, &ev, &why)) > 0) {
		off += (size_t)n;
		event(p, &ev, now);
		if (p->fd != fd)
			return -1;
	}
	if (n < 0) {
		nats_conn_lost(p, now, "protocol error: %s", why);
		return -1;
	}
	memmove(p->in, p->in + off, p->in_len - off);
	p->in_len -= off;
	return 0;
}

static void read_some(struct nats_pub *p, uint64_t now)
{
	for (int i = 0; i < READS_MAX; i++) {
		size_t room = NATS_EVENT_MAX - p->in_len;
		ssize_t n;

		if (room == 0) {	/* the reader refuses any event this large first */
			nats_conn_lost(p, now, "input buffer full");
			return;
		}
		n = recv(p->fd, p->in + p->in_len, room, MSG_DONTWAIT);
		if (n == 0) {
			nats_conn_lost(p, now, "closed by the server");
			return;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			nats_conn_lost(p, now, "read: %s", strerror(errno));
			return;
		}
		p->in_len += (size_t)n;
		if (parse(p, now) < 0 || (size_t)n < room)
			return;
	}
}

static void write_some(struct nats_pub *p, uint64_t now)
{
	while (p->out_off < p->out_len) {
		ssize_t n = send(p->fd, p->out + p->out_off, p->out_len - p->out_off,
				 MSG_DONTWAIT | MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n < 0) {
			nats_conn_lost(p, now, "write: %s", strerror(errno));
			return;
		}
		p->out_off += (size_t)n;
		p->stats.bytes_out += (uint64_t)n;
	}
	p->out_off = p->out_len = 0;
}

/* UP: a PING every NATS_PUB_PING_MS; too many without a PONG, and the
 * connection is taken for dead (a peer gone without a reset). */
static void keepalive(struct nats_pub *p, uint64_t now)
{
	if (p->pings_out >= NATS_PUB_PINGS_MAX) {
		nats_conn_lost(p, now, "no PONG to %d PINGs in %d s", NATS_PUB_PINGS_MAX,
			       NATS_PUB_PINGS_MAX * NATS_PUB_PING_MS / 1000);
		return;
	}
	queue(p, nats_fmt_ping);
	p->pings_out++;
	p->deadline = now + NATS_PUB_PING_MS;
}

void nats_pub_handle(struct nats_pub *p, short revents, uint64_t now_ms)
{
	switch (p->state) {
	case NATS_PUB_IDLE:
		if (now_ms >= p->deadline)
			nats_conn_start(p, now_ms);
		return;
	case NATS_PUB_CONNECTING:
		if (revents & (POLLOUT | POLLERR | POLLHUP))
			nats_conn_connected(p, now_ms);
		else if (now_ms >= p->deadline)
			nats_conn_lost(p, now_ms, "connect: no answer in %d ms", NATS_PUB_CONNECT_MS);
		return;
	default:
		break;
	}
	if (revents & (POLLIN | POLLERR | POLLHUP))
		read_some(p, now_ms);
	if (p->fd >= 0 && p->out_len > p->out_off)
		write_some(p, now_ms);
	if (p->fd < 0 || now_ms < p->deadline)
		return;
	if (p->state == NATS_PUB_UP)
		keepalive(p, now_ms);
	else
		nats_conn_lost(p, now_ms, "no %s in %d ms",
			       p->state == NATS_PUB_WAIT_INFO ? "INFO" : "PONG", NATS_PUB_CONNECT_MS);
}

/* reply: the inbox, then the token in decimal. */
static void reply_of(const struct nats_pub *p, uint64_t token, char *reply)
{
	char d[TOKEN_DIGITS_MAX];
	size_t n = 0;

	memcpy(reply, p->inbox, p->inbox_len);
	do {
		d[n++] = (char)('0' + token % 10);
		token /= 10;
	} while (token);
	for (size_t i = 0; i < n; i++)
		reply[p->inbox_len + i] = d[n - 1 - i];
	reply[p->inbox_len + n] = '\0';
}

int nats_pub_send(struct nats_pub *p, const char *subject, const struct nats_header *h, size_t nh,
		  const void *data, size_t len, uint64_t token)
{
	char reply[sizeof p->inbox + TOKEN_DIGITS_MAX];
	struct nats_hpub m = { subject, reply, h, nh, data, len, 0, 0 };
	const size_t cap = NATS_PUB_OUT_MAX - NATS_PUB_RESERVE;

	if (p->state != NATS_PUB_UP)
		return -1;
	reply_of(p, token, reply);
	if (nats_hpub_measure(&m) < 0 || m.hdr + len > p->max_payload || m.size > cap)
		return -2;
	if (p->out_len + m.size > cap && p->out_off) {
		memmove(p->out, p->out + p->out_off, p->out_len - p->out_off);
		p->out_len -= p->out_off;
		p->out_off = 0;
	}
	if (p->out_len + m.size > cap)
		return -1;
	p->out_len += nats_hpub_write(p->out + p->out_len, &m);
	p->stats.sent++;
	return 0;
}
