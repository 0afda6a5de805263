#include "netaddr.h"

#include <stdio.h>
#include <string.h>

#define DIGIT "0123456789"
#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ" DIGIT

int ip4_parse(const char *s, size_t len, uint32_t *addr)
{
	uint32_t a = 0;
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		unsigned v = 0;
		size_t start;

		if (part && (i >= len || s[i++] != '.'))
			return -1;
		start = i;
		while (i < len && i - start < 3 && s[i] >= '0' && s[i] <= '9')
			v = v * 10 + (unsigned)(s[i++] - '0');
		if (i == start || v > 255 || (s[start] == '0' && i - start > 1))
			return -1;
		a = a << 8 | v;
	}
	if (i != len)
		return -1;
	*addr = a;
	return 0;
}

char *ip4_format(char *out, uint32_t a)
{
	snprintf(out, 16, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255, a & 255);
	return out;
}

int ip4_prefix(uint32_t mask)
{
	int n = 0;

	while (n < 32 && mask & 0x80000000u >> n)
		n++;
	return n == 32 || (mask << n) == 0 ? n : -1;
}

uint32_t ip4_classful_mask(uint32_t a)
{
	return a < 0x80000000u ? 0xff000000u : a < 0xc0000000u ? 0xffff0000u : 0xffffff00u;
}

static size_t span(const char *s, size_t len, const char *set)
{
	size_t n = 0;

	while (n < len && s[n] && strchr(set, s[n]))
		n++;
	return n;
}

int dns_name_ok(const char *s, size_t len, size_t max)
{
	if (len == 0 || len >= max)
		return 0;
	for (size_t at = 0;;) {
		size_t n = span(s + at, len - at, ALNUM "-");

		if (n == 0 || n > 63 || s[at] == '-' || s[at + n - 1] == '-')
			return 0;
		at += n;
		if (at == len)
			return 1;
		if (s[at++] != '.')
			return 0;
	}
}

int host_ok(const char *s, size_t len, size_t max)
{
	uint32_t a;

	if (len >= max)
		return 0;
	if (span(s, len, DIGIT ".") == len)
		return ip4_parse(s, len, &a) == 0;
	return dns_name_ok(s, len, max);
}

static const char *copy_host(char *dst, const char *s, size_t len, const char *bad)
{
	if (len == 0)
		return bad;
	if (len >= HOSTPORT_HOST_MAX)
		return "host name too long in";
	if (!host_ok(s, len, HOSTPORT_HOST_MAX))
		return bad;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return NULL;
}

const char *host_port_parse(const char *s, size_t len, struct host_port *hp)
{
	const char *colon = memchr(s, ':', len), *slash = memchr(s, '/', len), *err;
	size_t hlen, plen, nlen;
	unsigned long port = 0;

	if (!colon || (slash && slash < colon))
		return "expected HOST:PORT[/NAME], not";
	hlen = (size_t)(colon - s);
	plen = (size_t)((slash ? slash : s + len) - colon - 1);
	nlen = slash ? (size_t)(s + len - slash - 1) : 0;
	if (hlen == 0)
		return "no host in";
	if ((err = copy_host(hp->host, s, hlen,
			     span(s, hlen, DIGIT ".") == hlen ? "bad IPv4 address in" :
								 "bad host name in")))
		return err;
	if (plen == 0 || plen > 5 || span(colon + 1, plen, DIGIT) != plen)
		return "port must be 1-65535 in";
	for (size_t i = 0; i < plen; i++)
		port = port * 10 + (unsigned long)(colon[1 + i] - '0');
	if (port == 0 || port > 65535)
		return "port must be 1-65535 in";
	hp->port = (uint16_t)port;
	if (!slash) {
		memcpy(hp->name, hp->host, hlen + 1);
		return NULL;
	}
	return copy_host(hp->name, slash + 1, nlen, "bad server name in");
}
