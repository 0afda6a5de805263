#include "js_slots.h"

#include <string.h>

#define MAP_MASK (2 * JS_SLOTS_MAX - 1)

static uint32_t hash(const void *p)
{
	uint64_t x = (uint64_t)(uintptr_t)p;

	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return (uint32_t)x & MAP_MASK;
}

void js_slots_init(struct js_slots *t)
{
	memset(t, 0, sizeof *t);
	for (uint32_t i = 0; i < JS_SLOTS_MAX; i++)
		t->free_list[i] = JS_SLOTS_MAX - 1 - i;
	t->n_free = JS_SLOTS_MAX;
}

uint32_t js_slots_take(struct js_slots *t, const void *msg)
{
	uint32_t i, h;

	if (t->n_free == 0)
		return JS_SLOT_NONE;
	i = t->free_list[--t->n_free];
	t->slot[i] = (struct js_slot){ .msg = msg, .state = JS_SLOT_SENT, .conn = JS_SLOT_NONE };
	for (h = hash(msg); t->map[h]; h = (h + 1) & MAP_MASK)
		;
	t->map[h] = i + 1;
	return i;
}

uint32_t js_slots_find(const struct js_slots *t, const void *msg)
{
	/* At most half the map is used: an empty entry ends every probe. */
	for (uint32_t h = hash(msg); t->map[h]; h = (h + 1) & MAP_MASK)
		if (t->slot[t->map[h] - 1].msg == msg)
			return t->map[h] - 1;
	return JS_SLOT_NONE;
}

/* Backward-shift deletion: the entries after the hole that probed past
 * it move up, so that no probe meets an empty entry too early. */
static void unmap(struct js_slots *t, uint32_t h)
{
	uint32_t hole = h;

	for (uint32_t j = (h + 1) & MAP_MASK; t->map[j]; j = (j + 1) & MAP_MASK) {
		uint32_t home = hash(t->slot[t->map[j] - 1].msg);

		if (((j - home) & MAP_MASK) >= ((j - hole) & MAP_MASK)) {
			t->map[hole] = t->map[j];
			hole = j;
		}
	}
	t->map[hole] = 0;
}

void js_slots_free(struct js_slots *t, uint32_t i)
{
	const void *msg = t->slot[i].msg;

	for (uint32_t h = hash(msg); t->map[h]; h = (h + 1) & MAP_MASK)
		if (t->map[h] == i + 1) {
			unmap(t, h);
			break;
		}
	if (t->slot[i].state == JS_SLOT_RETRY)
		t->retrying--;
	t->slot[i].state = JS_SLOT_FREE;
	t->slot[i].msg = NULL;
	t->free_list[t->n_free++] = i;
}
