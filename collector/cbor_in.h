#ifndef STELE_COLLECTOR_CBOR_IN_H
#define STELE_COLLECTOR_CBOR_IN_H

#include <stddef.h>
#include <stdint.h>

/* Reading the agent's CBOR sequence (RFC 8742) without allocating: the
 * subset DESIGN §6 needs, definite lengths only. Indefinite lengths and
 * tags are refused: the agent never sends them, and refusing them keeps
 * every item's extent computable from its heads alone. */

#define CBOR_ITEM_MAX 65536	/* bytes, one item, DESIGN §6 */

/* Finding where an item ends, resumably: bytes arrive in pieces, and an
 * item is only handed on once all of it is there. The scan never looks at
 * a byte twice, so a peer sending one byte at a time costs no more than
 * one sending everything at once. */
struct cbor_scan {
	size_t off;		/* bytes of the current item already scanned */
	uint64_t left;		/* data items still to come in it */
};

void cbor_scan_reset(struct cbor_scan *s);

/* buf[0..n) starts with the current item (the same bytes as the previous
 * call, and maybe more). Returns the item's length once it is complete
 * (then reset for the next), 0 if more bytes are needed, -1 if it is not
 * well-formed or larger than CBOR_ITEM_MAX: *why says which. */
long cbor_scan_item(struct cbor_scan *s, const unsigned char *buf, size_t n, const char **why);

enum cbor_vtype {
	CBV_UINT, CBV_NINT, CBV_BYTES, CBV_TEXT, CBV_ARRAY, CBV_MAP,
	CBV_FALSE, CBV_TRUE, CBV_NULL, CBV_UNDEF, CBV_SIMPLE, CBV_FLOAT,
};

/* One head, and a string's content. For CBV_NINT the value is -1 - u.
 * For arrays u is the number of items, for maps the number of pairs. */
struct cbor_val {
	enum cbor_vtype type;
	uint64_t u;
	double f;
	const unsigned char *p;	/* string content, u bytes */
};

/* Reads the head at p[0..n) (and a string's content). Returns the bytes it
 * took, 0 if they are not there or not well-formed. Every function here is
 * bounds-checked: none reads past p + n, whatever the bytes. */
size_t cbor_read(const unsigned char *p, size_t n, struct cbor_val *v);

/* The length of the whole item at p[0..n) (containers included), 0 if it
 * is not complete and well-formed. */
size_t cbor_skip(const unsigned char *p, size_t n);

/* A cursor over a complete item, for walking maps and arrays. */
struct cbor_cur {
	const unsigned char *p, *end;
};

/* Takes the next item's head into v; returns 0, or -1 at the end or on
 * anything malformed. cbor_next_skip() steps over a whole item. */
int cbor_next(struct cbor_cur *c, struct cbor_val *v);
int cbor_next_skip(struct cbor_cur *c, const unsigned char **item, size_t *len);

/* Text equality for map keys; inline, so that a literal's length is
 * known when compiling (this runs for every key of every record). */
static inline int cbor_text_is(const struct cbor_val *v, const char *s)
{
	size_t n = __builtin_strlen(s);

	return v->type == CBV_TEXT && v->u == n && __builtin_memcmp(v->p, s, n) == 0;
}

#endif
