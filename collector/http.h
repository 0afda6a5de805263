#ifndef STELE_COLLECTOR_HTTP_H
#define STELE_COLLECTOR_HTTP_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "metrics.h"

/* GET /metrics: the Prometheus text exposition of struct metrics, over
 * plain HTTP on a local port (DESIGN §7). One request per connection,
 * answered and closed; any other path is 404, any other method 405. It
 * shares the collector's poll loop and never blocks it. */

#define HTTP_CONNS_MAX 16
#define HTTP_REQ_MAX 4096		/* request line and headers */
#define HTTP_TIMEOUT_MS 10000
#define HTTP_BODY_MAX (64u << 20)

struct http_conn {
	int fd;				/* -1: free */
	uint64_t deadline;
	size_t req_len;
	char req[HTTP_REQ_MAX];
	struct jbuf resp;		/* allocated while answering */
	size_t start, sent;		/* resp.p[start..len) is the answer */
};

struct http {
	int lfd;
	struct http_conn c[HTTP_CONNS_MAX];
	struct metrics *m;
	const struct collector_stats *stats;
};

void http_init(struct http *h, int lfd, struct metrics *m, const struct collector_stats *stats);

/* Fills p[] with the listening socket and the open connections; returns
 * how many, lowering *timeout_ms to the nearest deadline. */
size_t http_pollfds(struct http *h, struct pollfd *p, uint64_t now, int *timeout_ms);
void http_handle(struct http *h, const struct pollfd *p, size_t n, uint64_t now);

/* Answers the request in req[0..len) (complete): the response, headers
 * and body, in r (allocated); r->p[*start..r->len) is what to send. */
int http_answer(struct http *h, const char *req, size_t len, struct jbuf *r, size_t *start);

void http_close_all(struct http *h);

#endif
