/* IPv4 and UDP headers around DHCP messages. The network service talks
 * DHCP over a packet socket so that no UDP port is ever bound; the kernel's
 * checks of incoming headers are therefore repeated here. */
#include "dhcp_msg.h"

#include <stdio.h>
#include <string.h>

#define IP_HDR 20
#define UDP_HDR 8
#define IPPROTO_UDP_ 17

static unsigned be16_get(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static void be16_put(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

/* One's complement sum (RFC 1071); n is at most a frame, so no overflow. */
static uint32_t sum16(uint32_t s, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		s += be16_get(p + i);
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static unsigned fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

/* The UDP checksum's pseudo header: addresses, protocol, UDP length. */
static uint32_t pseudo(const unsigned char *ip, size_t udp_len)
{
	return sum16(IPPROTO_UDP_ + (uint32_t)udp_len, ip + 12, 8);
}

size_t dhcp_frame_build(unsigned char *f, size_t cap, uint32_t src, uint32_t dst,
			const unsigned char *msg, size_t len)
{
	unsigned char *u = f + IP_HDR;
	size_t total = IP_HDR + UDP_HDR + len;
	unsigned csum;

	if (total > cap || total > DHCP_FRAME_MAX)
		return 0;
	memset(f, 0, IP_HDR + UDP_HDR);
	f[0] = 0x45;
	be16_put(f + 2, (unsigned)total);
	f[8] = 64;
	f[9] = IPPROTO_UDP_;
	be32_put(f + 12, src);
	be32_put(f + 16, dst);
	be16_put(f + 10, fold(sum16(0, f, IP_HDR)));
	be16_put(u, DHCP_CLIENT_PORT);
	be16_put(u + 2, DHCP_SERVER_PORT);
	be16_put(u + 4, (unsigned)(UDP_HDR + len));
	memmove(u + UDP_HDR, msg, len);
	csum = fold(sum16(pseudo(f, UDP_HDR + len), u, UDP_HDR + len));
	be16_put(u + 6, csum ? csum : 0xffff);
	return total;
}

static size_t refuse(char *why, const char *reason)
{
	snprintf(why, DHCP_REASON_MAX, "%s", reason);
	return 0;
}

size_t dhcp_frame_open(const unsigned char *f, size_t len, int check_udp,
		       size_t *msg_len, char *why)
{
	size_t ihl, total, ulen;
	const unsigned char *u;

	if (len < IP_HDR + UDP_HDR || f[0] >> 4 != 4)
		return refuse(why, "not an IPv4 packet");
	ihl = (size_t)(f[0] & 15) * 4;
	total = be16_get(f + 2);
	if (ihl < IP_HDR || total < ihl + UDP_HDR || total > len)
		return refuse(why, "bad IPv4 header or total length");
	if (fold(sum16(0, f, ihl)) != 0)
		return refuse(why, "bad IPv4 header checksum");
	if (be16_get(f + 6) & 0x3fff)
		return refuse(why, "IPv4 fragment");
	u = f + ihl;
	if (f[9] != IPPROTO_UDP_ || be16_get(u) != DHCP_SERVER_PORT ||
	    be16_get(u + 2) != DHCP_CLIENT_PORT)
		return refuse(why, "not UDP from port 67 to 68");
	ulen = be16_get(u + 4);
	if (ulen < UDP_HDR || ulen > total - ihl)
		return refuse(why, "bad UDP length");
	if (check_udp && be16_get(u + 6) && fold(sum16(pseudo(f, ulen), u, ulen)) != 0)
		return refuse(why, "bad UDP checksum");
	*msg_len = ulen - UDP_HDR;
	return ihl + UDP_HDR;
}
