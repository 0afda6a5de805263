#ifndef STELE_WATCHDOG_H
#define STELE_WATCHDOG_H

#include <stdint.h>

/* The hardware watchdog, when there is one: PID 1 arms it and feeds it
 * from its loop, so a hung PID 1 (or kernel) resets the machine. It is
 * never closed: a machine that hangs on the way down is reset too. */
#define WATCHDOG_TIMEOUT_S 30

/* Opens and arms /dev/watchdog; -1 if there is none. */
int watchdog_open(void);

/* Feeds it if now has reached *next_ms; sets *next_ms to the next feed. */
void watchdog_feed(int fd, uint64_t now, uint64_t *next_ms);

#endif
