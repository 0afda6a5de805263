#ifndef STELE_TEST_COLLECTOR_CBOR_H
#define STELE_TEST_COLLECTOR_CBOR_H

/* Building CBOR items for the collector's tests with libcbor's encoders,
 * the ones the agent uses: what the collector reads is what an agent
 * writes. */

#include <stdbool.h>
#include <string.h>

#include <cbor.h>

struct cb {
	unsigned char b[80000];
	size_t n;
};

#define CB_ROOM(c) ((c)->b + (c)->n), (sizeof (c)->b - (c)->n)

static inline void cb_uint(struct cb *c, uint64_t v) { c->n += cbor_encode_uint(v, CB_ROOM(c)); }
static inline void cb_neg(struct cb *c, uint64_t v) { c->n += cbor_encode_negint(v, CB_ROOM(c)); }
static inline void cb_map(struct cb *c, size_t n) { c->n += cbor_encode_map_start(n, CB_ROOM(c)); }
static inline void cb_array(struct cb *c, size_t n) { c->n += cbor_encode_array_start(n, CB_ROOM(c)); }
static inline void cb_double(struct cb *c, double d) { c->n += cbor_encode_double(d, CB_ROOM(c)); }
static inline void cb_single(struct cb *c, float f) { c->n += cbor_encode_single(f, CB_ROOM(c)); }
static inline void cb_half(struct cb *c, float f) { c->n += cbor_encode_half(f, CB_ROOM(c)); }
static inline void cb_bool(struct cb *c, bool v) { c->n += cbor_encode_bool(v, CB_ROOM(c)); }
static inline void cb_null(struct cb *c) { c->n += cbor_encode_null(CB_ROOM(c)); }
static inline void cb_undef(struct cb *c) { c->n += cbor_encode_undef(CB_ROOM(c)); }

static inline void cb_textn(struct cb *c, const char *s, size_t len)
{
	c->n += cbor_encode_string_start(len, CB_ROOM(c));
	memcpy(c->b + c->n, s, len);
	c->n += len;
}

static inline void cb_text(struct cb *c, const char *s) { cb_textn(c, s, strlen(s)); }

static inline void cb_bytes(struct cb *c, const void *p, size_t len)
{
	c->n += cbor_encode_bytestring_start(len, CB_ROOM(c));
	memcpy(c->b + c->n, p, len);
	c->n += len;
}

static inline void cb_raw(struct cb *c, const void *p, size_t len)
{
	memcpy(c->b + c->n, p, len);
	c->n += len;
}

/* key: text value */
static inline void cb_kv(struct cb *c, const char *k, const char *v)
{
	cb_text(c, k);
	cb_text(c, v);
}

static inline void cb_ku(struct cb *c, const char *k, uint64_t v)
{
	cb_text(c, k);
	cb_uint(c, v);
}

#endif
