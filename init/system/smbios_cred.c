#include "smbios_cred.h"

#include <stdio.h>
#include <string.h>

#include "base64.h"

#define TEXT_PREFIX "io.systemd.credential:"
#define BINARY_PREFIX "io.systemd.credential.binary:"

int smbios_strings(const unsigned char *raw, size_t len,
		   void (*fn)(void *ctx, const char *s, size_t n), void *ctx)
{
	size_t at;
	int count = 0;

	/* Header: type, length of the formatted area, handle. */
	if (len < 4 || raw[1] < 4 || raw[1] > len)
		return -1;
	at = raw[1];
	if (len - at >= 2 && raw[at] == 0 && raw[at + 1] == 0)
		return 0;			/* no strings at all */
	while (at < len) {
		const unsigned char *nul = memchr(raw + at, 0, len - at);

		if (!nul)
			return -1;
		if (nul == raw + at)
			return count;		/* the empty string ends the set */
		fn(ctx, (const char *)raw + at, (size_t)(nul - (raw + at)));
		count++;
		at = (size_t)(nul - raw) + 1;
	}
	return -1;
}

int smbios_structures(const unsigned char *table, size_t len, int type,
		      void (*fn)(void *ctx, const unsigned char *s, size_t n), void *ctx)
{
	size_t at = 0;
	int found = 0;

	while (at + 4 <= len) {
		size_t start = at, hdr = table[at + 1];

		if (hdr < 4 || hdr > len - at)
			return -1;
		/* The string set ends with two NULs (both, when it is empty). */
		for (at += hdr; at + 1 < len && (table[at] || table[at + 1]); at++)
			;
		if (at + 1 >= len)
			return -1;
		at += 2;
		if (table[start] == type) {
			fn(ctx, table + start, at - start);
			found++;
		}
		if (table[start] == 127)	/* end of table */
			break;
	}
	return found;
}

int cred_lines(const char *text, size_t n, void (*fn)(void *ctx, const char *s, size_t n),
	       void *ctx)
{
	int count = 0;

	while (n > 0) {
		const char *lf = memchr(text, '\n', n);
		size_t len = lf ? (size_t)(lf - text) : n, skip = lf ? len + 1 : len;

		if (len > 0 && text[len - 1] == '\r')
			len--;
		if (len > 0) {
			fn(ctx, text, len);
			count++;
		}
		text += skip;
		n -= skip;
	}
	return count;
}

static int name_ok(const char *s, size_t n)
{
	if (n == 0 || n >= CRED_NAME_MAX || s[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

int cred_parse(const char *s, size_t n, char *name, unsigned char *value, size_t *vlen,
	       char *why)
{
	size_t tp = strlen(TEXT_PREFIX), bp = strlen(BINARY_PREFIX), skip;
	const char *eq;
	int binary;

	if (n >= bp && memcmp(s, BINARY_PREFIX, bp) == 0)
		binary = 1, skip = bp;
	else if (n >= tp && memcmp(s, TEXT_PREFIX, tp) == 0)
		binary = 0, skip = tp;
	else
		return 0;
	s += skip;
	n -= skip;
	eq = memchr(s, '=', n);
	if (!eq || !name_ok(s, (size_t)(eq - s))) {
		snprintf(why, 160, "credential '%.*s': not NAME=VALUE with a valid name",
			 (int)(n > 60 ? 60 : n), s);
		return -1;
	}
	memcpy(name, s, (size_t)(eq - s));
	name[eq - s] = '\0';
	n -= (size_t)(eq - s) + 1;
	s = eq + 1;
	if (binary) {
		if (base64_decode(s, n, value, CRED_VALUE_MAX, vlen) < 0) {
			snprintf(why, 160, "credential %s: bad base64 or larger than %d bytes", name,
				 CRED_VALUE_MAX);
			return -1;
		}
		return 1;
	}
	if (n > CRED_VALUE_MAX) {
		snprintf(why, 160, "credential %s: larger than %d bytes", name, CRED_VALUE_MAX);
		return -1;
	}
	memcpy(value, s, n);
	*vlen = n;
	return 1;
}
