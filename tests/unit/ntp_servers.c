/* stele-ntp's servers: the list syntax, and which source wins (DHCP, then
 * stele.ntp=, then the image's file). */
#include <string.h>

#include "check.h"
#include "servers.h"

static struct ntp_server sv[NTP_SERVERS_MAX];
static char why[NTP_SERVERS_WHY_MAX];

static int parse(const char *list)
{
	check_what = list;
	memset(sv, 0, sizeof sv);
	return ntp_servers_parse(list, strlen(list), sv, NTP_SERVERS_MAX, why);
}

static void test_parse(void)
{
	char name[NTP_NAME_MAX], big[NTP_LIST_MAX + 2];

	CHECK_INT(1, parse("10.0.2.2"));
	CHECK_STR("10.0.2.2", sv[0].host);
	CHECK_INT(123, sv[0].port);
	CHECK_STR("10.0.2.2:123", ntp_server_name(&sv[0], name));
	CHECK_INT(3, parse("10.0.2.2:12345, ntp.example.org ,192.0.2.1:1\n"));
	CHECK_STR("10.0.2.2", sv[0].host);
	CHECK_INT(12345, sv[0].port);
	CHECK_STR("ntp.example.org", sv[1].host);
	CHECK_INT(123, sv[1].port);
	CHECK_STR("192.0.2.1", sv[2].host);
	CHECK_INT(1, sv[2].port);
	CHECK_INT(65535, (parse("a:65535"), sv[0].port));
	/* Empty entries and an empty list: nothing, no error. */
	CHECK_INT(0, parse(""));
	CHECK_INT(0, parse("\n"));
	CHECK_INT(2, parse(",a,,b,"));
	/* More than NTP_SERVERS_MAX: the first ones. */
	CHECK_INT(NTP_SERVERS_MAX, parse("a,b,c,d,e,f"));
	CHECK_STR("d", sv[3].host);

	CHECK_INT(-1, parse("a:0"));
	CHECK_HAS(why, "'a:0'");
	CHECK_INT(-1, parse("a:65536"));
	CHECK_INT(-1, parse("a:"));
	CHECK_INT(-1, parse("a:12x"));
	CHECK_INT(-1, parse("a:0123"));
	CHECK_INT(-1, parse("good,b@d"));
	CHECK_HAS(why, "'b@d'");
	CHECK_INT(-1, parse(":123"));
	CHECK_INT(-1, parse("-a"));
	CHECK_INT(-1, parse("[::1]:123"));
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	CHECK_INT(-1, parse(big));
	CHECK_HAS(why, "longer");
	/* A host name of 63 characters is one; 64 is not. */
	memset(big, 'h', 63);
	big[63] = '\0';
	CHECK_INT(1, parse(big));
	big[63] = 'h', big[64] = '\0';
	CHECK_INT(-1, parse(big));
	check_what = NULL;
}

static enum ntp_from pick(const char *dhcp, const char *cmdline, const char *image, size_t *n)
{
	memset(sv, 0, sizeof sv);
	return ntp_servers_pick(dhcp, strlen(dhcp), cmdline, image, strlen(image), sv, n, why);
}

static void test_pick(void)
{
	size_t n;

	/* All three: DHCP wins. */
	CHECK_INT(NTP_FROM_DHCP, pick("10.0.0.1,10.0.0.2\n", "ro stele.ntp=10.0.2.2:5000 quiet",
				      "pool.example.org\n", &n));
	CHECK_INT(2, n);
	CHECK_STR("10.0.0.1", sv[0].host);
	CHECK_STR("10.0.0.2", sv[1].host);
	CHECK_STR("", why);
	/* No DHCP servers (no file, or an empty one): the command line. */
	CHECK_INT(NTP_FROM_CMDLINE, pick("", "ro stele.ntp=10.0.2.2:5000,b quiet", "pool.example.org\n", &n));
	CHECK_INT(2, n);
	CHECK_STR("10.0.2.2", sv[0].host);
	CHECK_INT(5000, sv[0].port);
	CHECK_STR("b", sv[1].host);
	CHECK_INT(NTP_FROM_CMDLINE, pick("\n", "stele.ntp=\"c\"", "", &n));
	CHECK_STR("c", sv[0].host);
	/* The last stele.ntp= counts, as the kernel's parameters do. */
	CHECK_INT(NTP_FROM_CMDLINE, pick("", "stele.ntp=a stele.ntp=z", "", &n));
	CHECK_STR("z", sv[0].host);
	/* Neither: the image's. */
	CHECK_INT(NTP_FROM_IMAGE, pick("", "ro quiet", "pool.example.org:1123\n", &n));
	CHECK_INT(1, n);
	CHECK_STR("pool.example.org", sv[0].host);
	CHECK_INT(1123, sv[0].port);
	/* stele.ntp= empty names nothing: the image's. */
	CHECK_INT(NTP_FROM_IMAGE, pick("", "stele.ntp=", "i", &n));
	/* None at all. */
	CHECK_INT(NTP_FROM_NONE, pick("", "ro quiet", "", &n));
	CHECK_INT(0, n);
	CHECK_STR("", why);
	/* A malformed source is skipped and said; the next one is used. */
	CHECK_INT(NTP_FROM_CMDLINE, pick("10.0.0.1,x!y\n", "stele.ntp=b", "i", &n));
	CHECK_HAS(why, NTP_DHCP_PATH);
	CHECK_HAS(why, "x!y");
	CHECK_STR("b", sv[0].host);
	CHECK_INT(NTP_FROM_IMAGE, pick("", "stele.ntp=b:99999", "i", &n));
	CHECK_HAS(why, "stele.ntp");
	CHECK_STR("i", sv[0].host);
	CHECK_INT(NTP_FROM_NONE, pick("", "", "bad name\n", &n));
	CHECK_HAS(why, NTP_IMAGE_PATH);
}

int main(void)
{
	test_parse();
	test_pick();
	return check_done();
}
