#ifndef STELE_CLOCK_H
#define STELE_CLOCK_H

#include <stdint.h>
#include <time.h>

/* Milliseconds on the monotonic clock: every deadline of PID 1, the agent
 * and the collector. */
static inline uint64_t clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Realtime now, in ns since the epoch: the "t" of the agent's records. */
static inline int64_t clock_realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#endif
