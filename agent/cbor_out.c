#include "cbor_out.h"

#include <cbor.h>
#include <math.h>
#include <string.h>

void cbw_init(struct cbw *w, unsigned char *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->len = 0;
	w->full = 0;
}

size_t cbw_len(const struct cbw *w)
{
	return w->full ? 0 : w->len;
}

/* n is what a cbor_encode_* call returned: 0 means it did not fit. */
static void advance(struct cbw *w, size_t n)
{
	if (n == 0)
		w->full = 1;
	w->len += n;
}

#define ROOM(w) ((w)->full ? NULL : (w)->buf + (w)->len), ((w)->full ? 0 : (w)->cap - (w)->len)

void cbw_map(struct cbw *w, size_t pairs) { advance(w, cbor_encode_map_start(pairs, ROOM(w))); }
void cbw_array(struct cbw *w, size_t items) { advance(w, cbor_encode_array_start(items, ROOM(w))); }
void cbw_uint(struct cbw *w, uint64_t v) { advance(w, cbor_encode_uint(v, ROOM(w))); }

void cbw_bool(struct cbw *w, int v) { advance(w, cbor_encode_bool(v != 0, ROOM(w))); }

void cbw_int(struct cbw *w, int64_t v)
{
	if (v >= 0)
		cbw_uint(w, (uint64_t)v);
	else
		advance(w, cbor_encode_negint((uint64_t)(-(v + 1)), ROOM(w)));
}

void cbw_number(struct cbw *w, double v)
{
	/* Counters and byte counts are integers: keep them exact and short. */
	if (v == floor(v) && fabs(v) < 9007199254740992.0)
		cbw_int(w, (int64_t)v);
	else
		advance(w, cbor_encode_double(v, ROOM(w)));
}

static void raw(struct cbw *w, const void *p, size_t n)
{
	if (w->full || w->cap - w->len < n) {
		w->full = 1;
		return;
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
}

void cbw_text(struct cbw *w, const char *s, size_t n)
{
	advance(w, cbor_encode_string_start(n, ROOM(w)));
	raw(w, s, n);
}

void cbw_str(struct cbw *w, const char *s) { cbw_text(w, s, strlen(s)); }

void cbw_bytes(struct cbw *w, const void *p, size_t n)
{
	advance(w, cbor_encode_bytestring_start(n, ROOM(w)));
	raw(w, p, n);
}

size_t cbw_array_begin(struct cbw *w)
{
	static const unsigned char hdr[3] = { 0x99, 0, 0 };
	size_t at = w->len;

	raw(w, hdr, sizeof hdr);
	return at;
}

void cbw_array_end(struct cbw *w, size_t at, size_t items)
{
	if (w->full || items > 0xffff) {
		w->full = 1;
		return;
	}
	w->buf[at + 1] = (unsigned char)(items >> 8);
	w->buf[at + 2] = (unsigned char)items;
}

int utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	for (size_t i = 0; i < n;) {
		unsigned c = s[i], len, min, cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			len = 2, min = 0x80, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3, min = 0x800, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4, min = 0x10000, cp = c & 0x07;
		else
			return 0;
		if (n - i < len)
			return 0;
		for (unsigned k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}
