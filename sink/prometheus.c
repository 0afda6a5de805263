#include "prometheus.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "json_in.h"
#include "log.h"
#include "net.h"

int prom_open(struct prom_sink *p, const char *listen, unsigned long expiry_s, char *why,
	      size_t whylen)
{
	char bound[NET_NAME_MAX];
	int fd;

	memset(p, 0, sizeof *p);
	if (metrics_init(&p->m) < 0 || seen_init(&p->seen) < 0) {
		snprintf(why, whylen, "out of memory for metrics");
		return -1;
	}
	p->m.expiry_ms = (uint64_t)expiry_s * 1000;
	fd = net_listen(listen, bound, why, whylen);
	if (fd < 0)
		return -1;
	http_init(&p->http, fd, &p->m, NULL);
	log_msg("sink prometheus: metrics on http://%s/metrics", bound);
	return 0;
}

void prom_close(struct prom_sink *p)
{
	http_close_all(&p->http);
	metrics_free(&p->m);
	seen_free(&p->seen);
}

enum sink_took prom_take(void *ctx, const struct sink_msg *m, char *why, size_t whylen)
{
	struct prom_sink *p = ctx;
	struct json_val line, samples;
	struct seen_boot *b;
	const char *bad;
	int fresh;

	b = seen_get(&p->seen, m->host, m->boot_id, &fresh);
	if (seen_test(b, m->seq))
		return SINK_DUPLICATE;
	seen_mark(b, m->seq);
	if (json_parse(m->line, m->len, &line, &bad) < 0 ||
	    json_object_get(&line, "samples", &samples) < 0 || samples.type != JSON_ARRAY) {
		/* Not one to keep for Prometheus; nothing to write again later. */
		snprintf(why, whylen, "%s seq %llu: not a metrics line (%s)", m->host,
			 (unsigned long long)m->seq, json_parse(m->line, m->len, &line, &bad) < 0 ?
			 bad : "no \"samples\" array");
		log_msg("sink prometheus: %s; skipped", why);
		return SINK_TAKEN;
	}
	metrics_update_json(&p->m, m->host, samples.p, samples.len, clock_ms());
	return SINK_TAKEN;
}

int prom_sync(void *ctx, char *why, size_t whylen)
{
	(void)ctx;
	(void)why;
	(void)whylen;
	return 0;
}

void prom_idle(void *ctx, int timeout_ms)
{
	struct prom_sink *p = ctx;
	struct pollfd pfd[1 + HTTP_CONNS_MAX];
	uint64_t now = clock_ms();
	size_t n = http_pollfds(&p->http, pfd, now, &timeout_ms);

	if (poll(pfd, n, timeout_ms) < 0 && errno != EINTR)
		log_msg("sink prometheus: poll: %s", strerror(errno));
	now = clock_ms();
	http_handle(&p->http, pfd, n, now);
	metrics_expire(&p->m, now);
}
