#include "js_slots.h"

#include <stdlib.h>
#include <string.h>

void js_slots_init(struct js_slots *t)
{
	memset(t, 0, sizeof *t);
	for (uint32_t i = 0; i < JS_SLOTS_MAX; i++)
		t->free_list[i] = JS_SLOTS_MAX - 1 - i;
	t->n_free = JS_SLOTS_MAX;
}

uint32_t js_slots_take(struct js_slots *t, const char *line, size_t len, const char *host,
		       const char *boot_id)
{
	size_t hl = strlen(host) + 1, bl = strlen(boot_id) + 1;
	struct js_slot *s;
	char *copy;
	uint32_t i;

	if (t->n_free == 0 || len > UINT32_MAX / 2 || !(copy = malloc(len + hl + bl)))
		return JS_SLOT_NONE;
	memcpy(copy, line, len);
	memcpy(copy + len, host, hl);
	memcpy(copy + len + hl, boot_id, bl);
	i = t->free_list[--t->n_free];
	s = &t->slot[i];
	*s = (struct js_slot){ .line = copy, .len = (uint32_t)len, .host = copy + len,
			       .boot_id = copy + len + hl, .use = s->use + 1,
			       .state = JS_SLOT_SENT, .conn = JS_SLOT_NONE };
	t->bytes += len;
	return i;
}

uint64_t js_slots_token(const struct js_slots *t, uint32_t i)
{
	return (uint64_t)t->slot[i].use << 32 | i;
}

uint32_t js_slots_find(const struct js_slots *t, uint64_t token)
{
	uint32_t i = (uint32_t)token;

	if (i >= JS_SLOTS_MAX || t->slot[i].state == JS_SLOT_FREE ||
	    t->slot[i].use != (uint32_t)(token >> 32))
		return JS_SLOT_NONE;
	return i;
}

void js_slots_set_state(struct js_slots *t, uint32_t i, enum js_slot_state st, uint64_t at)
{
	struct js_slot *s = &t->slot[i];

	t->retrying += (st == JS_SLOT_RETRY) - (s->state == JS_SLOT_RETRY);
	s->state = (uint8_t)st;
	s->at = at;
}

void js_slots_free(struct js_slots *t, uint32_t i)
{
	struct js_slot *s = &t->slot[i];

	if (s->state == JS_SLOT_RETRY)
		t->retrying--;
	t->bytes -= s->len;
	free(s->line);
	s->line = NULL;
	s->len = 0;
	s->state = JS_SLOT_FREE;
	t->free_list[t->n_free++] = i;
}
