#include "dhcp_msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define OFF_XID 4
#define OFF_CIADDR 12
#define OFF_YIADDR 16
#define OFF_CHADDR 28
#define OFF_SNAME 44
#define OFF_FILE 108
#define OFF_COOKIE 236

enum {
	OPT_PAD = 0, OPT_MASK = 1, OPT_ROUTER = 3, OPT_DNS = 6, OPT_HOSTNAME = 12,
	OPT_DOMAIN = 15, OPT_NTP = 42, OPT_REQUESTED = 50, OPT_LEASE = 51, OPT_OVERLOAD = 52,
	OPT_TYPE = 53, OPT_SERVER = 54, OPT_PARAMS = 55, OPT_MAX_SIZE = 57,
	OPT_T1 = 58, OPT_T2 = 59, OPT_END = 255,
};

static const unsigned char cookie[4] = { 99, 130, 83, 99 };
static const unsigned char wanted[] = {
	OPT_MASK, OPT_ROUTER, OPT_DNS, OPT_HOSTNAME, OPT_DOMAIN, OPT_NTP, OPT_LEASE, OPT_T1, OPT_T2,
};

/* Options whose length is fixed, and that length. */
static const unsigned char fixed_len[][2] = {
	{ OPT_MASK, 4 }, { OPT_LEASE, 4 }, { OPT_OVERLOAD, 1 }, { OPT_TYPE, 1 },
	{ OPT_SERVER, 4 }, { OPT_T1, 4 }, { OPT_T2, 4 },
};

static unsigned char *put_opt32(unsigned char *p, unsigned code, uint32_t v)
{
	*p++ = (unsigned char)code;
	*p++ = 4;
	return be32_put(p, v);
}

size_t dhcp_msg_build(unsigned char *b, size_t cap, const struct dhcp_req *q)
{
	unsigned char *p = b + DHCP_FIXED_LEN;

	if (cap < DHCP_MSG_MIN)
		return 0;
	memset(b, 0, DHCP_MSG_MIN);
	b[0] = 1;			/* BOOTREQUEST */
	b[1] = 1;			/* Ethernet */
	b[2] = 6;
	be32_put(b + OFF_XID, q->xid);
	b[8] = (unsigned char)(q->secs >> 8);
	b[9] = (unsigned char)q->secs;
	be32_put(b + OFF_CIADDR, q->ciaddr);
	memcpy(b + OFF_CHADDR, q->mac, 6);
	memcpy(b + OFF_COOKIE, cookie, sizeof cookie);
	*p++ = OPT_TYPE;
	*p++ = 1;
	*p++ = (unsigned char)q->type;
	if (q->requested)
		p = put_opt32(p, OPT_REQUESTED, q->requested);
	if (q->server)
		p = put_opt32(p, OPT_SERVER, q->server);
	*p++ = OPT_MAX_SIZE;
	*p++ = 2;
	*p++ = DHCP_FRAME_MAX >> 8;
	*p++ = DHCP_FRAME_MAX & 255;
	*p++ = OPT_PARAMS;
	*p++ = sizeof wanted;
	memcpy(p, wanted, sizeof wanted);
	p += sizeof wanted;
	*p = OPT_END;
	return DHCP_MSG_MIN;
}

struct parse {
	struct dhcp_reply *r;
	char *why;
	unsigned overload;
	int have_lease;
};

__attribute__((format(printf, 2, 3)))
static int bad(char *why, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, DHCP_REASON_MAX, fmt, ap);
	va_end(ap);
	return -1;
}

/* String options may carry a trailing NUL against RFC 2132; tolerated. */
static void copy_name(char *dst, size_t cap, const unsigned char *v, size_t n)
{
	while (n && v[n - 1] == '\0')
		n--;
	dst[0] = '\0';
	if (dns_name_ok((const char *)v, n, cap)) {
		memcpy(dst, v, n);
		dst[n] = '\0';
	}
}

/* The first DHCP_DNS_MAX addresses of an option n bytes long (n % 4 == 0). */
static size_t addr_list(uint32_t *out, const unsigned char *v, size_t n)
{
	size_t k = 0;

	for (; k < DHCP_DNS_MAX && 4 * k < n; k++)
		out[k] = be32_get(v + 4 * k);
	return k;
}

static int option(struct parse *ps, unsigned code, const unsigned char *v, size_t n, int top)
{
	struct dhcp_reply *r = ps->r;

	for (size_t i = 0; i < sizeof fixed_len / sizeof fixed_len[0]; i++)
		if (code == fixed_len[i][0] && n != fixed_len[i][1])
			return bad(ps->why, "option %u has length %u", code, (unsigned)n);
	switch (code) {
	case OPT_TYPE:
		r->type = (enum dhcp_type)v[0];
		break;
	case OPT_MASK:
		r->mask = be32_get(v);
		if (ip4_prefix(r->mask) < 0)
			return bad(ps->why, "option %u: subnet mask not contiguous", code);
		break;
	case OPT_ROUTER:
	case OPT_DNS:
	case OPT_NTP:
		if (n == 0 || n % 4)
			return bad(ps->why, "option %u has length %u", code, (unsigned)n);
		if (code == OPT_ROUTER)
			r->router = be32_get(v);
		else if (code == OPT_DNS)
			r->n_dns = addr_list(r->dns, v, n);
		else
			r->n_ntp = addr_list(r->ntp, v, n);
		break;
	case OPT_HOSTNAME:
		copy_name(r->hostname, sizeof r->hostname, v, n);
		break;
	case OPT_DOMAIN:
		copy_name(r->domain, sizeof r->domain, v, n);
		break;
	case OPT_LEASE:
		r->lease_s = be32_get(v);
		ps->have_lease = 1;
		break;
	case OPT_SERVER:
		r->server = be32_get(v);
		break;
	case OPT_T1:
		r->t1_s = be32_get(v);
		break;
	case OPT_T2:
		r->t2_s = be32_get(v);
		break;
	case OPT_OVERLOAD:
		if (!top || v[0] < 1 || v[0] > 3)
			return bad(ps->why, "option %u: bad overload %u", code, v[0]);
		ps->overload = v[0];
		break;
	}
	return 0;
}

/* One option area: the options field, or file or sname when overloaded.
 * Every length is checked against the area before the value is read. */
static int parse_area(struct parse *ps, const unsigned char *p, size_t len, int top)
{
	size_t i = 0;

	while (i < len) {
		unsigned code = p[i++];
		size_t n;

		if (code == OPT_PAD)
			continue;
		if (code == OPT_END)
			return 0;
		if (i == len)
			return bad(ps->why, "option %u has no length byte", code);
		n = p[i++];
		if (n > len - i)
			return bad(ps->why, "option %u of length %u runs past the end", code, (unsigned)n);
		if (option(ps, code, p + i, n, top))
			return -1;
		i += n;
	}
	return 0;
}

static int unicast(uint32_t a)
{
	return a && a >> 24 != 127 && a < 0xe0000000u;
}

int dhcp_msg_parse(const unsigned char *m, size_t len, uint32_t xid,
		   const unsigned char mac[6], struct dhcp_reply *r, char *why)
{
	struct parse ps = { r, why, 0, 0 };

	memset(r, 0, sizeof *r);
	if (len < DHCP_FIXED_LEN) {
		bad(why, "message of %zu bytes is shorter than %d", len, DHCP_FIXED_LEN);
		return DHCP_MSG_BAD;
	}
	if (m[0] != 2 || m[1] != 1 || m[2] != 6 || be32_get(m + OFF_XID) != xid ||
	    memcmp(m + OFF_CHADDR, mac, 6) != 0)
		return DHCP_MSG_OTHER;
	if (memcmp(m + OFF_COOKIE, cookie, sizeof cookie) != 0) {
		bad(why, "no DHCP magic cookie");
		return DHCP_MSG_BAD;
	}
	if (parse_area(&ps, m + DHCP_FIXED_LEN, len - DHCP_FIXED_LEN, 1) ||
	    ((ps.overload & 1) && parse_area(&ps, m + OFF_FILE, 128, 0)) ||
	    ((ps.overload & 2) && parse_area(&ps, m + OFF_SNAME, 64, 0)))
		return DHCP_MSG_BAD;

	r->yiaddr = be32_get(m + OFF_YIADDR);
	if (r->type != DHCPOFFER && r->type != DHCPACK && r->type != DHCPNAK) {
		bad(why, "message type %u is not OFFER, ACK or NAK", r->type);
		return DHCP_MSG_BAD;
	}
	if (r->type == DHCPNAK)
		return DHCP_MSG_OK;
	if (!unicast(r->yiaddr) || !r->server) {
		bad(why, "type %u without a unicast yiaddr or a server identifier", r->type);
		return DHCP_MSG_BAD;
	}
	if (r->type == DHCPACK && !ps.have_lease) {
		bad(why, "ACK without a lease time (option %u)", OPT_LEASE);
		return DHCP_MSG_BAD;
	}
	if (!r->mask)
		r->mask = ip4_classful_mask(r->yiaddr);
	return DHCP_MSG_OK;
}
