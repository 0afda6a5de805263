/* resolv.conf as the network service writes it: the exact text, names from
 * the network that could smuggle a line refused, and the atomic write. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

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

static void test_write(void)
{
	const uint32_t dns[1] = { 0x0a000203 };
	char dir[] = "/tmp/stele-resolv-XXXXXX", path[64], tmp[80], text[128];
	struct stat st;
	FILE *f;
	size_t n;

	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	snprintf(path, sizeof path, "%s/resolv.conf", dir);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	umask(077);
	CHECK_INT(0, resolv_conf_write(path, dns, 1, "lan"));
	CHECK_INT(0, stat(path, &st));
	CHECK_INT(0644, st.st_mode & 07777);	/* whatever the umask */
	CHECK(stat(tmp, &st) < 0);		/* renamed away */
	if (CHECK((f = fopen(path, "r")) != NULL)) {
		n = fread(text, 1, sizeof text - 1, f);
		text[n] = '\0';
		fclose(f);
		CHECK_STR("# written by stele-net\nsearch lan\nnameserver 10.0.2.3\n", text);
	}
	/* A directory in the way: an error, and no temporary left behind. */
	CHECK_INT(-1, resolv_conf_write(dir, dns, 1, ""));
	snprintf(tmp, sizeof tmp, "%s.tmp", dir);
	CHECK(stat(tmp, &st) < 0);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	test_format();
	test_write();
	return check_done();
}
