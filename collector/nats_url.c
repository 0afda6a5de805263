#include "nats_url.h"

#include <stdlib.h>
#include <string.h>

const char *nats_url_next(const char **list, size_t *n)
{
	const char *u = *list;

	if (!u)
		return NULL;
	*n = strcspn(u, ",");
	*list = u[*n] ? u + *n + 1 : NULL;
	return u;
}

int nats_url_split(const char *u, size_t n, char *host, char *port)
{
	static const char scheme[] = "nats://";
	const char *h = u + sizeof scheme - 1, *colon = memrchr(u, ':', n);
	size_t hn, pn;

	if (n <= sizeof scheme - 1 || memcmp(u, scheme, sizeof scheme - 1) != 0 || !colon || colon < h)
		return -1;
	hn = (size_t)(colon - h);
	pn = n - hn - (sizeof scheme - 1) - 1;
	if (hn >= 2 && h[0] == '[' && h[hn - 1] == ']') {
		h++;
		hn -= 2;
	}
	if (hn == 0 || hn >= NATS_URL_HOST_MAX || pn == 0 || pn > 5 ||
	    strspn(colon + 1, "0123456789") < pn || colon[1] == '0' ||
	    strtoul(colon + 1, NULL, 10) > 65535)
		return -1;
	memcpy(host, h, hn);
	host[hn] = '\0';
	memcpy(port, colon + 1, pn);
	port[pn] = '\0';
	return 0;
}
