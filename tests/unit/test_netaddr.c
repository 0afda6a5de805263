/* The one validator (lib/netaddr.c) and the one command-line splitter
 * (lib/cmdline_word.c) that PID 1, the network service, the metadata
 * fetcher and the agent share. */
#include <string.h>

#include "check.h"
#include "cmdline_word.h"
#include "netaddr.h"

static int name_ok(const char *s)
{
	return dns_name_ok(s, strlen(s), HOSTNAME_LEN_MAX);
}

static void test_names(void)
{
	CHECK(name_ok("a"));
	CHECK(name_ok("web-1.example.com"));
	CHECK(name_ok("5a1e0000-0000-4000-8000-00000000c0de"));
	CHECK(!name_ok(""));
	CHECK(!name_ok("-web"));
	CHECK(!name_ok("web-"));
	CHECK(!name_ok("a..b"));
	CHECK(!name_ok(".a"));
	CHECK(!name_ok("a."));
	CHECK(!name_ok("a_b"));
	CHECK(!name_ok("a b"));
	CHECK(!name_ok("a\nb"));
	/* 63 characters fit a host name, 64 do not. */
	CHECK(name_ok("abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefgh"));
	CHECK(!name_ok("abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghi"));
	/* A label is at most 63 long, even in a longer name. */
	CHECK(!dns_name_ok("abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghij-abcdefghi.x",
			   66, HOSTPORT_HOST_MAX));
	CHECK(host_ok("10.0.2.2", 8, HOSTPORT_HOST_MAX));
	CHECK(!host_ok("10.0.2.256", 10, HOSTPORT_HOST_MAX));
	CHECK(!host_ok("10.0.2", 6, HOSTPORT_HOST_MAX));
	CHECK(host_ok("collector.lan", 13, HOSTPORT_HOST_MAX));
}

static void test_host_port(void)
{
	struct host_port hp;

	CHECK(host_port_parse("10.0.2.2:7514", 13, &hp) == NULL);
	CHECK_STR("10.0.2.2", hp.host);
	CHECK_INT(7514, hp.port);
	CHECK_STR("10.0.2.2", hp.name);
	CHECK(host_port_parse("10.0.2.2:7514/collector", 23, &hp) == NULL);
	CHECK_STR("collector", hp.name);
	CHECK_STR("expected HOST:PORT[/NAME], not", host_port_parse("10.0.2.2", 8, &hp));
	CHECK_STR("no host in", host_port_parse(":7514", 5, &hp));
	CHECK_STR("bad IPv4 address in", host_port_parse("10.0.2.999:1", 12, &hp));
	CHECK_STR("bad host name in", host_port_parse("a_b:1", 5, &hp));
	CHECK_STR("port must be 1-65535 in", host_port_parse("h:0", 3, &hp));
	CHECK_STR("port must be 1-65535 in", host_port_parse("h:65536", 7, &hp));
	CHECK_STR("port must be 1-65535 in", host_port_parse("h:", 2, &hp));
	CHECK_STR("port must be 1-65535 in", host_port_parse("h:1x", 4, &hp));
	CHECK_STR("bad server name in", host_port_parse("h:1/", 4, &hp));
	CHECK_STR("bad server name in", host_port_parse("h:1/a b", 7, &hp));
	CHECK_STR("expected HOST:PORT[/NAME], not", host_port_parse("h/x:1", 5, &hp));
}

static void test_cmdline(void)
{
	char out[16], word[8];
	const char *p;
	int cut;

	CHECK_INT(1, cmdline_find("ro a=1 b=\"x y\" a=2", "a", out, sizeof out));
	CHECK_STR("2", out);
	CHECK_INT(1, cmdline_find("ro a=1 b=\"x y\" a=2", "b", out, sizeof out));
	CHECK_STR("x y", out);
	CHECK_INT(1, cmdline_find("\"b=x y\"", "b", out, sizeof out));	/* quotes anywhere */
	CHECK_STR("x y", out);
	CHECK_INT(0, cmdline_find("ab=1 a", "a", out, sizeof out));
	CHECK_INT(-1, cmdline_find("a=0123456789abcdef", "a", out, sizeof out));
	p = cmdline_next("  one\t\"t w o\"\n", word, sizeof word, &cut);
	CHECK_STR("one", word);
	CHECK_INT(0, cut);
	p = cmdline_next(p, word, sizeof word, &cut);
	CHECK_STR("t w o", word);
	CHECK_STR("", p);
	cmdline_next("abcdefghij", word, sizeof word, &cut);
	CHECK_STR("abcdefg", word);
	CHECK_INT(1, cut);
}

int main(void)
{
	test_names();
	test_host_port();
	test_cmdline();
	return check_done();
}
