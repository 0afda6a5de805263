#ifndef STELE_COLLECTOR_JS_SLOTS_H
#define STELE_COLLECTOR_JS_SLOTS_H

#include <stddef.h>
#include <stdint.h>

/* Publishes awaiting their PubAck, all connections together: who sent
 * each (connection index and generation, position in its window), how
 * often it was tried, and, for the library's callback that only hands
 * back the message, a map from the message to its slot. Fixed size,
 * single-threaded (the collector's loop). */

#define JS_SLOTS_MAX 8192u		/* a power of two */
#define JS_SLOT_NONE UINT32_MAX

enum js_slot_state { JS_SLOT_FREE, JS_SLOT_SENT, JS_SLOT_RETRY };

struct js_slot {
	const void *msg;		/* the library's message, the map's key */
	uint32_t conn, gen;		/* JS_SLOT_NONE: its connection ended */
	uint64_t pos;			/* in that connection's pubwin */
	uint64_t seq;
	uint64_t retry_at;		/* JS_SLOT_RETRY: monotonic ms */
	uint8_t state, tries;
};

struct js_slots {
	struct js_slot slot[JS_SLOTS_MAX];
	uint32_t map[2 * JS_SLOTS_MAX];	/* slot index + 1 by msg hash, 0: empty */
	uint32_t free_list[JS_SLOTS_MAX];
	size_t n_free;
	size_t retrying;		/* slots in JS_SLOT_RETRY */
};

void js_slots_init(struct js_slots *t);

static inline size_t js_slots_used(const struct js_slots *t)
{
	return JS_SLOTS_MAX - t->n_free;
}

/* A free slot for msg, mapped; JS_SLOT_NONE if all are taken. */
uint32_t js_slots_take(struct js_slots *t, const void *msg);

/* The slot of msg, or JS_SLOT_NONE. */
uint32_t js_slots_find(const struct js_slots *t, const void *msg);

/* Unmaps and frees slot i. */
void js_slots_free(struct js_slots *t, uint32_t i);

#endif
