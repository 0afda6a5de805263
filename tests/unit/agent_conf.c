/* /etc/stele/agent.conf and stele.collector=: what parses into what, and
 * that every bad line is refused with the file, line, key and reason. */
#include <string.h>

#include "check.h"
#include "conf.h"

#define PATHS "ca = /etc/stele/ca.crt\ncert = /etc/stele/agent.crt\nkey = /etc/stele/agent.key\n"

static struct agent_conf conf;
static char why[CONF_REASON_MAX];

static int parse(const char *text)
{
	check_what = text;
	why[0] = '\0';
	return agent_conf_parse("/etc/stele/agent.conf", text, strlen(text), &conf, why);
}

static void test_full(void)
{
	CHECK_INT(0, parse("# the collectors, best first\n"
			   "collector = 10.0.2.2:7514\n"
			   "collector=logs.example.net:443/collector.example.net\r\n"
			   "\tcollector = 192.168.1.10:1/collector\n"
			   "collector = 255.255.255.255:65535\n"
			   "\n" PATHS
			   "interval = 3600\n"
			   "buffer = 256M\n"
			   "collectors = ordered\n"));
	CHECK_INT(4, conf.n_collectors);
	CHECK_INT(COLLECTORS_ORDERED, conf.order);
	CHECK_STR("10.0.2.2", conf.collector[0].host);
	CHECK_INT(7514, conf.collector[0].port);
	CHECK_STR("10.0.2.2", conf.collector[0].name);
	CHECK_STR("logs.example.net", conf.collector[1].host);
	CHECK_INT(443, conf.collector[1].port);
	CHECK_STR("collector.example.net", conf.collector[1].name);
	CHECK_STR("collector", conf.collector[2].name);
	CHECK_INT(65535, conf.collector[3].port);
	CHECK_STR("/etc/stele/ca.crt", conf.ca);
	CHECK_STR("/etc/stele/agent.crt", conf.cert);
	CHECK_STR("/etc/stele/agent.key", conf.key);
	CHECK_INT(3600, conf.interval_s);
	CHECK_INT(256u << 20, conf.buffer_bytes);
}

static void test_defaults(void)
{
	CHECK_INT(0, parse(PATHS));
	CHECK_INT(0, conf.n_collectors);	/* stele.collector= may give them */
	CHECK_INT(10, conf.interval_s);
	CHECK_INT(8u << 20, conf.buffer_bytes);
	CHECK_INT(COLLECTORS_SPREAD, conf.order);

	CHECK_INT(0, parse(PATHS "collectors = spread\n"));
	CHECK_INT(COLLECTORS_SPREAD, conf.order);
	CHECK_INT(0, parse(PATHS "buffer = 65536\ninterval = 1"));
	CHECK_INT(65536, conf.buffer_bytes);
	CHECK_INT(1, conf.interval_s);
	CHECK_INT(0, parse(PATHS "buffer = 64K\n"));
	CHECK_INT(65536, conf.buffer_bytes);
	CHECK_INT(0, parse(PATHS "buffer = 268435456\n"));
	CHECK_INT(268435456, conf.buffer_bytes);
}

/* Exact messages: the operator reads these on the console. */
static void test_messages(void)
{
	CHECK_INT(-1, parse(PATHS "colector = 10.0.2.2:7514\n"));
	CHECK_STR("/etc/stele/agent.conf:4: colector: unknown key", why);
	CHECK_INT(-1, parse(PATHS "collector = 10.0.2.2:0\n"));
	CHECK_STR("/etc/stele/agent.conf:4: collector: port must be 1-65535 in '10.0.2.2:0'", why);
	CHECK_INT(-1, parse(PATHS "interval = 0\n"));
	CHECK_STR("/etc/stele/agent.conf:4: interval: must be 1-3600 seconds, not '0'", why);
	CHECK_INT(-1, parse("ca = /a\nca = /b\n"));
	CHECK_STR("/etc/stele/agent.conf:2: ca: given twice", why);
	CHECK_INT(-1, parse("cert = /a\nkey = /b\n"));
	CHECK_STR("/etc/stele/agent.conf: ca: missing", why);
	CHECK_INT(-1, parse("collector = a:1\ncollector = b:2\ncollector = a:1/x\n"));
	CHECK_STR("/etc/stele/agent.conf:3: collector: same as line 1: 'a:1/x'", why);
	CHECK_INT(-1, parse(PATHS "buffer = 8G\n"));
	CHECK_STR("/etc/stele/agent.conf:4: buffer: must be 64K-256M (bytes, or with K or M), "
		  "not '8G'", why);
	CHECK_INT(-1, parse(PATHS "collectors = random\n"));
	CHECK_STR("/etc/stele/agent.conf:4: collectors: must be spread or ordered, not 'random'",
		  why);
}

static const struct {
	const char *text;
	const char *needle;	/* in the reason */
} bad_files[] = {
	{ PATHS "just words\n", "agent.conf:4: expected key = value" },
	{ PATHS " = 3\n", "agent.conf:4: expected key = value" },
	{ PATHS "collector =\n", "collector: no value" },
	{ PATHS "collector = 10.0.2.2\n", "expected HOST:PORT[/NAME], not '10.0.2.2'" },
	{ PATHS "collector = :7514\n", "no host in" },
	{ PATHS "collector = 10.0.2.2:\n", "port must be 1-65535" },
	{ PATHS "collector = 10.0.2.2:65536\n", "port must be 1-65535" },
	{ PATHS "collector = 10.0.2.2:99999999999999999999\n", "port must be 1-65535" },
	{ PATHS "collector = 10.0.2.2:+80\n", "port must be 1-65535" },
	{ PATHS "collector = 10.0.2.2:80 \"x\"\n", "port must be 1-65535" },
	{ PATHS "collector = 10.0.2.256:7514\n", "bad IPv4 address in '10.0.2.256:7514'" },
	{ PATHS "collector = 10.0.2:7514\n", "bad IPv4 address" },
	{ PATHS "collector = 010.0.2.2:7514\n", "bad IPv4 address" },
	{ PATHS "collector = -bad.example:7514\n", "bad host name" },
	{ PATHS "collector = a..b:7514\n", "bad host name" },
	{ PATHS "collector = a_b:7514\n", "bad host name" },
	{ PATHS "collector = [::1]:7514\n", "bad host name" },
	{ PATHS "collector = a:1/\n", "bad server name" },
	{ PATHS "collector = a:1/b c\n", "bad server name" },
	{ PATHS "collector = a/x:1\n", "expected HOST:PORT[/NAME]" },
	{ PATHS "collector = a:1\ncollector = b:1\ncollector = c:1\ncollector = d:1\n"
		"collector = e:1\n", "agent.conf:8: collector: more than 4 collectors" },
	{ PATHS "collector = 10.0.2.2:7514\ncollector = 10.0.2.2:7514/other\n",
	  "agent.conf:5: collector: same as line 4" },
	{ "ca = etc/ca.crt\n", "agent.conf:1: ca: not an absolute path: 'etc/ca.crt'" },
	{ "ca = /a\ncert = ./agent.crt\n", "agent.conf:2: cert: not an absolute path" },
	{ "ca = /a\ncert = /b\nkey = ~/k\n", "agent.conf:3: key: not an absolute path" },
	{ "ca = /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", "ca: path longer than 127 bytes" },
	{ "ca = /a\ncert = /b\n", "agent.conf: key: missing" },
	{ "ca = /a\nkey = /b\n", "agent.conf: cert: missing" },
	{ PATHS "cert = /c\n", "agent.conf:4: cert: given twice" },
	{ PATHS "interval = 5\ninterval = 5\n", "agent.conf:5: interval: given twice" },
	{ PATHS "buffer = 8M\nbuffer = 8M\n", "buffer: given twice" },
	{ PATHS "interval = 3601\n", "interval: must be 1-3600 seconds, not '3601'" },
	{ PATHS "interval = -1\n", "interval: must be" },
	{ PATHS "interval = 10s\n", "interval: must be" },
	{ PATHS "interval = 99999\n", "interval: must be" },
	{ PATHS "buffer = 63K\n", "buffer: must be 64K-256M" },
	{ PATHS "buffer = 65535\n", "buffer: must be 64K-256M" },
	{ PATHS "buffer = 257M\n", "buffer: must be 64K-256M" },
	{ PATHS "buffer = 268435457\n", "buffer: must be 64K-256M" },
	{ PATHS "buffer = 8MB\n", "buffer: must be 64K-256M" },
	{ PATHS "buffer = 8m\n", "buffer: must be 64K-256M" },
	{ PATHS "buffer = M\n", "buffer: must be 64K-256M" },
	{ PATHS "buffer = 99999999999M\n", "buffer: must be 64K-256M" },
	{ PATHS "collectors =\n", "agent.conf:4: collectors: no value" },
	{ PATHS "collectors = Spread\n", "collectors: must be spread or ordered, not 'Spread'" },
	{ PATHS "collectors = spread ordered\n", "collectors: must be spread or ordered" },
	{ PATHS "collectors = 10.0.2.2:7514\n", "collectors: must be spread or ordered" },
	{ PATHS "collectors = spread\ncollectors = ordered\n",
	  "agent.conf:5: collectors: given twice" },
};

static void test_bad_files(void)
{
	for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
		CHECK_INT(-1, parse(bad_files[i].text));
		CHECK_HAS(why, bad_files[i].needle);
	}
}

static void test_limits(void)
{
	static char big[20000];
	char line[600];

	memset(big, '#', sizeof big - 1);
	CHECK_INT(-1, parse(big));
	CHECK_STR("/etc/stele/agent.conf: larger than 16384 bytes", why);

	memset(line, ' ', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	CHECK_INT(-1, parse(line));
	CHECK_STR("/etc/stele/agent.conf:1: line longer than 511 bytes", why);

	CHECK_INT(-1, agent_conf_parse("f", "ca = /a\0b\n", 10, &conf, why));
	CHECK_STR("f: NUL byte in file", why);

	/* The longest host name fits, one more does not. */
	char text[400];
	char host[CONF_HOST_MAX + 1];
	for (size_t i = 0; i < CONF_HOST_MAX; i++)
		host[i] = i % 64 == 63 ? '.' : 'a';
	host[CONF_HOST_MAX - 1] = '\0';
	snprintf(text, sizeof text, PATHS "collector = %s:1\n", host);
	CHECK_INT(0, parse(text));
	CHECK_INT(CONF_HOST_MAX - 1, strlen(conf.collector[0].name));
	host[CONF_HOST_MAX - 1] = 'a';
	host[CONF_HOST_MAX] = '\0';
	snprintf(text, sizeof text, PATHS "collector = %s:1\n", host);
	CHECK_INT(-1, parse(text));
	CHECK_HAS(why, "host name too long");
}

static int cmdline(const char *line)
{
	check_what = line;
	why[0] = '\0';
	return agent_conf_cmdline(line, &conf, why);
}

static void test_cmdline(void)
{
	CHECK_INT(0, parse("collector = 10.0.0.1:7514\n" PATHS));

	CHECK_INT(0, cmdline("console=ttyS0 quiet\n"));
	CHECK_INT(1, conf.n_collectors);
	CHECK_STR("10.0.0.1", conf.collector[0].host);

	CHECK_INT(0, cmdline("console=ttyS0 stele.collector=10.0.2.2:7514/collector,"
			     "logs.example:443 quiet\n"));
	CHECK_INT(2, conf.n_collectors);
	CHECK_STR("10.0.2.2", conf.collector[0].host);
	CHECK_INT(7514, conf.collector[0].port);
	CHECK_STR("collector", conf.collector[0].name);
	CHECK_STR("logs.example", conf.collector[1].host);
	CHECK_STR("logs.example", conf.collector[1].name);
	CHECK_STR("/etc/stele/ca.crt", conf.ca);

	/* The last one wins, as for the kernel's own parameters; quotes go. */
	CHECK_INT(0, cmdline("stele.collector=1.1.1.1:1 \"stele.collector=2.2.2.2:2\""));
	CHECK_INT(1, conf.n_collectors);
	CHECK_STR("2.2.2.2", conf.collector[0].host);
	CHECK_INT(0, cmdline("stele.collector=\"3.3.3.3:3,4.4.4.4:4\"\n"));
	CHECK_INT(2, conf.n_collectors);
	CHECK_INT(4, conf.collector[1].port);
	CHECK_INT(0, cmdline("xstele.collector=5.5.5.5:5 stele.collectors=6.6.6.6:6"));
	CHECK_INT(2, conf.n_collectors);
	CHECK_STR("3.3.3.3", conf.collector[0].host);

	CHECK_INT(-1, cmdline("quiet stele.collector=10.0.2.2:0 ro"));
	CHECK_STR("stele.collector=10.0.2.2:0: port must be 1-65535 in '10.0.2.2:0'", why);
	CHECK_INT(2, conf.n_collectors);	/* untouched on error */
	CHECK_INT(-1, cmdline("stele.collector=a:1,b:2,c:3,d:4,e:5"));
	CHECK_STR("stele.collector=a:1,b:2,c:3,d:4,e:5: more than 4 collectors", why);
	CHECK_INT(-1, cmdline("stele.collector=a:1,,b:2"));
	CHECK_STR("stele.collector=a:1,,b:2: expected HOST:PORT[/NAME], not ''", why);
	CHECK_INT(-1, cmdline("stele.collector="));
	CHECK_HAS(why, "expected HOST:PORT[/NAME]");
	CHECK_INT(-1, cmdline("stele.collector=a:1,"));
	CHECK_HAS(why, "expected HOST:PORT[/NAME]");
	CHECK_INT(-1, cmdline("stele.collector=a:1,a:1/b"));
	CHECK_STR("stele.collector=a:1,a:1/b: given twice: 'a:1/b'", why);
	CHECK_INT(-1, cmdline("stele.collector=a:1/-x"));
	CHECK_HAS(why, "bad server name in 'a:1/-x'");
	CHECK_INT(0, cmdline("stele.collector=a:1,b:2,c:3,d:4"));
	CHECK_INT(4, conf.n_collectors);
}

int main(void)
{
	test_full();
	test_defaults();
	test_messages();
	test_bad_files();
	test_limits();
	test_cmdline();
	return check_done();
}
