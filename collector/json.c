#include "json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *room(struct jbuf *b, size_t n)
{
	char *p;

	if (b->full || n > b->cap - b->len) {
		b->full = 1;
		return NULL;
	}
	p = b->p + b->len;
	b->len += n;
	return p;
}

void jb_raw(struct jbuf *b, const void *s, size_t n)
{
	char *p = room(b, n);

	if (p)
		memcpy(p, s, n);
}

void jb_cstr(struct jbuf *b, const char *s)
{
	jb_raw(b, s, strlen(s));
}

void jb_u64(struct jbuf *b, uint64_t u)
{
	char tmp[20];
	size_t i = sizeof tmp;

	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	jb_raw(b, tmp + i, sizeof tmp - i);
}

void jb_nint(struct jbuf *b, uint64_t u)
{
	jb_raw(b, "-", 1);
	if (u == UINT64_MAX)
		jb_cstr(b, "18446744073709551616");
	else
		jb_u64(b, u + 1);
}

static void shortest(struct jbuf *b, double d)
{
	char tmp[40];
	int n = 0;

	for (int prec = 15; prec <= 17; prec++) {
		n = snprintf(tmp, sizeof tmp, "%.*g", prec, d);
		if (strtod(tmp, NULL) == d)
			break;
	}
	jb_raw(b, tmp, (size_t)n);
}

void jb_double_json(struct jbuf *b, double d)
{
	if (!isfinite(d))
		jb_cstr(b, "null");
	else
		shortest(b, d);
}

void jb_double_prom(struct jbuf *b, double d)
{
	if (isnan(d))
		jb_cstr(b, "NaN");
	else if (isinf(d))
		jb_cstr(b, d > 0 ? "+Inf" : "-Inf");
	else
		shortest(b, d);
}

size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0], lo = 0x80, hi = 0xbf;
	size_t len;

	if (c < 0x80)
		return 1;
	if (c < 0xc2 || c > 0xf4)
		return 0;
	if (c < 0xe0) {
		len = 2;
	} else if (c < 0xf0) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;	/* no UTF-16 surrogates */
	} else {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;	/* nothing above U+10FFFF */
	}
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/* Copied as it is inside a JSON string: printable ASCII but " and \. */
static const unsigned char plain[256] = {
	[0x20 ... 0x21] = 1, [0x23 ... 0x5b] = 1, [0x5d ... 0x7f] = 1,
};

static int is_plain(unsigned char c)
{
	return plain[c];
}

/* Escapes of one byte below 0x80 that is not plain, or an invalid byte. */
static void escape_json(struct jbuf *b, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };

	switch (c) {
	case '"': jb_raw(b, "\\\"", 2); break;
	case '\\': jb_raw(b, "\\\\", 2); break;
	case '\n': jb_raw(b, "\\n", 2); break;
	case '\r': jb_raw(b, "\\r", 2); break;
	case '\t': jb_raw(b, "\\t", 2); break;
	case '\b': jb_raw(b, "\\b", 2); break;
	case '\f': jb_raw(b, "\\f", 2); break;
	default: jb_raw(b, e, 6); break;
	}
}

void jb_str(struct jbuf *b, const unsigned char *s, size_t n)
{
	size_t i = 0;

	if (n > (SIZE_MAX - 2) / 6 || 6 * n + 2 > b->cap - b->len) {
		b->full = 1;	/* the worst case must fit: no check per byte */
		return;
	}
	jb_raw(b, "\"", 1);
	while (i < n) {
		size_t run = i, k;

		while (run < n && is_plain(s[run]))
			run++;
		jb_raw(b, s + i, run - i);
		i = run;
		if (i == n)
			break;
		if (s[i] < 0x80) {
			escape_json(b, s[i]);
			i++;
		} else if ((k = utf8_seq(s + i, n - i)) != 0) {
			jb_raw(b, s + i, k);
			i += k;
		} else {
			jb_raw(b, "\\ufffd", 6);
			i++;
		}
	}
	jb_raw(b, "\"", 1);
}

void jb_label(struct jbuf *b, const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k;

		if (s[i] == '\\') {
			jb_raw(b, "\\\\", 2);
			i++;
		} else if (s[i] == '"') {
			jb_raw(b, "\\\"", 2);
			i++;
		} else if (s[i] == '\n') {
			jb_raw(b, "\\n", 2);
			i++;
		} else if ((k = utf8_seq(s + i, n - i)) != 0) {
			jb_raw(b, s + i, k);
			i += k;
		} else {
			jb_raw(b, "\xef\xbf\xbd", 3);
			i++;
		}
	}
}

void jb_b64(struct jbuf *b, const unsigned char *s, size_t n)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *p;
	size_t i;

	if (n > SIZE_MAX / 2 - 2) {
		b->full = 1;
		return;
	}
	p = room(b, (n + 2) / 3 * 4 + 2);
	if (!p)
		return;
	*p++ = '"';
	for (i = 0; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16 | (uint32_t)s[i + 1] << 8 | s[i + 2];

		*p++ = al[v >> 18];
		*p++ = al[v >> 12 & 63];
		*p++ = al[v >> 6 & 63];
		*p++ = al[v & 63];
	}
	if (n - i == 1) {
		*p++ = al[s[i] >> 2];
		*p++ = al[(s[i] & 3) << 4];
		*p++ = '=';
		*p++ = '=';
	} else if (n - i == 2) {
		*p++ = al[s[i] >> 2];
		*p++ = al[(s[i] & 3) << 4 | s[i + 1] >> 4];
		*p++ = al[(s[i + 1] & 15) << 2];
		*p++ = '=';
	}
	*p = '"';
}
