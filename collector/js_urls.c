#include "jetstream.h"

#include <stdio.h>
#include <string.h>

static int host_ok(const char *h, size_t n)
{
	if (n == 0 || n > 253)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = h[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '-'))
			return 0;
	}
	return h[0] != '.' && h[0] != '-';
}

static int port_ok(const char *p, size_t n)
{
	unsigned long v = 0;

	if (n == 0 || n > 5 || p[0] == '0')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return 0;
		v = v * 10 + (unsigned long)(p[i] - '0');
	}
	return v >= 1 && v <= 65535;
}

static int url_ok(const char *u, size_t n)
{
	static const char scheme[] = "nats://";
	const char *colon;

	if (n <= sizeof scheme - 1 || memcmp(u, scheme, sizeof scheme - 1) != 0)
		return 0;
	u += sizeof scheme - 1;
	n -= sizeof scheme - 1;
	colon = memrchr(u, ':', n);
	return colon && host_ok(u, (size_t)(colon - u)) &&
	       port_ok(colon + 1, n - (size_t)(colon + 1 - u));
}

int js_urls_ok(const char *urls, char *why, size_t whylen)
{
	const char *p = urls;
	int count = 0;

	for (;;) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (!url_ok(p, n)) {
			snprintf(why, whylen, "--jetstream: '%.*s' is not nats://HOST:PORT", (int)(n > 80 ? 80 : n), p);
			return -1;
		}
		if (++count > JS_URLS_MAX) {
			snprintf(why, whylen, "--jetstream: more than %d servers", JS_URLS_MAX);
			return -1;
		}
		if (!end)
			return 0;
		p = end + 1;
	}
}
