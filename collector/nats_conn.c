/* The publisher's connection: the server list, a non-blocking connect,
 * the handshake (INFO, then CONNECT, SUB, PING, until PONG), and what
 * follows a loss or a failed try: the next server, after a pause. */
#include "nats_pub.h"
#include "nats_url.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int resolve(struct nats_server *s, const char *u, size_t n, char *why, size_t whylen)
{
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_NUMERICSERV }, *res = NULL;
	char host[NATS_URL_HOST_MAX], port[6];
	int rc;

	if (n >= NATS_PUB_URL_MAX || nats_url_split(u, n, host, port) < 0) {
		snprintf(why, whylen, "NATS: '%.*s' is not nats://HOST:PORT", (int)(n > 80 ? 80 : n), u);
		return -1;
	}
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc != 0 || !res) {
		snprintf(why, whylen, "NATS: %.*s: %s", (int)n, u, rc ? gai_strerror(rc) : "no address");
		return -1;
	}
	memcpy(&s->sa, res->ai_addr, res->ai_addrlen);
	s->len = res->ai_addrlen;
	memcpy(s->url, u, n);
	s->url[n] = '\0';
	freeaddrinfo(res);
	return 0;
}

int nats_conn_servers(struct nats_pub *p, const char *urls, char *why, size_t whylen)
{
	const char *u, *list = urls;
	size_t n;

	while ((u = nats_url_next(&list, &n))) {
		if (p->n_servers == NATS_PUB_SERVERS_MAX) {
			snprintf(why, whylen, "NATS: more than %d servers", NATS_PUB_SERVERS_MAX);
			return -1;
		}
		if (resolve(&p->server[p->n_servers], u, n, why, whylen) < 0)
			return -1;
		p->n_servers++;
	}
	return 0;
}

/* The pause before try k after a loss: 250 ms, doubling to 2 s. */
static uint64_t backoff(unsigned tries)
{
	uint64_t ms = (uint64_t)NATS_PUB_BACKOFF_MS << (tries > 4 ? 3 : tries - 1);

	return ms < NATS_PUB_BACKOFF_MAX_MS ? ms : NATS_PUB_BACKOFF_MAX_MS;
}

static void drop(struct nats_pub *p)
{
	if (p->fd >= 0 && close(p->fd) < 0 && errno != EINTR)
		log_msg("NATS: close: %s", strerror(errno));	/* the socket is gone either way */
	p->fd = -1;
	p->out_off = p->out_len = p->in_len = 0;
	nats_rd_reset(&p->rd);
	p->state = NATS_PUB_IDLE;
}

/* Tries 1, 2, 4, 8...: an outage of hours says so a few dozen times. */
static int worth_saying(unsigned tries)
{
	return (tries & (tries - 1)) == 0;
}

/* The try at the current server failed (p->why says how): the next one,
 * after a pause. Inside nats_pub_open, only the state changes. */
static void try_failed(struct nats_pub *p, uint64_t now)
{
	const char *url = p->server[p->cur].url;

	drop(p);
	if (p->opening)
		return;
	p->tries++;
	p->cur = (p->cur + 1) % p->n_servers;
	p->deadline = now + backoff(p->tries + 1);
	if (worth_saying(p->tries))
		log_msg("NATS: %s: %s (try %u; said at tries 1, 2, 4, 8...); trying %s in %llu ms", url,
			p->why, p->tries, p->server[p->cur].url, (unsigned long long)backoff(p->tries + 1));
}

static void fail_try(struct nats_pub *p, uint64_t now, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fail_try(struct nats_pub *p, uint64_t now, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, sizeof p->why, fmt, ap);
	va_end(ap);
	try_failed(p, now);
}

void nats_conn_start(struct nats_pub *p, uint64_t now)
{
	const struct nats_server *s = &p->server[p->cur];
	int one = 1;

	p->deadline = now + NATS_PUB_CONNECT_MS;
	p->fd = socket(s->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p->fd < 0) {
		fail_try(p, now, "socket: %s", strerror(errno));
		return;
	}
	/* HPUBs are batched already; Nagle would only hold back the last. */
	if (setsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0) {
		fail_try(p, now, "TCP_NODELAY: %s", strerror(errno));
		return;
	}
	if (connect(p->fd, (const struct sockaddr *)&s->sa, s->len) == 0)
		p->state = NATS_PUB_WAIT_INFO;
	else if (errno == EINPROGRESS || errno == EINTR)
		p->state = NATS_PUB_CONNECTING;
	else
		fail_try(p, now, "connect: %s", strerror(errno));
}

void nats_conn_connected(struct nats_pub *p, uint64_t now)
{
	int err = 0;
	socklen_t len = sizeof err;

	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		fail_try(p, now, "connect: %s", strerror(err));
		return;
	}
	p->state = NATS_PUB_WAIT_INFO;
}

/* CONNECT, SUB and PING into the (empty) out buffer. */
static int hello(struct nats_pub *p)
{
	char sub[sizeof p->inbox + 1];
	size_t n, k;

	snprintf(sub, sizeof sub, "%s*", p->inbox);
	n = nats_fmt_connect(p->out, NATS_PUB_RESERVE, p->name);
	if (n == 0 || (k = nats_fmt_sub(p->out + n, NATS_PUB_RESERVE - n, sub, "1")) == 0)
		return -1;
	n += k;
	if ((k = nats_fmt_ping(p->out + n, NATS_PUB_RESERVE - n)) == 0)
		return -1;
	p->out_off = 0;
	p->out_len = n + k;
	return 0;
}

static const char *refused(const struct nats_info *i)
{
	if (i->tls_required)
		return "the server requires TLS (not supported here)";
	if (i->auth_required)
		return "the server requires authentication (not supported here)";
	if (!i->headers)
		return "the server does not take headers (nats-server 2.2 or later)";
	return NULL;
}

void nats_conn_info(struct nats_pub *p, const struct nats_event *ev, uint64_t now)
{
	const char *no;

	if (p->state != NATS_PUB_WAIT_INFO)
		return;		/* a later INFO: the cluster changed; the list given stays ours */
	if (nats_info_read(ev->data.p, ev->data.n, &p->info) < 0)
		no = "its INFO is not a JSON object";
	else
		no = refused(&p->info);
	if (!no && hello(p) < 0)
		no = "the name cannot be sent in CONNECT";
	if (no) {
		fail_try(p, now, "%s", no);
		return;
	}
	p->max_payload = p->info.max_payload && p->info.max_payload < NATS_PAYLOAD_MAX
				 ? p->info.max_payload : NATS_PAYLOAD_MAX;
	p->state = NATS_PUB_WAIT_PONG;
}

/* The PONG to the handshake's PING: the server has taken CONNECT and SUB,
 * so every PubAck from now on reaches the inbox. */
void nats_conn_pong(struct nats_pub *p, uint64_t now)
{
	const struct nats_server *s = &p->server[p->cur];

	p->state = NATS_PUB_UP;
	p->deadline = now + NATS_PUB_PING_MS;
	p->pings_out = 0;
	if (p->opening) {
		log_msg("NATS: connected to %s (server %s, %s)", s->url, p->info.server_name,
			p->info.version);
		return;
	}
	log_msg("NATS: reconnected to %s (server %s, %s), %.1f s after the loss, at try %u", s->url,
		p->info.server_name, p->info.version, (double)(now - p->lost_at) / 1000, p->tries + 1);
	p->tries = 0;
	p->stats.reconnects++;
	if (p->conn)
		p->conn(p->arg, 1, NULL);
}

/* A connection up, lost: said once, then tries as after a failed one. */
void nats_conn_lost(struct nats_pub *p, uint64_t now, const char *fmt, ...)
{
	size_t unsent = p->out_len - p->out_off;
	const char *url = p->server[p->cur].url;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, sizeof p->why, fmt, ap);
	va_end(ap);
	if (p->state != NATS_PUB_UP) {
		try_failed(p, now);
		return;
	}
	drop(p);
	p->stats.losses++;
	p->lost_at = now;
	p->tries = 0;
	p->cur = (p->cur + 1) % p->n_servers;
	p->deadline = now + backoff(1);
	log_msg("NATS: connection to %s lost: %s; %zu bytes unsent, and every publish not answered "
		"yet is lost; trying %s in %llu ms", url, p->why, unsent, p->server[p->cur].url,
		(unsigned long long)backoff(1));
	if (p->conn)
		p->conn(p->arg, 0, p->why);
}
