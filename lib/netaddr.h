#ifndef STELE_NETADDR_H
#define STELE_NETADDR_H

#include <stddef.h>
#include <stdint.h>

/* The one validator of addresses and names that come from outside (the
 * command line, credentials, DHCP, agent.conf), so that what PID 1
 * accepts the network service and the agent accept too. IPv4 addresses
 * are uint32_t in host order: masks and prefixes are arithmetic. */

#define HOSTNAME_LEN_MAX 64		/* with NUL: a host name, RFC 1123 */
#define HOSTPORT_HOST_MAX 254		/* with NUL: a DNS name in full */

/* Strict dotted quad: four decimal numbers 0-255, no leading zeros.
 * Returns 0, or -1 if s[len] is not one. */
int ip4_parse(const char *s, size_t len, uint32_t *addr);
/* out must hold 16 bytes. Returns out. */
char *ip4_format(char *out, uint32_t addr);
/* Prefix length of a contiguous mask, or -1. */
int ip4_prefix(uint32_t mask);
/* The class A, B or C mask of an address (RFC 791), for ip= and DHCP
 * replies that give none. */
uint32_t ip4_classful_mask(uint32_t addr);

/* 1 if s[len] is an RFC 1123 name shorter than max: dot-separated labels
 * of letters, digits and '-', each 1-63 long, neither starting nor
 * ending with '-'. What reaches the host name or resolv.conf passes it. */
int dns_name_ok(const char *s, size_t len, size_t max);

/* 1 if s[len] is an IPv4 literal (all digits and dots) or else a DNS
 * name, shorter than max. */
int host_ok(const char *s, size_t len, size_t max);

/* HOST:PORT[/NAME], NAME being what the server's certificate names
 * (HOST when not given). */
struct host_port {
	char host[HOSTPORT_HOST_MAX];
	uint16_t port;
	char name[HOSTPORT_HOST_MAX];
};

/* Parses s[len]. Returns NULL, or what is wrong, worded to be followed
 * by the text: "port must be 1-65535 in". */
const char *host_port_parse(const char *s, size_t len, struct host_port *hp);

#endif
