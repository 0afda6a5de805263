#ifndef STELE_NTP_CLOCK_SET_H
#define STELE_NTP_CLOCK_SET_H

#include <stdint.h>

/* Changing this machine's clock: each needs CAP_SYS_TIME. Each returns 0,
 * or -1 with errno. */

/* An offset above this is stepped (before the first synchronization);
 * below, slewed. */
#define CLOCK_STEP_NS 128000000LL
/* One slew asks for at most this much; the kernel slews at 500 ppm, so
 * half a second takes about 17 minutes. */
#define CLOCK_SLEW_MAX_NS 500000000LL

/* CLOCK_REALTIME += offset_ns, at once. */
int clock_step(int64_t offset_ns);

/* Slews by offset_ns (clamped to CLOCK_SLEW_MAX_NS either way) with
 * adjtime's ADJ_OFFSET_SINGLESHOT, replacing any slew still going on. */
int clock_slew(int64_t offset_ns);

/* Tells the kernel the clock is synchronized: STA_UNSYNC cleared (the
 * other status bits kept), maxerror and esterror set, so that adjtimex
 * stops returning TIME_ERROR. The kernel adds 500 ppm to maxerror each
 * second and marks the clock unsynchronized again once it passes 16 s
 * (about nine hours without a good answer). */
int clock_mark_synced(int64_t maxerror_ns, int64_t esterror_ns);

#endif
