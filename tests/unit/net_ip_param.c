/* The kernel's ip= parameter as stele reads it: every form, and every bad
 * value refused with a reason naming the field. */
#include <string.h>

#include "check.h"
#include "cmdline_word.h"
#include "ip_param.h"

static struct ip_param ip;
static char why[IP_REASON_MAX];

static int parse(const char *val)
{
	check_what = val;
	memset(why, 0, sizeof why);
	return ip_param_parse(val, &ip, why);
}

#define A(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static void test_words(void)
{
	static const struct { const char *val; enum ip_mode mode; } cases[] = {
		{ "dhcp", IP_DHCP }, { "on", IP_DHCP }, { "any", IP_DHCP },
		{ "off", IP_OFF }, { "none", IP_OFF },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK_INT(0, parse(cases[i].val));
		CHECK_INT(cases[i].mode, ip.mode);
		CHECK_INT(0, ip.client);
		CHECK_STR("", ip.device);
	}
}

static void test_static(void)
{
	CHECK_INT(0, parse("10.0.2.15:10.0.2.4:10.0.2.2:255.255.255.0:box:eth0:none:10.0.2.3:1.1.1.1:10.0.2.5"));
	CHECK_INT(IP_STATIC, ip.mode);
	CHECK_INT(A(10, 0, 2, 15), ip.client);
	CHECK_INT(A(10, 0, 2, 4), ip.server);
	CHECK_INT(A(10, 0, 2, 2), ip.gw);
	CHECK_INT(A(255, 255, 255, 0), ip.mask);
	CHECK_STR("box", ip.hostname);
	CHECK_STR("eth0", ip.device);
	CHECK_INT(2, ip.n_dns);
	CHECK_INT(A(10, 0, 2, 3), ip.dns[0]);
	CHECK_INT(A(1, 1, 1, 1), ip.dns[1]);
	CHECK_INT(A(10, 0, 2, 5), ip.ntp);

	/* DESIGN.md's form; an empty autoconf with an address is static too. */
	CHECK_INT(0, parse("192.168.1.9::192.168.1.1:255.255.255.0:host:eth0:none"));
	CHECK_INT(IP_STATIC, ip.mode);
	CHECK_INT(0, ip.server);
	CHECK_INT(0, ip.n_dns);
	CHECK_INT(0, parse("192.168.1.9::192.168.1.1:255.255.255.0"));
	CHECK_INT(IP_STATIC, ip.mode);
	CHECK_STR("", ip.hostname);
	CHECK_INT(0, parse("192.168.1.9::::::off"));
	CHECK_INT(IP_STATIC, ip.mode);

	/* Without a netmask, the class's (as the kernel does). */
	CHECK_INT(0, parse("10.1.2.3"));
	CHECK_INT(IP_STATIC, ip.mode);
	CHECK_INT(A(255, 0, 0, 0), ip.mask);
	CHECK_INT(0, parse("172.16.0.5:"));
	CHECK_INT(A(255, 255, 0, 0), ip.mask);
	CHECK_INT(0, parse("192.168.7.5::192.168.7.1"));
	CHECK_INT(A(255, 255, 255, 0), ip.mask);

	/* Only dns1 given: it is the first name server. */
	CHECK_INT(0, parse("10.0.0.2::::::::8.8.8.8"));
	CHECK_INT(1, ip.n_dns);
	CHECK_INT(A(8, 8, 8, 8), ip.dns[0]);
	CHECK_INT(0, parse("10.0.0.2:::255.255.255.255"));
	/* 0.0.0.0 is no netmask, as in the kernel. */
	CHECK_INT(0, parse("1.2.3.4:::0.0.0.0"));
	CHECK_INT(A(255, 0, 0, 0), ip.mask);
}

static void test_dhcp_fields(void)
{
	CHECK_INT(0, parse(":::::eth1:dhcp"));
	CHECK_INT(IP_DHCP, ip.mode);
	CHECK_STR("eth1", ip.device);
	CHECK_INT(0, parse("::::myhost::any:9.9.9.9"));
	CHECK_INT(IP_DHCP, ip.mode);
	CHECK_STR("myhost", ip.hostname);
	CHECK_INT(1, ip.n_dns);
	CHECK_INT(0, parse(":::::enp0s3"));
	CHECK_INT(IP_DHCP, ip.mode);
	CHECK_INT(0, parse("::::::off"));
	CHECK_INT(IP_OFF, ip.mode);
	CHECK_INT(0, parse(":::::::::"));
	CHECK_INT(IP_DHCP, ip.mode);
}

/* Each bad value and a word its reason must contain. */
static void test_bad(void)
{
	static const struct { const char *val, *word; } cases[] = {
		{ "", "must be dhcp" },
		{ "bootp", "must be dhcp" },
		{ "DHCP", "must be dhcp" },
		{ "10.0.2.256", "client address is not an IPv4 address" },
		{ "10.0.2", "client address" },
		{ "10.0.2.1.5", "client address" },
		{ "10.0.02.1", "client address" },
		{ "10.0.2.1 ", "client address" },
		{ "-1.0.0.0", "must be dhcp" },
		{ "-1.0.0.0:", "client address" },
		{ "1.2.3.4:x", "server address" },
		{ "1.2.3.4::1.2.3", "gateway is not an IPv4" },
		{ "1.2.3.4:::255.255.255.2555", "netmask is not an IPv4" },
		{ "1.2.3.4:::255.0.255.0", "netmask is not contiguous" },
		{ "1.2.3.4::1.2.4.1:255.255.255.0", "gateway is not in the client's subnet" },
		{ "1.2.3.4::::bad_name", "hostname" },
		{ "1.2.3.4::::-lead", "hostname" },
		{ "1.2.3.4::::a234567890123456789012345678901234567890123456789012345678901234", "hostname" },
		{ "1.2.3.4:::::../x", "device" },
		{ "1.2.3.4:::::a/b", "device" },
		{ "1.2.3.4:::::..", "device" },
		{ "1.2.3.4:::::eth0123456789012", "device" },
		{ "1.2.3.4::::::bootp", "autoconf must be" },
		{ "1.2.3.4::::::rarp", "autoconf" },
		{ "1.2.3.4::::::dhcp", "client address and asks for DHCP" },
		{ "127.0.0.2", "not a unicast address" },
		{ "224.0.0.1", "not a unicast address" },
		{ "1.2.3.4:::::::1.1.1", "dns0" },
		{ "1.2.3.4::::::::x", "dns1" },
		{ "1.2.3.4:::::::::ntp", "ntp0" },
		{ "1.2.3.4::::::::::", "more than 10 fields" },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK_INT(-1, parse(cases[i].val));
		CHECK(strncmp(why, "ip= ", 4) == 0);
		CHECK_HAS(why, cases[i].word);
	}
	{
		char big[IP_VALUE_MAX + 8];

		memset(big, ':', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		CHECK_INT(-1, parse(big));
		CHECK_HAS(why, "longer than 255");
	}
}

static void test_find(void)
{
	char out[IP_VALUE_MAX];

	CHECK_INT(1, cmdline_find("ro quiet ip=dhcp root=/dev/x", "ip", out, sizeof out));
	CHECK_STR("dhcp", out);
	CHECK_INT(0, cmdline_find("ro quiet vip=1 ipx=2 ip", "ip", out, sizeof out));
	CHECK_INT(1, cmdline_find("ip=off\tip=\"10.0.0.2::::my host\"\n", "ip", out, sizeof out));
	CHECK_STR("10.0.0.2::::my host", out);	/* last wins; quotes dropped */
	CHECK_INT(1, cmdline_find("stele.hostname=web1 ip=", "stele.hostname", out, sizeof out));
	CHECK_STR("web1", out);
	CHECK_INT(1, cmdline_find("ip=", "ip", out, sizeof out));
	CHECK_STR("", out);
	CHECK_INT(-1, cmdline_find("ip=0123456789", "ip", out, 10));
	CHECK_INT(1, cmdline_find("ip=012345678", "ip", out, 10));
	CHECK_INT(0, cmdline_find("", "ip", out, sizeof out));
}

static void test_helpers(void)
{
	char a[16];
	uint32_t v;

	CHECK_STR("255.255.255.255", ip4_format(a, 0xffffffffu));
	CHECK_STR("0.0.0.0", ip4_format(a, 0));
	CHECK_INT(0, ip4_parse("0.0.0.0", 7, &v));
	CHECK_INT(-1, ip4_parse("1.2.3.4", 6, &v));
	CHECK_INT(-1, ip4_parse("1..3.4", 6, &v));
	CHECK_INT(32, ip4_prefix(0xffffffffu));
	CHECK_INT(0, ip4_prefix(0));
	CHECK_INT(24, ip4_prefix(0xffffff00u));
	CHECK_INT(-1, ip4_prefix(0xffff00ffu));
	CHECK_INT(-1, ip4_prefix(0x7fffffffu));
	CHECK(dns_name_ok("a", 1, 64));
	CHECK(dns_name_ok("example.com", 11, 64));
	CHECK(!dns_name_ok("", 0, 64));
	CHECK(!dns_name_ok(".x", 2, 64));
	CHECK(!dns_name_ok("a b", 3, 64));
	CHECK(!dns_name_ok("a\nnameserver 1.2.3.4", 20, 64));
	CHECK(!dns_name_ok("abcd", 4, 4));
}

int main(void)
{
	test_words();
	test_static();
	test_dhcp_fields();
	test_bad();
	test_find();
	test_helpers();
	return check_done();
}
