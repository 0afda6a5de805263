#include "http.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "log.h"

#define HEAD_ROOM 256	/* the status line and headers go before the body */

void http_init(struct http *h, int lfd, struct metrics *m, const struct collector_stats *stats)
{
	memset(h, 0, sizeof *h);
	h->lfd = lfd;
	h->m = m;
	h->stats = stats;
	for (size_t i = 0; i < HTTP_CONNS_MAX; i++)
		h->c[i].fd = -1;
}

static void conn_close(struct http_conn *c)
{
	close(c->fd);
	c->fd = -1;
	free(c->resp.p);
	memset(&c->resp, 0, sizeof c->resp);
}

void http_close_all(struct http *h)
{
	for (size_t i = 0; i < HTTP_CONNS_MAX; i++)
		if (h->c[i].fd >= 0)
			conn_close(&h->c[i]);
	if (h->lfd >= 0)
		close(h->lfd);
	h->lfd = -1;
}

size_t http_pollfds(struct http *h, struct pollfd *p, uint64_t now, int *timeout_ms)
{
	size_t n = 0;

	if (h->lfd < 0)
		return 0;
	p[n++] = (struct pollfd){ .fd = h->lfd, .events = POLLIN };
	for (size_t i = 0; i < HTTP_CONNS_MAX; i++) {
		struct http_conn *c = &h->c[i];
		uint64_t left;

		if (c->fd < 0)
			continue;
		p[n++] = (struct pollfd){ .fd = c->fd, .events = c->resp.p ? POLLOUT : POLLIN };
		left = c->deadline > now ? c->deadline - now : 0;
		if (*timeout_ms < 0 || left < (uint64_t)*timeout_ms)
			*timeout_ms = (int)left;
	}
	return n;
}

/* The body, rendered into a buffer that grows until it fits. */
static int render(struct http *h, struct jbuf *r)
{
	size_t cap = 65536;

	metrics_expire(h->m, clock_ms());
	for (;;) {
		char *p = realloc(r->p, cap);

		if (!p)
			return -1;
		*r = (struct jbuf){ p, HEAD_ROOM, cap, 0 };
		if (metrics_render(h->m, h->stats, r) == 0)
			return 0;
		if (cap >= HTTP_BODY_MAX)
			return -1;
		cap *= 2;
	}
}

int http_answer(struct http *h, const char *req, size_t len, struct jbuf *r, size_t *start)
{
	const char *end = req + len, *path = memchr(req, ' ', len), *status = "200 OK";
	size_t mlen = path ? (size_t)(path - req) : len, plen = 0;
	int head = mlen == 4 && memcmp(req, "HEAD", 4) == 0;
	char top[HEAD_ROOM];
	int n;

	if (path) {
		path++;
		while (path + plen < end && path[plen] != ' ' && path[plen] != '?' &&
		       path[plen] != '\r' && path[plen] != '\n')
			plen++;
	}
	memset(r, 0, sizeof *r);
	if (!head && !(mlen == 3 && memcmp(req, "GET", 3) == 0))
		status = "405 Method Not Allowed";
	else if (!(plen == 8 && memcmp(path, "/metrics", 8) == 0))
		status = "404 Not Found";
	else if (render(h, r) < 0)
		status = "500 Internal Server Error";
	if (status[0] != '2') {
		free(r->p);
		r->p = malloc(HEAD_ROOM + 64);
		if (!r->p)
			return -1;
		*r = (struct jbuf){ r->p, HEAD_ROOM, HEAD_ROOM + 64, 0 };
		jb_cstr(r, status + 4);
		jb_raw(r, "\n", 1);
	}
	n = snprintf(top, sizeof top,
		     "HTTP/1.1 %s\r\n"
		     "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
		     "Content-Length: %zu\r\n"
		     "%s"
		     "Connection: close\r\n\r\n",
		     status, r->len - HEAD_ROOM, status[0] == '4' && status[2] == '5' ?
		     "Allow: GET, HEAD\r\n" : "");
	*start = HEAD_ROOM - (size_t)n;
	memcpy(r->p + *start, top, (size_t)n);
	if (head)
		r->len = HEAD_ROOM;
	return 0;
}

static void accept_all(struct http *h, uint64_t now)
{
	for (;;) {
		struct http_conn *c = NULL;
		int fd = accept4(h->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0)
			return;
		for (size_t i = 0; i < HTTP_CONNS_MAX && !c; i++)
			if (h->c[i].fd < 0)
				c = &h->c[i];
		if (!c) {
			close(fd);	/* a scraper retries */
			continue;
		}
		c->fd = fd;
		c->deadline = now + HTTP_TIMEOUT_MS;
		c->req_len = 0;
		c->sent = 0;
	}
}

static void step(struct http *h, struct http_conn *c, short revents, uint64_t now)
{
	if (now >= c->deadline || (revents & (POLLERR | POLLNVAL))) {
		conn_close(c);
		return;
	}
	if (!c->resp.p && (revents & (POLLIN | POLLHUP))) {
		ssize_t r = read(c->fd, c->req + c->req_len, sizeof c->req - c->req_len);

		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (r <= 0) {
			conn_close(c);
			return;
		}
		c->req_len += (size_t)r;
		if (!memmem(c->req, c->req_len, "\r\n\r\n", 4) && !memmem(c->req, c->req_len, "\n\n", 2)) {
			if (c->req_len == sizeof c->req) {
				static const char e[] = "HTTP/1.1 431 Request Header Fields Too Large\r\n"
							"Connection: close\r\nContent-Length: 0\r\n\r\n";

				(void)!send(c->fd, e, sizeof e - 1, MSG_NOSIGNAL);
				conn_close(c);
			}
			return;
		}
		if (http_answer(h, c->req, c->req_len, &c->resp, &c->sent) < 0) {
			conn_close(c);
			return;
		}
		c->start = c->sent;
	}
	if (c->resp.p) {
		ssize_t r = send(c->fd, c->resp.p + c->sent, c->resp.len - c->sent, MSG_NOSIGNAL);

		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (r < 0) {
			conn_close(c);
			return;
		}
		c->sent += (size_t)r;
		if (c->sent == c->resp.len)
			conn_close(c);
	}
}

void http_handle(struct http *h, const struct pollfd *p, size_t n, uint64_t now)
{
	if (n == 0)
		return;
	if (p[0].revents & POLLIN)
		accept_all(h, now);
	for (size_t k = 1; k < n; k++)
		for (size_t i = 0; i < HTTP_CONNS_MAX; i++)
			if (h->c[i].fd == p[k].fd && h->c[i].fd >= 0) {
				step(h, &h->c[i], p[k].revents, now);
				break;
			}
	for (size_t i = 0; i < HTTP_CONNS_MAX; i++)
		if (h->c[i].fd >= 0 && now >= h->c[i].deadline)
			conn_close(&h->c[i]);
}
