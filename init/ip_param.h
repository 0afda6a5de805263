#ifndef STELE_IP_PARAM_H
#define STELE_IP_PARAM_H

#include <stddef.h>
#include <stdint.h>

/* IPv4 addresses are uint32_t in host order everywhere in the network
 * service: masks and prefixes are arithmetic. Wire code converts. */

#define IP_HOSTNAME_MAX 64		/* with NUL; RFC 1123: at most 63 */
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

/* Copies the value of the last "key=" parameter of a kernel command line
 * (double quotes dropped, as the kernel does) into out[cap]. Returns 1 if
 * found, 0 if not, -1 if the value does not fit. */
int ip_param_find(const char *cmdline, const char *key, char *out, size_t cap);

/* Strict dotted quad: four decimal numbers 0-255, no leading zeros. */
int ip4_parse(const char *s, size_t len, uint32_t *addr);
/* out must hold 16 bytes. Returns out. */
char *ip4_format(char *out, uint32_t addr);
/* Prefix length of a contiguous mask, or -1. */
int ip4_prefix(uint32_t mask);
/* The class A, B or C mask of an address (RFC 791), for ip= and DHCP
 * replies that give none. */
uint32_t ip4_classful_mask(uint32_t addr);

/* 1 if s[len] is a name stele accepts for a host or DNS domain: letters,
 * digits, '-' and '.', starting with a letter or digit, shorter than max.
 * What reaches the host name or resolv.conf from outside passes this. */
int dns_name_ok(const char *s, size_t len, size_t max);

#endif
