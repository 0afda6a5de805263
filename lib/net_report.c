#include "net_report.h"

#include <stdio.h>
#include <string.h>

#define WHY_MAX 96

static const char *const verb[] = {
	[NET_REPORT_HOSTNAME] = "hostname", [NET_REPORT_RESOLV] = "resolv", [NET_REPORT_NTP] = "ntp",
};

static int bad(char *why, const char *what)
{
	snprintf(why, WHY_MAX, "%s", what);
	return -1;
}

/* ADDR[,ADDR...] in s[len], at most NET_REPORT_ADDR_MAX of them; none
 * when len is 0 (a lease without DNS servers). */
static int parse_addrs(const char *s, size_t len, struct net_report *r, char *why)
{
	r->n_addr = 0;
	for (size_t at = 0; len && at <= len;) {
		const char *comma = memchr(s + at, ',', len - at);
		size_t n = comma ? (size_t)(comma - (s + at)) : len - at;

		if (r->n_addr == NET_REPORT_ADDR_MAX)
			return bad(why, "more than 3 addresses");
		if (ip4_parse(s + at, n, &r->addr[r->n_addr++]) < 0)
			return bad(why, "not an IPv4 address list");
		at += n + 1;
	}
	return 0;
}

static int parse_name(const char *s, size_t len, size_t max, char *out, char *why)
{
	if (!dns_name_ok(s, len, max))
		return bad(why, "not a valid name");
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

int net_report_parse(const char *line, size_t len, struct net_report *r, char *why)
{
	const char *sp = memchr(line, ' ', len), *arg;
	size_t vlen = sp ? (size_t)(sp - line) : len, alen;
	size_t k = 0;

	while (k < sizeof verb / sizeof verb[0] && (strlen(verb[k]) != vlen || memcmp(line, verb[k], vlen)))
		k++;
	if (k == sizeof verb / sizeof verb[0] || !sp)
		return bad(why, "unknown report");
	memset(r, 0, sizeof *r);
	r->kind = (enum net_report_kind)k;
	arg = sp + 1;
	alen = len - vlen - 1;
	if (r->kind == NET_REPORT_HOSTNAME)
		return parse_name(arg, alen, HOSTNAME_LEN_MAX, r->name, why);
	if (r->kind == NET_REPORT_NTP)
		return parse_addrs(arg, alen, r, why);
	sp = memchr(arg, ' ', alen);
	if (!sp)
		return bad(why, "resolv without addresses");
	if (!(sp - arg == 1 && arg[0] == '-') &&
	    parse_name(arg, (size_t)(sp - arg), NET_REPORT_DOMAIN_MAX, r->name, why) < 0)
		return -1;
	return parse_addrs(sp + 1, alen - (size_t)(sp - arg) - 1, r, why);
}

size_t net_report_format(char *buf, const struct net_report *r)
{
	char a[16];
	int k = snprintf(buf, NET_REPORT_LINE_MAX, "%s ", verb[r->kind]);

	if (r->kind == NET_REPORT_HOSTNAME)
		k += snprintf(buf + k, NET_REPORT_LINE_MAX - (size_t)k, "%s", r->name);
	else if (r->kind == NET_REPORT_RESOLV)
		k += snprintf(buf + k, NET_REPORT_LINE_MAX - (size_t)k, "%s ", r->name[0] ? r->name : "-");
	for (size_t i = 0; r->kind != NET_REPORT_HOSTNAME && i < r->n_addr && k < NET_REPORT_LINE_MAX; i++)
		k += snprintf(buf + k, NET_REPORT_LINE_MAX - (size_t)k, "%s%s", i ? "," : "",
			      ip4_format(a, r->addr[i]));
	if (k < 0 || k + 2 > NET_REPORT_LINE_MAX)
		return 0;
	buf[k++] = '\n';
	buf[k] = '\0';
	return (size_t)k;
}
