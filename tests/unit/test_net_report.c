/* The lines the network service sends PID 1 (lib/net_report.c), and PID 1's
 * reading of them: each field checked again, nothing the LAN could
 * smuggle into a host name or resolv.conf accepted. */
#include <string.h>

#include "check.h"
#include "net_report.h"

static int parse(const char *line, struct net_report *r, char *why)
{
	return net_report_parse(line, strlen(line), r, why);
}

static void test_accepted(void)
{
	struct net_report r;
	char why[96], line[NET_REPORT_LINE_MAX];

	CHECK_INT(0, parse("hostname web-1.lan", &r, why));
	CHECK_INT(NET_REPORT_HOSTNAME, r.kind);
	CHECK_STR("web-1.lan", r.name);
	CHECK_INT(0, parse("resolv example.com 10.0.2.3,1.1.1.1", &r, why));
	CHECK_INT(NET_REPORT_RESOLV, r.kind);
	CHECK_STR("example.com", r.name);
	CHECK_INT(2, r.n_addr);
	CHECK_INT(0x01010101, r.addr[1]);
	CHECK_INT(0, parse("resolv - 10.0.2.3", &r, why));
	CHECK_STR("", r.name);
	CHECK_INT(0, parse("resolv - ", &r, why));	/* a lease without DNS */
	CHECK_INT(0, r.n_addr);
	CHECK_INT(0, parse("ntp 10.0.2.2,10.0.2.3,10.0.2.4", &r, why));
	CHECK_INT(3, r.n_addr);
	CHECK_INT(31, net_report_format(line, &r));
	CHECK_STR("ntp 10.0.2.2,10.0.2.3,10.0.2.4\n", line);
}

static void test_refused(void)
{
	static const char *const bad[] = {
		"hostname", "hostname ", "hostname a b", "hostname -web", "hostname a..b",
		"hostname a_b", "hostname 0123456789012345678901234567890123456789012345678901234567890123",
		"resolv lan", "resolv x\nnameserver 6.6.6.6 1.2.3.4", "resolv - 1.2.3", "resolv - 1.2.3.4,",
		"resolv - 1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4", "ntp 01.2.3.4", "ntp 1.2.3.4 ", "route 1.2.3.4",
		"", "HOSTNAME web",
	};
	struct net_report r;
	char why[96];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		why[0] = '\0';
		check_what = bad[i];
		CHECK_INT(-1, parse(bad[i], &r, why));
		CHECK(why[0] != '\0');
	}
	check_what = NULL;
}

int main(void)
{
	test_accepted();
	test_refused();
	return check_done();
}
