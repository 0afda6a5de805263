#ifndef STELE_COLLECTOR_PUBWIN_H
#define STELE_COLLECTOR_PUBWIN_H

#include <stdint.h>

/* One connection's records between publish and ack (fleet mode). The
 * agent may be told {"ack": N} only when every record it sent up to N is
 * stored, and PubAcks come back in any order: records enter in the order
 * they were published, each is marked done when its PubAck comes, and
 * the ack moves over the done ones at the front, never past one still
 * waiting. Fixed size: a full window stops the connection's reading. */

#define PUBWIN_MAX 512u		/* a power of two */

struct pubwin {
	uint64_t seq[PUBWIN_MAX];
	uint8_t done[PUBWIN_MAX];
	uint64_t head, tail;	/* positions: head..tail-1 are waiting or done */
	uint64_t acked;		/* seq of the last record the front passed, 0: none */
};

void pubwin_init(struct pubwin *w);

static inline int pubwin_full(const struct pubwin *w)
{
	return w->tail - w->head == PUBWIN_MAX;
}

static inline uint64_t pubwin_waiting(const struct pubwin *w)
{
	return w->tail - w->head;
}

/* Adds seq at the back; returns its position. MUST NOT be called full. */
uint64_t pubwin_push(struct pubwin *w, uint64_t seq);

/* The record at pos is stored. A position outside the window is ignored
 * (returns -1): a late PubAck for a record the window already passed. */
int pubwin_done(struct pubwin *w, uint64_t pos);

/* Moves the front over done records; 1 if acked moved. */
int pubwin_advance(struct pubwin *w);

#endif
