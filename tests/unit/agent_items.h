#ifndef STELE_AGENT_ITEMS_H
#define STELE_AGENT_ITEMS_H

/* Looking into the records an agent test made: every kept record in
 * order, and whether one carries a field, found as its CBOR bytes (key
 * and value, as record.c writes them). */
#include <string.h>

#include "agent.h"

#define ITEMS_MAX 512

struct items {
	const unsigned char *p[ITEMS_MAX];
	size_t len[ITEMS_MAX];
	unsigned n;
};

/* Every record the ring keeps, oldest first (the ring is then rewound). */
static inline void items_get(struct ring *r, struct items *it)
{
	uint64_t seq;
	size_t len;

	ring_rewind(r);
	it->n = 0;
	while (it->n < ITEMS_MAX && (len = ring_next(r, &it->p[it->n], &seq)) > 0) {
		it->len[it->n++] = len;
		ring_sent(r);
	}
	ring_rewind(r);
}

static inline size_t cbor_head(unsigned char *o, unsigned major, uint64_t v)
{
	if (v < 24) {
		o[0] = (unsigned char)(major << 5 | v);
		return 1;
	}
	if (v < 256) {
		o[0] = (unsigned char)(major << 5 | 24);
		o[1] = (unsigned char)v;
		return 2;
	}
	if (v < 65536) {
		o[0] = (unsigned char)(major << 5 | 25);
		o[1] = (unsigned char)(v >> 8);
		o[2] = (unsigned char)v;
		return 3;
	}
	o[0] = (unsigned char)(major << 5 | 26);
	for (int i = 0; i < 4; i++)
		o[1 + i] = (unsigned char)(v >> (24 - 8 * i));
	return 5;
}

/* "key": value (text of vlen bytes, or a uint if v is NULL). */
static inline int item_has(const unsigned char *p, size_t n, const char *key, const char *v,
			   size_t vlen, uint64_t u)
{
	static unsigned char want[RING_RECORD_MAX + 64];
	size_t k = cbor_head(want, 3, strlen(key));

	memcpy(want + k, key, strlen(key));
	k += strlen(key);
	if (v) {
		k += cbor_head(want + k, 3, vlen);
		memcpy(want + k, v, vlen);
		k += vlen;
	} else {
		k += cbor_head(want + k, 0, u);
	}
	return memmem(p, n, want, k) != NULL;
}

#define ITEM_TEXT(it, i, key, s) item_has((it)->p[i], (it)->len[i], key, s, strlen(s), 0)
#define ITEM_UINT(it, i, key, u) item_has((it)->p[i], (it)->len[i], key, NULL, 0, u)
static inline int item_key(const unsigned char *p, size_t n, const char *key)
{
	unsigned char want[64];
	size_t k = cbor_head(want, 3, strlen(key));

	memcpy(want + k, key, strlen(key));
	return memmem(p, n, want, k + strlen(key)) != NULL;
}

#define ITEM_KEY(it, i, key) item_key((it)->p[i], (it)->len[i], key)

#endif
