#ifndef STELE_NET_REPORT_H
#define STELE_NET_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"

/* What the network service (stele-net, unprivileged) tells PID 1 on its
 * fd NET_REPORT_FD, which PID 1 applies: the host name, resolv.conf and
 * the NTP servers are PID 1's to set. One line each, written whole:
 *
 *     hostname NAME
 *     resolv DOMAIN|- ADDR[,ADDR...]
 *     ntp ADDR[,ADDR...]
 *
 * PID 1 checks every line again (net_report_parse): the network service
 * is where packets from the LAN are parsed, and is trusted no further
 * than its own user. */

#define NET_REPORT_FD 3
#define NET_REPORT_LINE_MAX 256		/* with its '\n' */
#define NET_REPORT_ADDR_MAX 3		/* resolv.conf's MAXNS */
#define NET_REPORT_DOMAIN_MAX 128	/* with NUL */

enum net_report_kind { NET_REPORT_HOSTNAME, NET_REPORT_RESOLV, NET_REPORT_NTP };

struct net_report {
	enum net_report_kind kind;
	char name[NET_REPORT_DOMAIN_MAX];	/* host name, or domain ("" none) */
	uint32_t addr[NET_REPORT_ADDR_MAX];
	size_t n_addr;
};

/* Parses one line (without its '\n'). Returns 0, or -1 with what is
 * wrong in why[96]. */
int net_report_parse(const char *line, size_t len, struct net_report *r, char *why);

/* Formats r as a line with its '\n' (and a NUL after it) into
 * buf[NET_REPORT_LINE_MAX]. Returns the length, or 0 if it does not fit. */
size_t net_report_format(char *buf, const struct net_report *r);

#endif
