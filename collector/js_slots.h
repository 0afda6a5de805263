#ifndef STELE_COLLECTOR_JS_SLOTS_H
#define STELE_COLLECTOR_JS_SLOTS_H

#include <stddef.h>
#include <stdint.h>

/* Publishes awaiting their PubAck, all connections together: who sent
 * each (connection index and generation, position in its window), its
 * line (kept to send again), how often it was tried and until when its
 * answer is awaited. An answer names its slot by token: index and the
 * slot's generation, so that an answer for a slot's earlier record is
 * told apart. Fixed number of slots, single-threaded. */

#define JS_SLOTS_MAX 8192u
#define JS_SLOT_NONE UINT32_MAX
#define JS_KIND_MAX 16

enum js_slot_state { JS_SLOT_FREE, JS_SLOT_SENT, JS_SLOT_RETRY };

struct js_slot {
	uint32_t conn, gen;		/* the connection's */
	uint64_t pos;			/* in that connection's pubwin */
	uint64_t seq;
	uint64_t at;			/* SENT: answer due by; RETRY: send again at (ms) */
	char *line;			/* a copy, len bytes, then host and boot id */
	const char *host, *boot_id;	/* in the same allocation */
	uint32_t len;
	uint32_t use;			/* the slot's generation, in its token */
	uint8_t state, tries;
	char kind[JS_KIND_MAX + 1];
};

struct js_slots {
	struct js_slot slot[JS_SLOTS_MAX];
	uint32_t free_list[JS_SLOTS_MAX];
	size_t n_free;
	size_t retrying;		/* slots in JS_SLOT_RETRY */
	uint64_t bytes;			/* of the lines kept */
};

void js_slots_init(struct js_slots *t);

static inline size_t js_slots_used(const struct js_slots *t)
{
	return JS_SLOTS_MAX - t->n_free;
}

/* A free slot keeping a copy of line[0..len), host and boot_id;
 * JS_SLOT_NONE if all are taken or out of memory. */
uint32_t js_slots_take(struct js_slots *t, const char *line, size_t len, const char *host,
		       const char *boot_id);

/* The token of slot i's present use, and the slot a token names if it is
 * still that use (else JS_SLOT_NONE). */
uint64_t js_slots_token(const struct js_slots *t, uint32_t i);
uint32_t js_slots_find(const struct js_slots *t, uint64_t token);

void js_slots_set_state(struct js_slots *t, uint32_t i, enum js_slot_state st, uint64_t at);

/* Frees slot i and its line. */
void js_slots_free(struct js_slots *t, uint32_t i);

#endif
