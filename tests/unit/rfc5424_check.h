#ifndef STELE_RFC5424_CHECK_H
#define STELE_RFC5424_CHECK_H

/* An independent reading of RFC 5424 §6's ABNF, for the tests of
 * sink/syslog5424.c (unit test and fuzz target): whether m[0..n) is a
 * valid SYSLOG-MSG. Returns NULL, or what is wrong. MSG itself is not
 * checked: MSG-ANY is any octets. */

#include <stddef.h>
#include <string.h>

struct r5424 {
	const unsigned char *p, *end;
};

static int r5424_at(struct r5424 *r, char c)
{
	if (r->p < r->end && *r->p == (unsigned char)c) {
		r->p++;
		return 1;
	}
	return 0;
}

static int r5424_digits(struct r5424 *r, int n)
{
	for (int i = 0; i < n; i++, r->p++)
		if (r->p >= r->end || *r->p < '0' || *r->p > '9')
			return 0;
	return 1;
}

/* NILVALUE or 1*max PRINTUSASCII (an SD-NAME also excludes = SP ] "). */
static int r5424_name(struct r5424 *r, size_t max, int sd)
{
	const unsigned char *s = r->p;

	while (r->p < r->end && *r->p >= 33 && *r->p <= 126 &&
	       !(sd && (*r->p == '=' || *r->p == ']' || *r->p == '"')))
		r->p++;
	return r->p > s && (size_t)(r->p - s) <= max;
}

static int r5424_timestamp(struct r5424 *r)
{
	if (r5424_at(r, '-'))
		return 1;
	if (!r5424_digits(r, 4) || !r5424_at(r, '-') || !r5424_digits(r, 2) || !r5424_at(r, '-') ||
	    !r5424_digits(r, 2) || !r5424_at(r, 'T') || !r5424_digits(r, 2) || !r5424_at(r, ':') ||
	    !r5424_digits(r, 2) || !r5424_at(r, ':') || !r5424_digits(r, 2))
		return 0;
	if (r5424_at(r, '.')) {
		int k = 0;

		while (k < 7 && r->p < r->end && *r->p >= '0' && *r->p <= '9')
			k++, r->p++;
		if (k < 1 || k > 6)
			return 0;
	}
	return r5424_at(r, 'Z');	/* all syslog5424 writes; offsets are allowed too */
}

/* PARAM-VALUE: UTF-8, '"' '\' ']' only escaped. */
static int r5424_value(struct r5424 *r)
{
	while (r->p < r->end && *r->p != '"') {
		unsigned c = *r->p;

		if (c == '\\') {
			if (r->end - r->p < 2)
				return 0;
			r->p += 2;
			continue;
		}
		if (c == ']')
			return 0;
		if (c < 0x80) {
			r->p++;
			continue;
		}
		size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;

		if (len == 0 || c > 0xf4 || (size_t)(r->end - r->p) < len)
			return 0;
		for (size_t i = 1; i < len; i++)
			if ((r->p[i] & 0xc0) != 0x80)
				return 0;
		r->p += len;
	}
	return r5424_at(r, '"');
}

static const char *rfc5424_check(const char *m, size_t n)
{
	struct r5424 r = { (const unsigned char *)m, (const unsigned char *)m + n };
	const unsigned char *s;
	unsigned pri = 0;

	if (!r5424_at(&r, '<'))
		return "no '<'";
	s = r.p;
	while (r.p < r.end && *r.p >= '0' && *r.p <= '9' && r.p - s < 4)
		pri = pri * 10 + (*r.p++ - '0');
	if (r.p == s || r.p - s > 3 || pri > 191 || (r.p - s > 1 && *s == '0'))
		return "PRIVAL";
	if (!r5424_at(&r, '>') || !r5424_at(&r, '1') || !r5424_at(&r, ' '))
		return "VERSION";
	if (!r5424_timestamp(&r) || !r5424_at(&r, ' '))
		return "TIMESTAMP";
	if (!r5424_name(&r, 255, 0) || !r5424_at(&r, ' '))
		return "HOSTNAME";
	if (!r5424_name(&r, 48, 0) || !r5424_at(&r, ' '))
		return "APP-NAME";
	if (!r5424_name(&r, 128, 0) || !r5424_at(&r, ' '))
		return "PROCID";
	if (!r5424_name(&r, 32, 0) || !r5424_at(&r, ' '))
		return "MSGID";
	if (!r5424_at(&r, '-')) {
		if (r.p >= r.end || *r.p != '[')
			return "STRUCTURED-DATA";
		while (r5424_at(&r, '[')) {
			if (!r5424_name(&r, 32, 1))
				return "SD-ID";
			while (r5424_at(&r, ' '))
				if (!r5424_name(&r, 32, 1) || !r5424_at(&r, '=') || !r5424_at(&r, '"') ||
				    !r5424_value(&r))
					return "SD-PARAM";
			if (!r5424_at(&r, ']'))
				return "SD-ELEMENT not closed";
		}
	}
	if (r.p < r.end && !r5424_at(&r, ' '))
		return "no SP before MSG";
	return NULL;
}

#endif
