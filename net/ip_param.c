#include "ip_param.h"

#include <stdio.h>
#include <string.h>

enum { F_CLIENT, F_SERVER, F_GW, F_MASK, F_HOST, F_DEV, F_AUTO, F_DNS0, F_DNS1, F_NTP, F_MAX };

static const char *const field_name[F_MAX] = {
	"client address", "server address", "gateway", "netmask", "hostname",
	"device", "autoconf", "dns0", "dns1", "ntp0",
};

static int bad(char *why, const char *what, const char *s, size_t len)
{
	snprintf(why, IP_REASON_MAX, "ip= %s: '%.*s'", what, (int)(len > 60 ? 60 : len), s);
	return -1;
}

/* The kernel's dev_valid_name(), with a stricter character set. */
static int ifname_ok(const char *s, size_t len)
{
	if (len == 0 || len >= IP_IFNAME_MAX || (s[0] == '.' && (len == 1 || (len == 2 && s[1] == '.'))))
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", s[i]))
			return 0;
	return 1;
}

static int is(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

/* autoconf field, and ip= without colons: -1 unknown, else the mode. */
static int autoconf_mode(const char *s, size_t len)
{
	if (is(s, len, "dhcp") || is(s, len, "on") || is(s, len, "any"))
		return IP_DHCP;
	if (is(s, len, "off") || is(s, len, "none"))
		return IP_OFF;
	return -1;
}

static int parse_addr(const char *s, size_t len, int f, struct ip_param *ip, char *why)
{
	uint32_t *dst[F_MAX] = {
		[F_CLIENT] = &ip->client, [F_SERVER] = &ip->server, [F_GW] = &ip->gw,
		[F_MASK] = &ip->mask, [F_DNS0] = &ip->dns[0], [F_DNS1] = &ip->dns[1],
		[F_NTP] = &ip->ntp,
	};
	char what[48];

	if (ip4_parse(s, len, dst[f]) == 0)
		return 0;
	snprintf(what, sizeof what, "%s is not an IPv4 address", field_name[f]);
	return bad(why, what, s, len);
}

static int parse_field(const char *s, size_t len, int f, struct ip_param *ip, char *why)
{
	if (len == 0)
		return 0;
	switch (f) {
	case F_HOST:
		if (!dns_name_ok(s, len, IP_HOSTNAME_MAX))
			return bad(why, "hostname must be 1-63 letters, digits, '-' or '.'", s, len);
		memcpy(ip->hostname, s, len);
		return 0;
	case F_DEV:
		if (!ifname_ok(s, len))
			return bad(why, "device is not an interface name", s, len);
		memcpy(ip->device, s, len);
		return 0;
	case F_AUTO:
		return 0;		/* read by the caller */
	default:
		if (parse_addr(s, len, f, ip, why))
			return -1;
		if (f == F_DNS0 || f == F_DNS1)
			ip->dns[ip->n_dns++] = ip->dns[f - F_DNS0];
		return 0;
	}
}

static int check_static(struct ip_param *ip, const char *val, char *why)
{
	uint32_t c = ip->client;
	const char *reason = NULL;

	if (ip->mask == 0)
		ip->mask = ip4_classful_mask(c);
	if (c >> 24 == 127 || c >= 0xe0000000u)
		reason = "client address is not a unicast address";
	else if (ip4_prefix(ip->mask) < 1)
		reason = "netmask is not contiguous";
	else if (ip->gw && ((ip->gw ^ c) & ip->mask))
		reason = "gateway is not in the client's subnet";
	if (reason)
		return bad(why, reason, val, strlen(val));
	return 0;
}

int ip_param_parse(const char *val, struct ip_param *ip, char *why)
{
	size_t len = strlen(val);
	const char *s = val, *auto_s = "";
	size_t auto_len = 0;
	int mode;

	memset(ip, 0, sizeof *ip);
	if (len >= IP_VALUE_MAX)
		return bad(why, "is longer than 255 bytes", val, len);
	/* A word, or fields (a lone address is the client's, as in the kernel). */
	if (!strchr(val, ':') && (mode = autoconf_mode(val, len)) >= 0) {
		ip->mode = (enum ip_mode)mode;
		return 0;
	}
	if (!strchr(val, ':') && !(val[0] >= '0' && val[0] <= '9'))
		return bad(why, "must be dhcp, on, any, off, none or ADDR:...", val, len);
	for (int f = 0;; f++) {
		const char *colon = strchr(s, ':');
		size_t n = colon ? (size_t)(colon - s) : strlen(s);

		if (f == F_MAX)
			return bad(why, "has more than 10 fields", val, len);
		if (parse_field(s, n, f, ip, why))
			return -1;
		if (f == F_AUTO) {
			auto_s = s;
			auto_len = n;
		}
		if (!colon)
			break;
		s = colon + 1;
	}
	mode = auto_len ? autoconf_mode(auto_s, auto_len) : ip->client ? IP_STATIC : IP_DHCP;
	if (mode < 0)
		return bad(why, "autoconf must be off, none, dhcp, on or any", auto_s, auto_len);
	if (mode == IP_DHCP && ip->client)
		return bad(why, "gives a client address and asks for DHCP", val, len);
	if (mode == IP_OFF && ip->client)
		mode = IP_STATIC;
	ip->mode = (enum ip_mode)mode;
	return mode == IP_STATIC ? check_static(ip, val, why) : 0;
}
