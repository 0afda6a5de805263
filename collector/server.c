#include "server.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "conn.h"
#include "log.h"

#define MAP_JS (SIZE_MAX - 1)	/* the pollfd of the NATS publisher */

int server_init(struct server *s, const struct server_config *cfg, char *why, size_t whylen)
{
	char bound[NET_NAME_MAX];
	int hfd = -1;

	memset(s, 0, sizeof *s);
	s->lfd = -1;
	s->max = cfg->max_conns;
	s->limits = cfg->limits;
	s->limits.max = cfg->max_conns;
	s->hello_ms = cfg->hello_ms;
	s->idle_ms = cfg->idle_ms;
	s->trust_hello_host = cfg->trust_hello_host;
	s->tls = cfg->tls;
	s->store = cfg->store;
	s->js = cfg->js;
	s->metrics = cfg->metrics_store;
	s->expect = cfg->expect;
	if (s->js) {
		s->line.p = malloc(STORE_BUF_SIZE);
		s->line.cap = STORE_BUF_SIZE;
	}
	s->conns = calloc(s->max, sizeof *s->conns);
	s->slots = calloc(s->max, sizeof *s->slots);
	s->map = calloc(server_pollfds_max(s), sizeof *s->map);
	if (!s->conns || !s->slots || !s->map || (s->js && !s->line.p)) {
		snprintf(why, whylen, "out of memory for %zu connections", s->max);
		return -1;
	}
	for (size_t i = 0; i < s->max; i++)
		s->conns[i].fd = -1;
	s->lfd = net_listen(cfg->listen, bound, why, whylen);
	if (s->lfd < 0)
		return -1;
	log_msg("listening on %s (TLS 1.2, client certificate required; host from %s)", bound,
		s->trust_hello_host ? "the hello" : "the certificate");
	if (s->trust_hello_host)
		log_msg("warning: --trust-hello-host: any agent certificate of the client CA may "
			"write as any host");
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
	return 2 + s->max + 1 + HTTP_CONNS_MAX;
}

/* A free slot for a newcomer from src, ending the pending connection
 * admission picks if need be; NULL if every slot is an agent's. */
static struct conn *conn_slot(struct server *s, const struct admission_src *src, const char *peer,
			      uint64_t now)
{
	size_t at = 0;
	char what[160];

	switch (admission_pick(s->slots, s->max, &s->limits, src, &at)) {
	case ADMIT_FREE:
		break;
	case ADMIT_EVICT_SOURCE:
		snprintf(what, sizeof what, "closed before its hello: %s has %zu such connections "
			 "(--per-source)", peer, s->limits.per_source);
		s->stats.evicted++;
		conn_end(s, &s->conns[at], what);
		break;
	case ADMIT_EVICT_PENDING:
		snprintf(what, sizeof what, "closed before its hello: every slot not reserved for "
			 "agents is taken (--max-conns %zu, --reserve %zu)", s->max, s->limits.reserve);
		s->stats.evicted++;
		conn_end(s, &s->conns[at], what);
		break;
	case ADMIT_FULL:
		s->stats.refused++;
		log_limited(&s->refusals, now, "%s: refused: all %zu connections are agents' "
			    "(--max-conns)", peer, s->max);
		return NULL;
	}
	return &s->conns[at];
}

/* Out of descriptors: the pending connection would make the listener
 * readable forever, so stop polling it for a while, and say so once. */
static void accept_pause(struct server *s, uint64_t now)
{
	if (!s->accept_paused)
		log_msg("accept: %s; pausing accepts (said once until they work again)",
			strerror(errno));
	s->accept_paused = 1;
	s->stats.accept_pauses++;
	s->accept_resume_at = now + ACCEPT_PAUSE_MS;
}

static void accept_all(struct server *s, uint64_t now)
{
	for (int i = 0; i < 64; i++) {
		struct sockaddr_storage ss;
		socklen_t sl = sizeof ss;
		char peer[NET_NAME_MAX];
		struct admission_src src;
		struct conn *c;
		int fd = accept4(s->lfd, (struct sockaddr *)&ss, &sl, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM)
				accept_pause(s, now);
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return;
		}
		if (s->accept_paused) {
			log_msg("accepting again");
			s->accept_paused = 0;
		}
		net_name((struct sockaddr *)&ss, peer);
		admission_src_of((struct sockaddr *)&ss, &src);
		c = conn_slot(s, &src, peer, now);
		if (!c) {
			close(fd);
			continue;
		}
		if (tls_conn_init(&c->tls, &s->tls) < 0) {
			log_msg("%s: refused: TLS setup failed", peer);
			close(fd);
			continue;
		}
		conn_open(s, c, fd, peer, &src, now);
	}
}

static void lower(int *timeout_ms, uint64_t deadline, uint64_t now)
{
	uint64_t left = deadline > now ? deadline - now : 0;

	if (left > INT32_MAX)
		left = INT32_MAX;
	if (*timeout_ms < 0 || left < (uint64_t)*timeout_ms)
		*timeout_ms = (int)left;
}

size_t server_pollfds(struct server *s, struct pollfd *p, int *timeout_ms)
{
	uint64_t now = clock_ms();
	size_t n = 0;

	if (s->lfd >= 0 && now < s->accept_resume_at)
		lower(timeout_ms, s->accept_resume_at, now);
	else if (s->lfd >= 0) {
		p[n] = (struct pollfd){ .fd = s->lfd, .events = POLLIN };
		s->map[n++] = SIZE_MAX;
	}
	if (s->js) {
		js_pollfd(s->js, &p[n], now, timeout_ms);
		s->map[n++] = MAP_JS;
	}
	for (size_t i = 0; i < s->max; i++) {
		struct conn *c = &s->conns[i];

		if (c->fd < 0)
			continue;
		p[n] = (struct pollfd){ .fd = c->fd, .events = c->events };
		s->map[n++] = i;
		if (c->busy)
			*timeout_ms = 0;
		else
			lower(timeout_ms, c->deadline, now);
	}
	s->n_map = n;
	n += http_pollfds(&s->http, p + n, now, timeout_ms);
	return n;
}

/* Every round: PubAcks, time-outs, retries. When any record was
 * settled, acks go out and connections waiting for room read again. */
static void js_results(struct server *s, short revents, uint64_t now)
{
	s->js->told = 0;
	js_handle(s->js, revents, now);
	if (!s->js->told)
		return;
	for (size_t i = 0; i < s->max; i++) {
		struct conn *c = &s->conns[i];

		if (c->fd < 0 || c->state != CONN_RECORDS)
			continue;
		if (c->blocked)
			conn_step(s, c, 0);
		else if (c->ack_due)
			conn_flush(s, c);
	}
}

void server_handle(struct server *s, const struct pollfd *p, size_t n)
{
	uint64_t now = clock_ms();
	size_t k;

	for (k = 0; s->js && k < s->n_map && k < n && k < 2; k++)
		if (s->map[k] == MAP_JS)
			js_results(s, p[k].revents, now);
	for (k = 0; k < s->n_map && k < n; k++) {
		struct conn *c;

		if (s->map[k] == SIZE_MAX) {
			if (p[k].revents & POLLIN)
				accept_all(s, now);
			continue;
		}
		if (s->map[k] == MAP_JS)
			continue;	/* taken above, whatever poll said */
		c = &s->conns[s->map[k]];
		if (c->fd != p[k].fd)
			continue;	/* ended and reused meanwhile */
		if (p[k].revents || c->busy)
			conn_step(s, c, p[k].revents);
		if (c->fd >= 0 && now >= c->deadline)
			conn_expire(s, c);
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
	free(s->slots);
	free(s->map);
	free(s->line.p);
	s->line.p = NULL;
	s->conns = NULL;
	s->slots = NULL;
	s->map = NULL;
}
