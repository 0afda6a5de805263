#include "cbor_in.h"

#include <math.h>
#include <string.h>

void cbor_scan_reset(struct cbor_scan *s)
{
	s->off = 0;
	s->left = 0;
}

static uint64_t be(const unsigned char *p, size_t n)
{
	uint64_t v = 0;

	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* The head at p: its length (1, 2, 3, 5 or 9), or 0 for additional
 * information 28-31 (reserved, or indefinite length / break). */
static size_t head_len(unsigned char ib)
{
	unsigned ai = ib & 31;

	if (ai < 24)
		return 1;
	if (ai < 28)
		return 1 + ((size_t)1 << (ai - 24));
	return 0;
}

static uint64_t head_arg(const unsigned char *p, size_t hl)
{
	return hl == 1 ? (uint64_t)(p[0] & 31) : be(p + 1, hl - 1);
}

static const char *head_refused(unsigned char ib)
{
	unsigned ai = ib & 31;

	if (ai == 31)
		return ib == 0xff ? "unexpected break" : "indefinite length (not supported)";
	return "reserved additional information";
}

long cbor_scan_item(struct cbor_scan *s, const unsigned char *buf, size_t n, const char **why)
{
	if (s->off == 0 && s->left == 0)
		s->left = 1;
	while (s->left > 0) {
		size_t off = s->off, hl;
		uint64_t arg;
		unsigned major;

		if (off >= n)
			return 0;
		hl = head_len(buf[off]);
		if (hl == 0) {
			*why = head_refused(buf[off]);
			return -1;
		}
		if (hl > CBOR_ITEM_MAX - off) {
			*why = "item larger than 64 KiB";
			return -1;
		}
		if (hl > n - off)
			return 0;
		arg = head_arg(buf + off, hl);
		major = buf[off] >> 5;
		switch (major) {
		case 2:
		case 3:
			if (arg > CBOR_ITEM_MAX - off - hl) {
				*why = "item larger than 64 KiB";
				return -1;
			}
			if (arg > n - off - hl)
				return 0;	/* the head is read again next time */
			off += (size_t)arg;
			break;
		case 4:
		case 5:
			if (arg > CBOR_ITEM_MAX) {
				*why = "item larger than 64 KiB";
				return -1;
			}
			s->left += major == 4 ? arg : 2 * arg;
			break;
		case 6:
			*why = "tag (not supported)";
			return -1;
		case 7:
			if (hl == 2 && arg < 32) {
				*why = "two-byte simple value below 32";
				return -1;
			}
			break;
		}
		s->off = off + hl;
		s->left--;
		/* Every item still to come takes at least a byte. */
		if (s->left > CBOR_ITEM_MAX - s->off) {
			*why = "item larger than 64 KiB";
			return -1;
		}
	}
	{
		long len = (long)s->off;

		cbor_scan_reset(s);
		return len;
	}
}

static double pow2(int e)
{
	double d = 1;

	for (; e > 0; e--)
		d *= 2;
	for (; e < 0; e++)
		d /= 2;
	return d;
}

static double half(unsigned h)
{
	unsigned e = h >> 10 & 31, m = h & 1023;
	double d;

	if (e == 0)
		d = m * pow2(-24);
	else if (e < 31)
		d = (m + 1024) * pow2((int)e - 25);
	else
		d = m ? NAN : INFINITY;
	return h & 0x8000 ? -d : d;
}

size_t cbor_read(const unsigned char *p, size_t n, struct cbor_val *v)
{
	size_t hl;
	uint64_t arg;

	if (n == 0 || (hl = head_len(p[0])) == 0 || hl > n)
		return 0;
	arg = head_arg(p, hl);
	v->u = arg;
	v->p = NULL;
	v->f = 0;
	switch (p[0] >> 5) {
	case 0: v->type = CBV_UINT; return hl;
	case 1: v->type = CBV_NINT; return hl;
	case 2:
	case 3:
		if (arg > n - hl)
			return 0;
		v->type = p[0] >> 5 == 2 ? CBV_BYTES : CBV_TEXT;
		v->p = p + hl;
		return hl + (size_t)arg;
	case 4: v->type = CBV_ARRAY; return hl;
	case 5: v->type = CBV_MAP; return hl;
	case 6: return 0;
	}
	switch (hl) {
	case 1:
		v->type = arg == 20 ? CBV_FALSE : arg == 21 ? CBV_TRUE :
			  arg == 22 ? CBV_NULL : arg == 23 ? CBV_UNDEF : CBV_SIMPLE;
		return hl;
	case 2:
		if (arg < 32)
			return 0;
		v->type = CBV_SIMPLE;
		return hl;
	case 3:
		v->type = CBV_FLOAT;
		v->f = half((unsigned)arg);
		return hl;
	case 5: {
		uint32_t w = (uint32_t)arg;
		float f;

		memcpy(&f, &w, sizeof f);
		v->type = CBV_FLOAT;
		v->f = f;
		return hl;
	}
	default:
		memcpy(&v->f, &arg, sizeof v->f);
		v->type = CBV_FLOAT;
		return hl;
	}
}

size_t cbor_skip(const unsigned char *p, size_t n)
{
	size_t off = 0;
	uint64_t left = 1;

	while (left > 0) {
		struct cbor_val v;
		size_t k = cbor_read(p + off, n - off, &v);

		if (k == 0)
			return 0;
		off += k;
		left--;
		if (v.type == CBV_ARRAY || v.type == CBV_MAP) {
			uint64_t more = v.type == CBV_MAP ? 2 * (v.u > n ? n : v.u) : v.u;

			if (more > n - off || left > n - off - more)
				return 0;	/* each takes a byte at least */
			left += more;
		}
	}
	return off;
}

int cbor_next(struct cbor_cur *c, struct cbor_val *v)
{
	size_t k = cbor_read(c->p, (size_t)(c->end - c->p), v);

	if (k == 0)
		return -1;
	c->p += k;
	return 0;
}

int cbor_next_skip(struct cbor_cur *c, const unsigned char **item, size_t *len)
{
	size_t k = cbor_skip(c->p, (size_t)(c->end - c->p));

	if (k == 0)
		return -1;
	*item = c->p;
	*len = k;
	c->p += k;
	return 0;
}
