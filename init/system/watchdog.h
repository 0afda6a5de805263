#ifndef STELE_WATCHDOG_H
#define STELE_WATCHDOG_H

#include <stdint.h>

/* The hardware watchdog, when there is one: PID 1 arms it and feeds it
 * from its loop, so a hung PID 1 (or kernel) resets the machine. It is
 * never closed: a machine that hangs on the way down is reset too. */

struct watchdog {
	int fd;			/* -1: none, or not armed */
	unsigned timeout_s;	/* what the driver accepted */
	uint64_t next_ms;	/* next feed */
};

/* Opens /dev/watchdog and arms it with timeout_s (stele.watchdog=); 0
 * leaves it alone. */
void watchdog_open(struct watchdog *w, unsigned timeout_s);

/* Feeds it if now has reached next_ms, and schedules the next feed. */
void watchdog_feed(struct watchdog *w, uint64_t now);

#endif
