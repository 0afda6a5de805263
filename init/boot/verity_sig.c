#include "verity_sig.h"

#include <stdio.h>
#include <string.h>

#include "base64.h"
#include "power.h"
#include "hex.h"

#define SIG_B64_MAX ((VERITY_SIG_MAX + 2) / 3 * 4)

enum { ROOTHASH = 1, FINGERPRINT = 2, SIGNATURE = 4 };

struct cursor {
	const unsigned char *p, *end;
};

static void skip_ws(struct cursor *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r'))
		c->p++;
}

static int expect(struct cursor *c, unsigned char ch)
{
	skip_ws(c);
	if (c->p == c->end || *c->p != ch)
		return -1;
	c->p++;
	return 0;
}

/* A JSON string without escapes or control characters: *s, *n its body. */
static int string(struct cursor *c, const char **s, size_t *n)
{
	const unsigned char *q;

	if (expect(c, '"'))
		return -1;
	for (q = c->p; q < c->end && *q != '"'; q++)
		if (*q == '\\' || *q < 0x20)
			return -1;
	if (q == c->end)
		return -1;
	*s = (const char *)c->p;
	*n = (size_t)(q - c->p);
	c->p = q + 1;
	return 0;
}

static int sha256_hex(unsigned char out[32], const char *s, size_t n)
{
	return n == 64 && hex_decode(out, 32, s) == 0 ? 0 : -1;
}

static int member(struct cursor *c, struct verity_sig *out, unsigned *seen, char *why)
{
	const char *key, *val;
	size_t klen, vlen;
	unsigned bit;
	int bad;

	if (string(c, &key, &klen) || expect(c, ':') || string(c, &val, &vlen))
		return snprintf(why, REASON_MAX, "root verity signature: malformed JSON"), -1;
	if (klen == 8 && memcmp(key, "rootHash", 8) == 0) {
		bit = ROOTHASH;
		bad = sha256_hex(out->roothash, val, vlen);
	} else if (klen == 22 && memcmp(key, "certificateFingerprint", 22) == 0) {
		bit = FINGERPRINT;
		bad = sha256_hex(out->fingerprint, val, vlen);
	} else if (klen == 9 && memcmp(key, "signature", 9) == 0) {
		bit = SIGNATURE;
		bad = vlen == 0 || vlen > SIG_B64_MAX ||
		      base64_decode(val, vlen, out->sig, sizeof out->sig, &out->sig_len);
	} else {
		return snprintf(why, REASON_MAX, "root verity signature: unknown member '%.*s'",
				(int)(klen < 40 ? klen : 40), key), -1;
	}
	if (*seen & bit)
		return snprintf(why, REASON_MAX, "root verity signature: '%.*s' given twice",
				(int)klen, key), -1;
	if (bad)
		return snprintf(why, REASON_MAX, "root verity signature: bad value of '%.*s'",
				(int)klen, key), -1;
	*seen |= bit;
	return 0;
}

int verity_sig_parse(const unsigned char *buf, size_t len, struct verity_sig *out, char *why)
{
	struct cursor c;
	const unsigned char *nul;
	unsigned seen = 0;

	if (len > VERITY_SIG_READ_MAX || !(nul = memchr(buf, '\0', len)))
		return snprintf(why, REASON_MAX, "root verity signature: no NUL padding after "
				"the JSON"), -1;
	for (const unsigned char *q = nul; q < buf + len; q++)
		if (*q)
			return snprintf(why, REASON_MAX, "root verity signature: data after the "
					"NUL padding"), -1;
	c = (struct cursor){ buf, nul };
	memset(out, 0, sizeof *out);
	if (expect(&c, '{'))
		return snprintf(why, REASON_MAX, "root verity signature: not a JSON object"), -1;
	skip_ws(&c);
	if (c.p < c.end && *c.p == '}')
		c.p++;
	else
		for (;;) {
			if (member(&c, out, &seen, why))
				return -1;
			skip_ws(&c);
			if (c.p == c.end || (*c.p != ',' && *c.p != '}'))
				return snprintf(why, REASON_MAX, "root verity signature: malformed JSON"), -1;
			if (*c.p++ == '}')
				break;
		}
	skip_ws(&c);
	if (c.p != c.end)
		return snprintf(why, REASON_MAX, "root verity signature: data after the JSON object"), -1;
	if (seen != (ROOTHASH | FINGERPRINT | SIGNATURE))
		return snprintf(why, REASON_MAX, "root verity signature: lacks %s",
				!(seen & ROOTHASH) ? "rootHash" : !(seen & SIGNATURE) ? "signature" :
				"certificateFingerprint"), -1;
	return 0;
}
