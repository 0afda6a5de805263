#include "servers.h"

#include <stdio.h>
#include <string.h>

#include "cmdline_word.h"
#include "netaddr.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int parse_port(const char *s, size_t n, uint16_t *port)
{
	unsigned v = 0;

	if (n == 0 || n > 5 || s[0] == '0')
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

static int parse_one(const char *s, size_t n, struct ntp_server *out, char *why)
{
	const char *colon = memchr(s, ':', n);
	size_t host_len = colon ? (size_t)(colon - s) : n;

	out->port = 123;
	if (colon && parse_port(colon + 1, n - host_len - 1, &out->port) < 0) {
		snprintf(why, NTP_SERVERS_WHY_MAX, "'%.*s': the port is not 1 to 65535", (int)(n > 80 ? 80 : n), s);
		return -1;
	}
	if (!host_ok(s, host_len, NTP_HOST_MAX)) {
		snprintf(why, NTP_SERVERS_WHY_MAX, "'%.*s': not a host name or IPv4 address",
			 (int)(n > 80 ? 80 : n), s);
		return -1;
	}
	memcpy(out->host, s, host_len);
	out->host[host_len] = '\0';
	return 0;
}

int ntp_servers_parse(const char *list, size_t len, struct ntp_server *out, size_t max, char *why)
{
	size_t i = 0, count = 0;

	why[0] = '\0';
	if (len > NTP_LIST_MAX) {
		snprintf(why, NTP_SERVERS_WHY_MAX, "a list of %zu bytes, longer than %d", len, NTP_LIST_MAX);
		return -1;
	}
	while (i < len) {
		size_t start = i, end;

		while (i < len && list[i] != ',')
			i++;
		end = i++;
		while (start < end && is_space(list[start]))
			start++;
		while (end > start && is_space(list[end - 1]))
			end--;
		if (start == end)
			continue;
		if (count == max)
			break;
		if (parse_one(list + start, end - start, &out[count], why) < 0)
			return -1;
		count++;
	}
	return (int)count;
}

static int from(const char *what, const char *text, size_t len, struct ntp_server *out,
		size_t *n, char *why)
{
	char r[NTP_SERVERS_WHY_MAX];
	int k = ntp_servers_parse(text, len, out, NTP_SERVERS_MAX, r);

	if (k < 0 && !why[0])
		snprintf(why, NTP_SERVERS_WHY_MAX, "%s: %.100s", what, r);
	if (k <= 0)
		return 0;
	*n = (size_t)k;
	return 1;
}

enum ntp_from ntp_servers_pick(const char *dhcp, size_t dhcp_len, const char *cmdline,
			       const char *image, size_t image_len, struct ntp_server *out,
			       size_t *n, char *why)
{
	char val[NTP_LIST_MAX + 1];
	int found = cmdline_find(cmdline, "stele.ntp", val, sizeof val);

	why[0] = '\0';
	*n = 0;
	if (from(NTP_DHCP_PATH, dhcp, dhcp_len, out, n, why))
		return NTP_FROM_DHCP;
	if (found < 0 && !why[0])
		snprintf(why, NTP_SERVERS_WHY_MAX, "stele.ntp=: longer than %d bytes", NTP_LIST_MAX);
	if (found > 0 && from("stele.ntp", val, strlen(val), out, n, why))
		return NTP_FROM_CMDLINE;
	if (from(NTP_IMAGE_PATH, image, image_len, out, n, why))
		return NTP_FROM_IMAGE;
	return NTP_FROM_NONE;
}

char *ntp_server_name(const struct ntp_server *s, char *out)
{
	snprintf(out, NTP_NAME_MAX, "%s:%u", s->host, (unsigned)s->port);
	return out;
}

const char *ntp_from_name(enum ntp_from f)
{
	switch (f) {
	case NTP_FROM_DHCP:
		return "the network (DHCP, ip=)";
	case NTP_FROM_CMDLINE:
		return "stele.ntp=";
	case NTP_FROM_IMAGE:
		return NTP_IMAGE_PATH;
	default:
		return "nowhere";
	}
}
