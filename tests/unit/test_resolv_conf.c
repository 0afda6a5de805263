/* resolv.conf as PID 1 writes it from the network service's lease: the
 * exact text, and names from the network that could smuggle a line refused. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "resolv_conf.h"

static void test_format(void)
{
	const uint32_t dns[3] = { 0x0a000203, 0x01010101, 0x08080808 };
	char buf[RESOLV_CONF_MAX];

	CHECK_INT(81, resolv_conf_format(buf, sizeof buf, dns, 2, "example.com"));
	CHECK_STR("# written by stele-net\nsearch example.com\nnameserver 10.0.2.3\n"
		  "nameserver 1.1.1.1\n", buf);
	CHECK(resolv_conf_format(buf, sizeof buf, dns, 3, "") > 0);
	CHECK_STR("# written by stele-net\nnameserver 10.0.2.3\nnameserver 1.1.1.1\n"
		  "nameserver 8.8.8.8\n", buf);
	CHECK(resolv_conf_format(buf, sizeof buf, dns, 0, "") > 0);
	CHECK_STR("# written by stele-net\n", buf);

	/* A domain that is not a name is left out, not written. */
	CHECK(resolv_conf_format(buf, sizeof buf, dns, 1, "x\nnameserver 6.6.6.6") > 0);
	CHECK_STR("# written by stele-net\nnameserver 10.0.2.3\n", buf);

	/* Too small a buffer: 0, never a cut file. */
	CHECK_INT(0, resolv_conf_format(buf, 30, dns, 3, "example.com"));
	CHECK_INT(0, resolv_conf_format(buf, 81, dns, 2, "example.com"));
	CHECK_INT(81, resolv_conf_format(buf, 82, dns, 2, "example.com"));
}

int main(void)
{
	test_format();
	return check_done();
}
