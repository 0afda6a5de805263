#include "seen.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

int seen_init(struct seen *s)
{
	s->tick = 0;
	s->boot = calloc(SEEN_BOOTS_MAX, sizeof *s->boot);
	return s->boot ? 0 : -1;
}

void seen_free(struct seen *s)
{
	free(s->boot);
	s->boot = NULL;
}

void seen_reset(struct seen *s)
{
	for (size_t i = 0; i < SEEN_BOOTS_MAX; i++)
		s->boot[i].in_use = 0;
}

struct seen_boot *seen_get(struct seen *s, const char *host, const char *boot_id, int *fresh)
{
	struct seen_boot *lru = NULL, *b;

	for (size_t i = 0; i < SEEN_BOOTS_MAX; i++) {
		b = &s->boot[i];
		if (b->in_use && strcmp(b->boot_id, boot_id) == 0 && strcmp(b->host, host) == 0) {
			b->used = ++s->tick;
			*fresh = 0;
			return b;
		}
		if (!lru || !b->in_use || (lru->in_use && b->used < lru->used))
			lru = b;
	}
	b = lru;
	memset(b, 0, sizeof *b);
	snprintf(b->host, sizeof b->host, "%s", host);
	snprintf(b->boot_id, sizeof b->boot_id, "%s", boot_id);
	b->in_use = 1;
	b->used = ++s->tick;
	*fresh = 1;
	return b;
}

static int bit(const struct seen_boot *b, uint64_t seq)
{
	uint64_t i = seq % SEEN_WINDOW;

	return (int)(b->bits[i / 64] >> (i % 64) & 1);
}

int seen_test(const struct seen_boot *b, uint64_t seq)
{
	if (seq > b->last)
		return 0;
	if (b->last - seq >= SEEN_WINDOW)
		return 1;
	return bit(b, seq);
}

void seen_mark(struct seen_boot *b, uint64_t seq)
{
	uint64_t i;

	if (seq > b->last) {
		if (seq - b->last >= SEEN_WINDOW) {
			memset(b->bits, 0, sizeof b->bits);
		} else {
			/* The cells of last+1..seq held seqs a window older. */
			for (uint64_t x = b->last + 1; x < seq; x++) {
				i = x % SEEN_WINDOW;
				b->bits[i / 64] &= ~(1ull << (i % 64));
			}
		}
		b->last = seq;
	} else if (b->last - seq >= SEEN_WINDOW) {
		return;
	}
	i = seq % SEEN_WINDOW;
	b->bits[i / 64] |= 1ull << (i % 64);
}
