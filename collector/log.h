#ifndef STELE_COLLECTOR_LOG_H
#define STELE_COLLECTOR_LOG_H

#include <stdint.h>

/* One line on stderr, "collector: " first, written with one write(2) so
 * that lines never interleave; longer than 1 KiB is cut. errno is kept. */
void log_msg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* For lines a peer can cause at will (a flood of refused connections):
 * at most LOG_BURST of them per second through one limit; the rest are
 * counted, and the next line let through says how many were not. */
#define LOG_BURST 20

struct log_limit {
	uint64_t window;		/* the second (monotonic ms / 1000) counted */
	unsigned in_window;
	uint64_t suppressed;
};

void log_limited(struct log_limit *l, uint64_t now_ms, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
