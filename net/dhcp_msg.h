#ifndef STELE_DHCP_MSG_H
#define STELE_DHCP_MSG_H

#include <stddef.h>
#include <stdint.h>

#include "ip_param.h"

/* DHCPv4 on the wire (RFC 2131, 2132): messages built into and parsed from
 * the caller's buffers; no system calls, no allocation. Addresses are host
 * order (see ip_param.h). */

#define DHCP_SERVER_PORT 67
#define DHCP_CLIENT_PORT 68
#define DHCP_MSG_MIN 300		/* BOOTP's minimum; some servers drop less */
#define DHCP_FIXED_LEN 240		/* header and magic cookie */
#define DHCP_FRAME_HDR 28		/* IPv4 and UDP headers in front */
#define DHCP_FRAME_MAX 1500		/* an Ethernet MTU of IPv4 */
#define DHCP_DNS_MAX 3			/* resolv.conf's MAXNS */
#define DHCP_DOMAIN_MAX 128		/* with NUL */
#define DHCP_REASON_MAX 96
#define DHCP_LEASE_INFINITE 0xffffffffu

enum dhcp_type {
	DHCPDISCOVER = 1, DHCPOFFER, DHCPREQUEST, DHCPDECLINE, DHCPACK, DHCPNAK,
	DHCPRELEASE, DHCPINFORM,
};

/* What to send: DHCPDISCOVER or DHCPREQUEST. requested and server are
 * options 50 and 54 (0: left out); ciaddr is set when renewing. */
struct dhcp_req {
	enum dhcp_type type;
	uint32_t xid;
	uint16_t secs;
	unsigned char mac[6];
	uint32_t ciaddr, requested, server;
};

/* A parsed DHCPOFFER, DHCPACK or DHCPNAK. Fields a reply lacks are 0 or "";
 * hostname and domain are dropped, not refused, when they fail
 * dns_name_ok(): a bad name must not cost the lease. */
struct dhcp_reply {
	enum dhcp_type type;
	uint32_t yiaddr, server, mask, router;
	uint32_t dns[DHCP_DNS_MAX];
	size_t n_dns;
	uint32_t ntp[DHCP_DNS_MAX];	/* option 42, as many as DNS servers kept */
	size_t n_ntp;
	uint32_t lease_s, t1_s, t2_s;	/* t1_s, t2_s 0 if not given */
	char hostname[IP_HOSTNAME_MAX];
	char domain[DHCP_DOMAIN_MAX];
};

/* Writes the BOOTP message for req into buf[cap] (cap >= DHCP_MSG_MIN).
 * Returns its length, or 0 if it does not fit. */
size_t dhcp_msg_build(unsigned char *buf, size_t cap, const struct dhcp_req *req);

enum { DHCP_MSG_BAD = -1, DHCP_MSG_OK = 0, DHCP_MSG_OTHER = 1 };

/* Parses the BOOTP message msg[len] received by the client with this xid
 * and mac. DHCP_MSG_OTHER: a well-formed reply for another client or
 * transaction, to drop silently. DHCP_MSG_BAD: ours but malformed, with the
 * reason in why[DHCP_REASON_MAX]. DHCP_MSG_OK: *r is filled; an OFFER or
 * ACK has a yiaddr, a server identifier and a contiguous mask (classful if
 * none was given), an ACK a lease time. */
int dhcp_msg_parse(const unsigned char *msg, size_t len, uint32_t xid,
		   const unsigned char mac[6], struct dhcp_reply *r, char *why);

/* Wraps msg[len] in IPv4 and UDP headers, 68 to 67, with both checksums,
 * into frame[cap]; msg may already sit at frame + DHCP_FRAME_HDR. Returns
 * the frame length, or 0 if it does not fit. */
size_t dhcp_frame_build(unsigned char *frame, size_t cap, uint32_t src, uint32_t dst,
			const unsigned char *msg, size_t len);

/* Checks an IPv4 packet frame[len] as read from a packet socket: version,
 * header length and checksum, no fragment, UDP from port 67 to 68, UDP
 * length, and the UDP checksum when check_udp (a NIC may hand over packets
 * whose checksum it has not filled in yet). Returns the UDP payload's
 * offset in frame and its length in *msg_len, or 0 with why filled. */
size_t dhcp_frame_open(const unsigned char *frame, size_t len, int check_udp,
		       size_t *msg_len, char *why);

static inline uint32_t be32_get(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline unsigned char *be32_put(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	return p + 4;
}

#endif
