#include "netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_arp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NL_BUF 8192			/* dumps come in parts of at most a page */

struct request {
	struct nlmsghdr h;
	union {
		struct ifinfomsg link;
		struct ifaddrmsg addr;
		struct rtmsg route;
	} u;
	unsigned char attrs[64];
};

static unsigned seq;

static void request_init(struct request *r, unsigned type, unsigned flags, size_t body)
{
	memset(r, 0, sizeof *r);
	r->h.nlmsg_len = (uint32_t)NLMSG_LENGTH(body);
	r->h.nlmsg_type = (uint16_t)type;
	r->h.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	r->h.nlmsg_seq = ++seq;
}

/* Appends an attribute: an address (4 or 16 bytes) or an interface index;
 * attrs has room for four of them. */
static void attr(struct request *r, unsigned type, const void *v, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->h.nlmsg_len));

	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	memcpy(RTA_DATA(a), v, len);
	r->h.nlmsg_len = NLMSG_ALIGN(r->h.nlmsg_len) + RTA_ALIGN(a->rta_len);
}

static void attr32(struct request *r, unsigned type, uint32_t v)
{
	attr(r, type, &v, 4);
}

int nl_open(unsigned groups)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = groups };
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static ssize_t receive(int fd, void *buf)
{
	ssize_t n;

	do
		n = recv(fd, buf, NL_BUF, MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n > NL_BUF || n == 0) {
		errno = n ? EMSGSIZE : EPROTO;
		return -1;
	}
	return n;
}

/* Sends r and waits for the kernel's acknowledgement of it. */
static int talk(int fd, struct request *r)
{
	_Alignas(struct nlmsghdr) char buf[NL_BUF];

	r->h.nlmsg_flags |= NLM_F_ACK;
	if (send(fd, r, r->h.nlmsg_len, 0) < 0)
		return -1;
	for (;;) {
		ssize_t n = receive(fd, buf);
		size_t left = n > 0 ? (size_t)n : 0;

		if (n < 0)
			return -1;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			const struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_seq != r->h.nlmsg_seq || h->nlmsg_type != NLMSG_ERROR)
				continue;
			if (h->nlmsg_len < NLMSG_LENGTH(sizeof *e)) {
				errno = EPROTO;
				return -1;
			}
			errno = -e->error;
			return e->error ? -1 : 0;
		}
	}
}

/* 1 if the RTM_NEWLINK message h is the interface wanted; fills *link. */
static int link_matches(const struct nlmsghdr *h, const char *name, struct nl_link *link)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof *ifi);
	struct nl_link l = { 0 };
	int have_mac = 0;

	if (len < 0 || ifi->ifi_type != ARPHRD_ETHER || (ifi->ifi_flags & IFF_LOOPBACK))
		return 0;
	l.index = ifi->ifi_index;
	for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		size_t n = RTA_PAYLOAD(a);

		if (a->rta_type == IFLA_IFNAME && n > 1 && n <= sizeof l.name)
			memcpy(l.name, RTA_DATA(a), n - 1);
		else if (a->rta_type == IFLA_ADDRESS && n == sizeof l.mac) {
			memcpy(l.mac, RTA_DATA(a), n);
			have_mac = 1;
		}
	}
	if (!have_mac || !l.name[0] || (name[0] && strcmp(name, l.name) != 0))
		return 0;
	*link = l;
	return 1;
}

int nl_link_find(int fd, const char *name, struct nl_link *link)
{
	_Alignas(struct nlmsghdr) char buf[NL_BUF];
	struct request r;
	int found = 0;

	request_init(&r, RTM_GETLINK, NLM_F_DUMP, sizeof r.u.link);
	r.u.link.ifi_family = AF_UNSPEC;
	if (send(fd, &r, r.h.nlmsg_len, 0) < 0)
		return -1;
	/* Read the dump to its end even after a match: it must not be left
	 * in the socket for the next request to trip on. */
	for (;;) {
		ssize_t n = receive(fd, buf);
		size_t left = n > 0 ? (size_t)n : 0;

		if (n < 0)
			return -1;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, left); h = NLMSG_NEXT(h, left)) {
			if (h->nlmsg_seq != r.h.nlmsg_seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return found;
			if (h->nlmsg_type == NLMSG_ERROR) {
				errno = EPROTO;
				return -1;
			}
			if (h->nlmsg_type == RTM_NEWLINK && !found)
				found = link_matches(h, name, link);
		}
	}
}

int nl_link_up(int fd, int index)
{
	struct request r;

	request_init(&r, RTM_NEWLINK, 0, sizeof r.u.link);
	r.u.link.ifi_family = AF_UNSPEC;
	r.u.link.ifi_index = index;
	r.u.link.ifi_flags = IFF_UP;
	r.u.link.ifi_change = IFF_UP;
	return talk(fd, &r);
}

int nl_addr_set(int fd, int add, int index, uint32_t addr, int prefix)
{
	struct request r;
	uint32_t host_bits = prefix ? 0xffffffffu >> prefix : 0xffffffffu;

	request_init(&r, add ? RTM_NEWADDR : RTM_DELADDR, add ? NLM_F_CREATE | NLM_F_REPLACE : 0,
		     sizeof r.u.addr);
	r.u.addr.ifa_family = AF_INET;
	r.u.addr.ifa_prefixlen = (unsigned char)prefix;
	r.u.addr.ifa_scope = RT_SCOPE_UNIVERSE;
	r.u.addr.ifa_index = (unsigned)index;
	attr32(&r, IFA_LOCAL, htonl(addr));
	attr32(&r, IFA_ADDRESS, htonl(addr));
	if (prefix < 31)
		attr32(&r, IFA_BROADCAST, htonl(addr | host_bits));
	return talk(fd, &r);
}

int nl_route_default(int fd, int index, uint32_t gw)
{
	struct request r;

	request_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, sizeof r.u.route);
	r.u.route.rtm_family = AF_INET;
	r.u.route.rtm_table = RT_TABLE_MAIN;
	r.u.route.rtm_protocol = RTPROT_BOOT;
	r.u.route.rtm_scope = RT_SCOPE_UNIVERSE;
	r.u.route.rtm_type = RTN_UNICAST;
	attr32(&r, RTA_GATEWAY, htonl(gw));
	attr32(&r, RTA_OIF, (uint32_t)index);
	return talk(fd, &r);
}

static int blackhole(int fd, int family, const void *dst, size_t len)
{
	struct request r;

	request_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, sizeof r.u.route);
	r.u.route.rtm_family = (unsigned char)family;
	r.u.route.rtm_dst_len = (unsigned char)(len * 8);
	r.u.route.rtm_table = RT_TABLE_MAIN;
	r.u.route.rtm_protocol = RTPROT_BOOT;
	r.u.route.rtm_scope = RT_SCOPE_UNIVERSE;
	r.u.route.rtm_type = RTN_BLACKHOLE;
	attr(&r, RTA_DST, dst, len);
	return talk(fd, &r);
}

int nl_route_blackhole(int fd, uint32_t dst)
{
	uint32_t be = htonl(dst);

	return blackhole(fd, AF_INET, &be, 4);
}

int nl_route_blackhole6(int fd, const unsigned char dst[16])
{
	return blackhole(fd, AF_INET6, dst, 16);
}
