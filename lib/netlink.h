#ifndef STELE_NETLINK_H
#define STELE_NETLINK_H

#include <stdint.h>

#include <net/if.h>

/* The few rtnetlink requests the network service needs (CAP_NET_ADMIN).
 * All return 0, or -1 with errno; addresses are host order. */

#define NL_LOOPBACK_INDEX 1		/* LOOPBACK_IFINDEX: lo in every netns */

struct nl_link {
	int index;
	char name[IF_NAMESIZE];
	unsigned char mac[6];
};

/* A NETLINK_ROUTE socket; groups (RTMGRP_*) to hear announcements. */
int nl_open(unsigned groups);

/* Finds the Ethernet interface called name, or with name "" the first one
 * that is not a loopback. Returns 1 and fills *link, 0 if there is none. */
int nl_link_find(int fd, const char *name, struct nl_link *link);

int nl_link_up(int fd, int index);

/* Adds (replacing) or removes addr/prefix, with its broadcast address. */
int nl_addr_set(int fd, int add, int index, uint32_t addr, int prefix);

/* Adds or replaces the default route via gw on the interface. */
int nl_route_default(int fd, int index, uint32_t gw);

/* Adds (replacing) a blackhole route to dst/32: the kernel refuses every
 * connection and datagram to it from here on. No interface is named, so
 * links going down or up and DHCP's routes leave it in place. */
int nl_route_blackhole(int fd, uint32_t dst);
/* The same for the IPv6 address dst/128; errno EAFNOSUPPORT or EOPNOTSUPP
 * when the kernel has no IPv6. */
int nl_route_blackhole6(int fd, const unsigned char dst[16]);

#endif
