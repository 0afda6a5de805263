/* What the hello says of the image: IMAGE_VERSION out of os-release, the
 * PCRs out of sysfs (uppercase hex and a newline there, lowercase in the
 * hello), each left out when missing or unusable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "image_id.h"

static void test_os_release(void)
{
	static const struct {
		const char *text, *want;
		int rc;
	} cases[] = {
		{ "ID=stele\nIMAGE_VERSION=1.4.2\nVERSION_ID=0.1\n", "1.4.2", 1 },
		{ "IMAGE_VERSION=\"2025.01~rc1+g3\"", "2025.01~rc1+g3", 1 },
		{ "IMAGE_VERSION='a_b-c'\n", "a_b-c", 1 },
		{ "IMAGE_VERSION=a\nIMAGE_VERSION=b\n", "b", 1 },	/* the last, as a shell does */
		{ "ID=stele\nVERSION_ID=0.1\n", "", 0 },
		{ "", "", 0 },
		{ "XIMAGE_VERSION=1\n IMAGE_VERSION=2\n", "", 0 },
		{ "IMAGE_VERSION=\n", "", -1 },
		{ "IMAGE_VERSION=\"\"\n", "", -1 },
		{ "IMAGE_VERSION=1 2\n", "", -1 },
		{ "IMAGE_VERSION=\"1\n", "", -1 },
		{ "IMAGE_VERSION=\"1'\n", "", -1 },
		{ "IMAGE_VERSION=-1\n", "", -1 },
		{ "IMAGE_VERSION=a/b\n", "", -1 },
		{ "IMAGE_VERSION=\"$(id)\"\n", "", -1 },
		{ "IMAGE_VERSION=1\r\n", "", -1 },
		{ "IMAGE_VERSION=0123456789012345678901234567890123456789012345678901234567890123\n",
		  "0123456789012345678901234567890123456789012345678901234567890123", 1 },
		{ "IMAGE_VERSION=01234567890123456789012345678901234567890123456789012345678901234\n",
		  "", -1 },
	};
	char out[IMAGE_VERSION_MAX + 1];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		check_what = cases[i].text;
		memset(out, 'x', sizeof out);
		CHECK_INT(cases[i].rc, image_id_os_release(cases[i].text, out));
		CHECK_STR(cases[i].want, out);
	}
	check_what = NULL;
}

static void test_read(void)
{
	char root[] = "/tmp/agent_image_id.XXXXXX", cmd[600], sys[300];
	struct image_id id;

	if (!CHECK(mkdtemp(root) != NULL))
		return;
	snprintf(sys, sizeof sys, "%s/sys/class/tpm/tpm0/pcr-sha256", root);

	/* Nothing there: all "". */
	memset(&id, 'x', sizeof id);
	image_id_read(&id, root);
	CHECK_STR("", id.version);
	CHECK_STR("", id.pcr11);
	CHECK_STR("", id.pcr15);

	/* /usr/lib/os-release when /etc has none; /etc's when it has one. */
	snprintf(cmd, sizeof cmd, "mkdir -p %s/etc %s/usr/lib %s", root, root, sys);
	CHECK_INT(0, system(cmd));
	check_write_file(root, "usr/lib/os-release", "ID=stele\nIMAGE_VERSION=lib\n");
	image_id_read(&id, root);
	CHECK_STR("lib", id.version);
	check_write_file(root, "etc/os-release", "ID=stele\nIMAGE_VERSION=\"etc-1\"\n");
	image_id_read(&id, root);
	CHECK_STR("etc-1", id.version);
	check_write_file(root, "etc/os-release", "ID=stele\nIMAGE_VERSION=not one\n");
	image_id_read(&id, root);
	CHECK_STR("", id.version);	/* unusable: left out, not lib's */

	/* The kernel's uppercase hex and newline; a short one left out. */
	check_write_file(sys, "11", "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF\n");
	check_write_file(sys, "15", "0123456789ABCDEF\n");
	image_id_read(&id, root);
	CHECK_STR("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", id.pcr11);
	CHECK_STR("", id.pcr15);
	check_write_file(sys, "15", "0000000000000000000000000000000000000000000000000000000000000000");
	check_write_file(sys, "11", "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEG\n");
	image_id_read(&id, root);
	CHECK_STR("", id.pcr11);
	CHECK_STR("0000000000000000000000000000000000000000000000000000000000000000", id.pcr15);

	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	CHECK_INT(0, system(cmd));
}

int main(void)
{
	test_os_release();
	test_read();
	return check_done();
}
