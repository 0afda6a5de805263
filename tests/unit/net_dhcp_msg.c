/* DHCPv4 messages and their IPv4/UDP frames: known-answer bytes for what
 * stele sends (checksums computed by an independent implementation), and
 * hand-made replies, good and malformed, for what it accepts. */
#include <string.h>

#include "check.h"
#include "dhcp_msg.h"

#define A(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static const unsigned char mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint32_t xid = 0x12345678;
static struct dhcp_reply r;
static char why[DHCP_REASON_MAX];

/* The DISCOVER for xid 0x12345678 from 52:54:00:12:34:56, broadcast: the
 * IPv4 and UDP headers, then the BOOTP fields that are not zero. */
static const unsigned char discover_hdr[28] = {
	0x45, 0x00, 0x01, 0x48, 0x00, 0x00, 0x00, 0x00, 0x40, 0x11, 0x79, 0xa6,
	0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x00, 0x44, 0x00, 0x43,
	0x01, 0x34, 0xbf, 0xb3,
};
static const unsigned char discover_opts[] = {
	0x35, 0x01, 0x01, 0x39, 0x02, 0x05, 0xdc, 0x37, 0x09, 0x01, 0x03, 0x06,
	0x0c, 0x0f, 0x2a, 0x33, 0x3a, 0x3b, 0xff,
};

static void test_discover(void)
{
	unsigned char frame[DHCP_FRAME_MAX], want[300] = { 1, 1, 6, 0, 0x12, 0x34, 0x56, 0x78 };
	struct dhcp_req q = { .type = DHCPDISCOVER, .xid = xid };
	size_t len, off, mlen;

	memcpy(q.mac, mac, 6);
	memcpy(want + 28, mac, 6);
	memcpy(want + 236, "\x63\x82\x53\x63", 4);
	memcpy(want + 240, discover_opts, sizeof discover_opts);
	len = dhcp_msg_build(frame + DHCP_FRAME_HDR, sizeof frame - DHCP_FRAME_HDR, &q);
	CHECK_INT(300, len);
	CHECK_MEM(want, frame + DHCP_FRAME_HDR, sizeof want);
	len = dhcp_frame_build(frame, sizeof frame, 0, 0xffffffffu, frame + DHCP_FRAME_HDR, len);
	CHECK_INT(328, len);
	CHECK_MEM(discover_hdr, frame, sizeof discover_hdr);
	CHECK_MEM(want, frame + DHCP_FRAME_HDR, sizeof want);

	/* What is sent opens as a frame too (ports swapped to look received). */
	frame[21] = 67;
	frame[23] = 68;
	frame[26] = 0;			/* checksum 0: none, allowed in UDP/IPv4 */
	frame[27] = 0;
	off = dhcp_frame_open(frame, len, 1, &mlen, why);
	CHECK_INT(DHCP_FRAME_HDR, off);
	CHECK_INT(300, mlen);

	CHECK_INT(0, dhcp_msg_build(frame, DHCP_MSG_MIN - 1, &q));
}

static void test_request(void)
{
	unsigned char msg[DHCP_MSG_MIN];
	static const unsigned char opts[] = {
		53, 1, 3, 50, 4, 10, 0, 2, 15, 54, 4, 10, 0, 2, 2, 57, 2, 5, 220,
		55, 9, 1, 3, 6, 12, 15, 42, 51, 58, 59, 255,
	};
	struct dhcp_req q = {
		.type = DHCPREQUEST, .xid = xid, .secs = 0x0102,
		.requested = A(10, 0, 2, 15), .server = A(10, 0, 2, 2),
	};

	memcpy(q.mac, mac, 6);
	CHECK_INT(300, dhcp_msg_build(msg, sizeof msg, &q));
	CHECK_MEM(opts, msg + 240, sizeof opts);
	CHECK(msg[8] == 1 && msg[9] == 2);
	for (size_t i = 240 + sizeof opts; i < sizeof msg; i++)
		if (!CHECK_INT(0, msg[i]))
			break;

	/* A renewal: ciaddr set, no option 50 or 54. */
	q.requested = q.server = 0;
	q.ciaddr = A(10, 0, 2, 15);
	CHECK_INT(300, dhcp_msg_build(msg, sizeof msg, &q));
	CHECK_MEM("\x0a\x00\x02\x0f", msg + 12, 4);
	CHECK_MEM("\x35\x01\x03\x39\x02", msg + 240, 5);
}

/* A BOOTREPLY for xid and mac with options opts[n] after the cookie. */
static size_t reply(unsigned char *m, const unsigned char *opts, size_t n)
{
	memset(m, 0, 240);
	m[0] = 2;
	m[1] = 1;
	m[2] = 6;
	memcpy(m + 4, "\x12\x34\x56\x78", 4);
	memcpy(m + 16, "\x0a\x00\x02\x0f", 4);		/* yiaddr 10.0.2.15 */
	memcpy(m + 20, "\x0a\x00\x02\x02", 4);		/* siaddr */
	memcpy(m + 28, mac, 6);
	memcpy(m + 236, "\x63\x82\x53\x63", 4);
	memcpy(m + 240, opts, n);
	return 240 + n;
}

static int parse(const unsigned char *opts, size_t n)
{
	unsigned char m[1024];
	size_t len = reply(m, opts, n);

	why[0] = '\0';
	return dhcp_msg_parse(m, len, xid, mac, &r, why);
}

/* What QEMU's slirp sends (slirp/src/bootp.c), in its order. */
static const unsigned char slirp_ack[] = {
	53, 1, 5, 54, 4, 10, 0, 2, 2, 1, 4, 255, 255, 255, 0, 3, 4, 10, 0, 2, 2,
	6, 4, 10, 0, 2, 3, 51, 4, 0, 1, 0x51, 0x80, 255,
};

static void test_good(void)
{
	static const unsigned char offer[] = {
		53, 1, 2, 0, 0, 54, 4, 192, 168, 1, 1, 1, 4, 255, 255, 254, 0,
		3, 8, 192, 168, 1, 254, 192, 168, 1, 253,
		6, 16, 1, 1, 1, 1, 8, 8, 8, 8, 9, 9, 9, 9, 1, 0, 0, 1,
		12, 6, 'w', 'e', 'b', '-', '1', 0,		/* trailing NUL tolerated */
		15, 11, 'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm',
		58, 4, 0, 0, 0, 100, 59, 4, 0, 0, 0, 200, 99, 3, 1, 2, 3, 255,
		1, 4, 0, 0, 0, 0,			/* after the end: ignored */
	};

	CHECK_INT(DHCP_MSG_OK, parse(slirp_ack, sizeof slirp_ack));
	CHECK_INT(DHCPACK, r.type);
	CHECK_INT(A(10, 0, 2, 15), r.yiaddr);
	CHECK_INT(A(10, 0, 2, 2), r.server);
	CHECK_INT(A(255, 255, 255, 0), r.mask);
	CHECK_INT(A(10, 0, 2, 2), r.router);
	CHECK_INT(1, r.n_dns);
	CHECK_INT(A(10, 0, 2, 3), r.dns[0]);
	CHECK_INT(86400, r.lease_s);
	CHECK_INT(0, r.t1_s);
	CHECK_STR("", r.hostname);

	check_what = "offer with every option";
	CHECK_INT(DHCP_MSG_OK, parse(offer, sizeof offer));
	CHECK_INT(DHCPOFFER, r.type);
	CHECK_INT(A(192, 168, 1, 1), r.server);
	CHECK_INT(A(255, 255, 254, 0), r.mask);
	CHECK_INT(A(192, 168, 1, 254), r.router);
	CHECK_INT(3, r.n_dns);			/* the fourth does not fit resolv.conf */
	CHECK_INT(A(9, 9, 9, 9), r.dns[2]);
	CHECK_STR("web-1", r.hostname);
	CHECK_STR("example.com", r.domain);
	CHECK_INT(100, r.t1_s);
	CHECK_INT(200, r.t2_s);
	CHECK_INT(0, r.lease_s);		/* an OFFER may leave it out */

	/* No mask: the class's. A NAK needs neither yiaddr nor server. */
	check_what = "no mask";
	CHECK_INT(DHCP_MSG_OK, parse((const unsigned char *)"\x35\x01\x05\x36\x04\x0a\x00\x02\x02"
				     "\x33\x04\x00\x00\x0e\x10\xff", 16));
	CHECK_INT(A(255, 0, 0, 0), r.mask);
	CHECK_INT(3600, r.lease_s);
	check_what = "nak";
	CHECK_INT(DHCP_MSG_OK, parse((const unsigned char *)"\x35\x01\x06\xff", 4));
	CHECK_INT(DHCPNAK, r.type);

	/* No end option: the area simply ends. */
	check_what = "no end";
	CHECK_INT(DHCP_MSG_OK, parse(slirp_ack, sizeof slirp_ack - 1));
}

static void test_names(void)
{
	static const unsigned char bad_host[] = {
		53, 1, 5, 54, 4, 10, 0, 2, 2, 51, 4, 0, 0, 0, 60,
		12, 4, 'a', '\n', 'b', 'c', 15, 3, '-', 'x', 'y', 255,
	};
	unsigned char long_name[96];

	check_what = "bad names are dropped, the lease kept";
	CHECK_INT(DHCP_MSG_OK, parse(bad_host, sizeof bad_host));
	CHECK_STR("", r.hostname);
	CHECK_STR("", r.domain);

	memcpy(long_name, "\x35\x01\x05\x36\x04\x0a\x00\x02\x02\x33\x04\x00\x00\x00\x3c\x0c\x40", 17);
	memset(long_name + 17, 'a', 64);
	CHECK_INT(DHCP_MSG_OK, parse(long_name, 17 + 64));
	CHECK_STR("", r.hostname);		/* 64 characters: one too many */
	long_name[16] = 63;
	long_name[17 + 63] = 255;
	CHECK_INT(DHCP_MSG_OK, parse(long_name, 17 + 64));
	CHECK_INT(63, strlen(r.hostname));
}

static void test_overload(void)
{
	unsigned char m[1024];
	size_t len = reply(m, (const unsigned char *)"\x35\x01\x05\x34\x01\x03\xff", 7);

	/* file carries the server and lease, sname the router. */
	memcpy(m + 108, "\x36\x04\x0a\x00\x02\x02\x00\x33\x04\x00\x00\x00\x78\xff", 14);
	memcpy(m + 44, "\x03\x04\x0a\x00\x02\x01\xff", 7);
	check_what = "overload";
	CHECK_INT(DHCP_MSG_OK, dhcp_msg_parse(m, len, xid, mac, &r, why));
	CHECK_INT(A(10, 0, 2, 2), r.server);
	CHECK_INT(120, r.lease_s);
	CHECK_INT(A(10, 0, 2, 1), r.router);

	/* Overload named inside an overloaded field, or running off it. */
	memcpy(m + 108, "\x34\x01\x01\xff", 4);
	CHECK_INT(DHCP_MSG_BAD, dhcp_msg_parse(m, len, xid, mac, &r, why));
	CHECK_HAS(why, "option 52");
	memset(m + 44, 0, 192);
	m[44 + 62] = 3;
	m[44 + 63] = 4;
	CHECK_INT(DHCP_MSG_BAD, dhcp_msg_parse(m, len, xid, mac, &r, why));
	CHECK_HAS(why, "option 3");
}

/* Malformed replies to us: refused, with a reason naming the option. */
static void test_bad(void)
{
	static const struct { const char *opts; size_t n; const char *word; } cases[] = {
		{ "\x35\x01\x05\x33\x04\x00\x00", 7, "option 51 of length 4 runs past the end" },
		{ "\x35\x01\x05\x33", 4, "option 51 has no length byte" },
		{ "\x35\x02\x05\x05\xff", 5, "option 53 has length 2" },
		{ "\x35\x01\x05\x01\x03\xff\xff\xff\xff", 9, "option 1 has length 3" },
		{ "\x35\x01\x05\x01\x04\xff\x00\xff\x00\xff", 10, "option 1: subnet mask not contiguous" },
		{ "\x35\x01\x05\x03\x05\x01\x02\x03\x04\x05\xff", 11, "option 3 has length 5" },
		{ "\x35\x01\x05\x06\x00\xff", 6, "option 6 has length 0" },
		{ "\x35\x01\x05\x34\x01\x04\xff", 7, "option 52: bad overload 4" },
		{ "\x35\x01\x05\x36\x03\x01\x02\x03\xff", 9, "option 54 has length 3" },
		{ "\xff", 1, "message type 0" },
		{ "\x35\x01\x01\xff", 4, "message type 1 is not" },
		{ "\x35\x01\x05\x33\x04\x00\x00\x00\x01\xff", 10, "server identifier" },
		{ "\x35\x01\x05\x36\x04\x0a\x00\x02\x02\xff", 10, "lease time" },
		{ "\x35\x01\x02\x36\x04\x00\x00\x00\x00\xff", 10, "server identifier" },
	};
	unsigned char m[1024];
	size_t len;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		check_what = cases[i].word;
		CHECK_INT(DHCP_MSG_BAD, parse((const unsigned char *)cases[i].opts, cases[i].n));
		CHECK_HAS(why, cases[i].word);
	}

	/* yiaddr that is not a unicast address. */
	len = reply(m, slirp_ack, sizeof slirp_ack);
	memcpy(m + 16, "\x7f\x00\x00\x01", 4);
	check_what = "yiaddr 127.0.0.1";
	CHECK_INT(DHCP_MSG_BAD, dhcp_msg_parse(m, len, xid, mac, &r, why));
	CHECK_HAS(why, "unicast yiaddr");

	/* The fixed part: cookie and length. */
	len = reply(m, slirp_ack, sizeof slirp_ack);
	m[239] = 0;
	check_what = "no cookie";
	CHECK_INT(DHCP_MSG_BAD, dhcp_msg_parse(m, len, xid, mac, &r, why));
	CHECK_HAS(why, "magic cookie");
	check_what = "short";
	CHECK_INT(DHCP_MSG_BAD, dhcp_msg_parse(m, 239, xid, mac, &r, why));
	CHECK_HAS(why, "239 bytes");
}

/* Replies for another client or transaction: dropped without a word. */
static void test_other(void)
{
	unsigned char m[1024];
	size_t len = reply(m, slirp_ack, sizeof slirp_ack);
	const unsigned char other_mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x57 };

	check_what = "other";
	CHECK_INT(DHCP_MSG_OTHER, dhcp_msg_parse(m, len, xid + 1, mac, &r, why));
	CHECK_INT(DHCP_MSG_OTHER, dhcp_msg_parse(m, len, xid, other_mac, &r, why));
	m[0] = 1;
	CHECK_INT(DHCP_MSG_OTHER, dhcp_msg_parse(m, len, xid, mac, &r, why));
	m[0] = 2;
	m[2] = 8;
	CHECK_INT(DHCP_MSG_OTHER, dhcp_msg_parse(m, len, xid, mac, &r, why));
}

/* The IPv4 header checksum, recomputed the plain way, for cases that
 * change a header field and must fail on that field alone. */
static void fix_ip_checksum(unsigned char *f)
{
	unsigned long sum = 0;

	f[10] = f[11] = 0;
	for (int i = 0; i < (f[0] & 15) * 4; i += 2)
		sum += (unsigned long)(f[i] << 8 | f[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	f[10] = (unsigned char)(~sum >> 8);
	f[11] = (unsigned char)~sum;
}

static void test_frames(void)
{
	static const struct { size_t at; unsigned val; int fix; const char *word; } cases[] = {
		{ 0, 0x6500, 0, "not an IPv4" },
		{ 0, 0x4400, 0, "header or total length" },
		{ 2, 0x0148, 1, "header or total length" },	/* longer than read */
		{ 2, 0x001b, 1, "header or total length" },	/* no room for UDP */
		{ 8, 0x3f11, 0, "header checksum" },
		{ 6, 0x2000, 1, "fragment" },
		{ 6, 0x0001, 1, "fragment" },
		{ 8, 0x4006, 1, "not UDP" },
		{ 20, 0x0044, 0, "port 67 to 68" },
		{ 22, 0x0043, 0, "port 67 to 68" },
		{ 24, 0x0007, 0, "UDP length" },
		{ 24, 0x0134, 0, "UDP length" },
	};
	unsigned char f[DHCP_FRAME_MAX], msg[300];
	size_t len, mlen;
	struct dhcp_req q = { .type = DHCPDISCOVER, .xid = xid };

	dhcp_msg_build(msg, sizeof msg, &q);
	/* As a server would send it: 67 to 68. Swapping the two port words
	 * leaves the UDP checksum as it was. */
	len = dhcp_frame_build(f, sizeof f, A(10, 0, 2, 2), A(10, 0, 2, 15), msg, 299);
	CHECK_INT(327, len);
	f[21] = 67;
	f[23] = 68;
	CHECK_INT(28, dhcp_frame_open(f, len, 1, &mlen, why));
	CHECK_INT(299, mlen);

	/* Ethernet padding after the IPv4 total length is not payload. */
	CHECK_INT(28, dhcp_frame_open(f, len + 20, 1, &mlen, why));
	CHECK_INT(299, mlen);

	/* Don't-fragment is fine; options in the IPv4 header are skipped. */
	{
		unsigned char g[DHCP_FRAME_MAX];

		memcpy(g, f, len);
		g[6] = 0x40;
		fix_ip_checksum(g);
		CHECK_INT(28, dhcp_frame_open(g, len, 1, &mlen, why));
		memcpy(g, f, 20);
		memset(g + 20, 1, 4);			/* four NOP options */
		memcpy(g + 24, f + 20, len - 20);
		g[0] = 0x46;
		g[3] += 4;
		fix_ip_checksum(g);
		CHECK_INT(32, dhcp_frame_open(g, len + 4, 1, &mlen, why));
		CHECK_INT(299, mlen);
	}

	/* A byte of payload changed: the UDP checksum says so, unless the
	 * NIC has not filled it in (check_udp 0). */
	f[100] ^= 1;
	CHECK_INT(0, dhcp_frame_open(f, len, 1, &mlen, why));
	CHECK_HAS(why, "UDP checksum");
	CHECK_INT(28, dhcp_frame_open(f, len, 0, &mlen, why));
	f[100] ^= 1;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned char g[DHCP_FRAME_MAX];

		memcpy(g, f, len);
		g[cases[i].at] = (unsigned char)(cases[i].val >> 8);
		g[cases[i].at + 1] = (unsigned char)cases[i].val;
		if (cases[i].fix)
			fix_ip_checksum(g);
		check_what = cases[i].word;
		CHECK_INT(0, dhcp_frame_open(g, len, 1, &mlen, why));
		CHECK_HAS(why, cases[i].word);
	}
	check_what = "truncated";
	CHECK_INT(0, dhcp_frame_open(f, len - 1, 1, &mlen, why));
	CHECK_INT(0, dhcp_frame_open(f, 27, 1, &mlen, why));
	CHECK_INT(0, dhcp_frame_build(f, 327, 0, 0, msg, 300));
}

int main(void)
{
	test_discover();
	test_request();
	test_good();
	test_names();
	test_overload();
	test_bad();
	test_other();
	test_frames();
	return check_done();
}
