#include "jetstream.h"

#include <stdio.h>
#include <string.h>

#include "nats_url.h"

/* The option takes names and IPv4 addresses only (no [IPv6]). */
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

static int url_ok(const char *u, size_t n)
{
	char host[NATS_URL_HOST_MAX], port[6];

	return !memchr(u, '[', n) && nats_url_split(u, n, host, port) == 0 &&
	       host_ok(host, strlen(host));
}

int js_urls_ok(const char *urls, char *why, size_t whylen)
{
	const char *u, *list = urls;
	size_t n;
	int count = 0;

	while ((u = nats_url_next(&list, &n))) {
		if (!url_ok(u, n)) {
			snprintf(why, whylen, "--jetstream: '%.*s' is not nats://HOST:PORT", (int)(n > 80 ? 80 : n), u);
			return -1;
		}
		if (++count > JS_URLS_MAX) {
			snprintf(why, whylen, "--jetstream: more than %d servers", JS_URLS_MAX);
			return -1;
		}
	}
	return 0;
}
