#ifndef STELE_SINK_SEEN_H
#define STELE_SINK_SEEN_H

#include <stddef.h>
#include <stdint.h>

#include "store.h"

/* Which records of each boot a sink has taken, so that a message
 * JetStream delivers again (its ack was lost, the sink restarted) is
 * taken once. A boot's records need not come in seq order: a collector
 * tries a failed publish again after later ones went through. So each
 * boot keeps the highest seq taken and a window of SEEN_WINDOW bits
 * below it; a seq older than the window is counted as seen (a collector
 * has at most JS_SLOTS_MAX records out, far fewer than the window).
 * Fixed size: the least recently used boot is forgotten first, and a
 * forgotten boot comes back fresh (the files sink reloads it). */

#define SEEN_WINDOW 16384u		/* a multiple of 64 */
#define SEEN_BOOTS_MAX 1024

struct seen_boot {
	char host[STORE_NAME_MAX + 1], boot_id[STORE_NAME_MAX + 1];
	uint64_t last;			/* highest seq taken, 0: none */
	uint64_t used;
	int in_use;
	uint64_t bits[SEEN_WINDOW / 64];
};

struct seen {
	struct seen_boot *boot;		/* SEEN_BOOTS_MAX of them */
	uint64_t tick;
};

int seen_init(struct seen *s);
void seen_free(struct seen *s);

/* Forgets every boot (after a failed write: what was marked may not be
 * stored). */
void seen_reset(struct seen *s);

/* The boot of (host, boot_id); *fresh is 1 if it was not known. */
struct seen_boot *seen_get(struct seen *s, const char *host, const char *boot_id, int *fresh);

/* 1 if seq was taken, or is older than the window. */
int seen_test(const struct seen_boot *b, uint64_t seq);
void seen_mark(struct seen_boot *b, uint64_t seq);

#endif
