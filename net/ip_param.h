#ifndef STELE_IP_PARAM_H
#define STELE_IP_PARAM_H

#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"

#define IP_HOSTNAME_MAX HOSTNAME_LEN_MAX
#define IP_IFNAME_MAX 16		/* IFNAMSIZ */
#define IP_DNS_MAX 2
#define IP_REASON_MAX 160
#define IP_VALUE_MAX 256		/* longest ip= value accepted */

enum ip_mode { IP_DHCP, IP_STATIC, IP_OFF };

/* The kernel's ip= parameter (Documentation/admin-guide/nfs/nfsroot.rst):
 * "dhcp", "on", "any", "off", "none", or the ten colon-separated fields
 * client:server:gw:netmask:hostname:device:autoconf:dns0:dns1:ntp0, any of
 * them empty. An address field that is empty is 0. */
struct ip_param {
	enum ip_mode mode;
	uint32_t client, server, gw, mask, ntp;
	uint32_t dns[IP_DNS_MAX];
	size_t n_dns;
	char hostname[IP_HOSTNAME_MAX];	/* "" if not given */
	char device[IP_IFNAME_MAX];	/* "" means the first Ethernet interface */
};

/* Parses the value of ip= (without "ip="). The address with an empty
 * autoconf is static, without it DHCP; autoconf off or none without an
 * address is IP_OFF. A netmask left empty is the address's classful one,
 * as the kernel does. Returns 0, or -1 with a one-line reason naming the
 * field in why[IP_REASON_MAX]. */
int ip_param_parse(const char *val, struct ip_param *ip, char *why);

#endif
