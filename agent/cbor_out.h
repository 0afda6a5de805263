#ifndef STELE_AGENT_CBOR_OUT_H
#define STELE_AGENT_CBOR_OUT_H

#include <stddef.h>
#include <stdint.h>

/* Writes CBOR into a caller's buffer with libcbor's cbor_encode_*
 * functions. Errors stick (BearSSL style): once something does not fit,
 * every later call does nothing and cbw_len() returns 0. */
struct cbw {
	unsigned char *buf;
	size_t cap, len;
	int full;
};

void cbw_init(struct cbw *w, unsigned char *buf, size_t cap);
size_t cbw_len(const struct cbw *w);	/* 0 if anything did not fit */

void cbw_map(struct cbw *w, size_t pairs);
void cbw_array(struct cbw *w, size_t items);
void cbw_uint(struct cbw *w, uint64_t v);
void cbw_int(struct cbw *w, int64_t v);
void cbw_bool(struct cbw *w, int v);
void cbw_number(struct cbw *w, double v);	/* integral values as integers */
void cbw_text(struct cbw *w, const char *s, size_t n);
void cbw_str(struct cbw *w, const char *s);	/* NUL-terminated text */
void cbw_bytes(struct cbw *w, const void *p, size_t n);

/* An array whose length is known only at the end: a 2-byte length header
 * (0x99 NN NN) patched by cbw_array_end. At most 65535 items. */
size_t cbw_array_begin(struct cbw *w);
void cbw_array_end(struct cbw *w, size_t at, size_t items);

/* 1 if s[n] is well-formed UTF-8 (RFC 3629: no overlongs, no surrogates). */
int utf8_valid(const char *s, size_t n);

#endif
