#include "resolv_conf.h"

#include <stdio.h>
#include <string.h>

#include "netaddr.h"

size_t resolv_conf_format(char *buf, size_t cap, const uint32_t *dns, size_t n, const char *domain)
{
	size_t len;
	char a[16];
	int k = snprintf(buf, cap, "# written by stele-net\n");

	if (domain[0] && dns_name_ok(domain, strlen(domain), RESOLV_DOMAIN_MAX) && k >= 0 &&
	    (size_t)k < cap)
		k += snprintf(buf + k, cap - (size_t)k, "search %s\n", domain);
	for (size_t i = 0; i < n && k >= 0 && (size_t)k < cap; i++)
		k += snprintf(buf + k, cap - (size_t)k, "nameserver %s\n", ip4_format(a, dns[i]));
	len = k < 0 ? cap : (size_t)k;
	return len < cap ? len : 0;
}
