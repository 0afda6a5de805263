#ifndef STELE_SINK_PROMETHEUS_H
#define STELE_SINK_PROMETHEUS_H

#include "http.h"
#include "metrics.h"
#include "seen.h"
#include "sink.h"

/* The prometheus sink: the latest samples of every host, from
 * stele.metrics.>, served like the embedded collector's /metrics
 * (instance="HOST", scraped with honor_labels: true). Its "durable
 * write" is the table in memory: a sample that replaces another needs no
 * disk, and after a restart the next metrics record of each host (every
 * 10 s) fills it again. */

struct prom_sink {
	struct metrics m;
	struct http http;
	struct seen seen;
};

/* Listens on listen (ADDR:PORT); hosts silent for expiry_s leave. 0, or
 * -1 with why. */
int prom_open(struct prom_sink *p, const char *listen, unsigned long expiry_s, char *why,
	      size_t whylen);
void prom_close(struct prom_sink *p);

enum sink_took prom_take(void *ctx, const struct sink_msg *m, char *why, size_t whylen);
int prom_sync(void *ctx, char *why, size_t whylen);
void prom_idle(void *ctx, int timeout_ms);

#endif
