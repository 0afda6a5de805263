/* The initramfs's module list (load.list) and what stage 1 makes of it
 * before any module reaches finit_module. */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "cmdline.h"
#include "modules.h"
#include "modules_table.h"

static struct module_list list;

static int parse(const char *text, char *why)
{
	why[0] = '\0';
	check_what = text;
	return modules_list_parse(text, strlen(text), &list, why);
}

static void test_good(void)
{
	char why[REASON_MAX];

	CHECK_INT(0, parse("virtio.ko\nvirtio_pci.ko\ndm-mod.ko\ndm-verity.ko\n", why));
	CHECK_INT(4, list.count);
	CHECK_STR("virtio.ko", list.name[0]);
	CHECK_STR("virtio_pci.ko", list.name[1]);
	CHECK_STR("dm-verity.ko", list.name[3]);

	/* The last newline is optional; an empty list loads nothing. */
	CHECK_INT(0, parse("erofs.ko", why));
	CHECK_INT(1, list.count);
	CHECK_STR("erofs.ko", list.name[0]);
	CHECK_INT(0, parse("", why));
	CHECK_INT(0, list.count);
	check_what = NULL;
}

static void test_bad(void)
{
	static const struct { const char *text, *reason; } cases[] = {
		{ "virtio.ko\n\ndm-mod.ko\n", "line 2: not a module file name" },
		{ "\n", "line 1: not a module file name" },
		{ "../virtio.ko\n", "line 1:" },
		{ "/lib/modules/virtio.ko\n", "line 1:" },
		{ "sub/virtio.ko\n", "line 1:" },
		{ "virtio.ko.xz\n", "line 1:" },
		{ "virtio\n", "line 1:" },
		{ ".ko\n", "line 1:" },
		{ "a.ko\nvir tio.ko\n", "line 2:" },
		{ "virtio.ko\r\n", "line 1:" },
		{ "dm.verity.ko\n", "line 1:" },
	};
	char why[REASON_MAX];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK_INT(-1, parse(cases[i].text, why));
		CHECK_HAS(why, cases[i].reason);
		CHECK_HAS(why, "load.list");
	}

	/* A NUL inside the text is not a name character. */
	check_what = "NUL in a name";
	CHECK_INT(-1, modules_list_parse("dm\0mod.ko\n", 10, &list, why));
	check_what = NULL;
}

static void test_limits(void)
{
	char text[MODULES_LIST_MAX * 2], why[REASON_MAX], name[MODULE_NAME_MAX + 8];
	size_t len = 0;

	/* A name of MODULE_NAME_MAX - 1 characters fits, one more does not. */
	memset(name, 'a', sizeof name);
	memcpy(name + MODULE_NAME_MAX - 1 - 3, ".ko", 4);
	CHECK_INT(0, parse(name, why));
	CHECK_INT(MODULE_NAME_MAX - 1, strlen(list.name[0]));
	memset(name, 'a', sizeof name);
	memcpy(name + MODULE_NAME_MAX - 3, ".ko", 4);
	CHECK_INT(-1, parse(name, why));

	for (int i = 0; i < MODULES_MAX; i++)
		len += (size_t)snprintf(text + len, sizeof text - len, "m%d.ko\n", i);
	CHECK_INT(0, modules_list_parse(text, len, &list, why));
	CHECK_INT(MODULES_MAX, list.count);
	CHECK_STR("m63.ko", list.name[MODULES_MAX - 1]);
	len += (size_t)snprintf(text + len, sizeof text - len, "one-more.ko\n");
	CHECK_INT(-1, modules_list_parse(text, len, &list, why));
	CHECK_HAS(why, "more than 64 modules");
}

/* What stage 1 does with a directory: no list, a module the list names
 * but the initramfs lacks, a list that is not one. */
static void test_load(void)
{
	char dir[] = "/tmp/stele-test-modules.XXXXXX", path[512], why[REASON_MAX];
	static char names[MODULES_NAMES_MAX];

	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	snprintf(path, sizeof path, "%s/absent", dir);
	CHECK_INT(0, modules_load(path, names, why));
	CHECK_INT(0, modules_load(dir, names, why));

	check_write_file(dir, "load.list", "dm-mod.ko\ndm-verity.ko\n");
	CHECK_INT(-1, modules_load(dir, names, why));
	CHECK_STR("module dm-mod.ko missing from the initramfs", why);

	check_write_file(dir, "load.list", "../../etc/passwd\n");
	CHECK_INT(-1, modules_load(dir, names, why));
	CHECK_HAS(why, "load.list line 1");

	/* A list longer than any that fits the limits. */
	{
		static char big[MODULE_TABLE_TEXT_MAX + 2];

		memset(big, 'x', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		check_write_file(dir, "load.list", big);
		CHECK_INT(-1, modules_load(dir, names, why));
		CHECK_HAS(why, "cannot read");
	}

	check_write_file(dir, "load.list", "");
	CHECK_INT(0, modules_load(dir, names, why));

	/* With the alias table: the always ones load whatever the devices,
	 * so one the initramfs lacks refuses the boot by name. */
	check_write_file(dir, "load.list", "dm-mod.ko\nerofs.ko\n");
	check_write_file(dir, "alias.list", "");
	check_write_file(dir, "deps.list", "dm-mod.ko\nerofs.ko\n");
	check_write_file(dir, "always.list", "erofs.ko\n");
	CHECK_INT(-1, modules_load(dir, names, why));
	CHECK_STR("module erofs.ko missing from the initramfs", why);
	check_write_file(dir, "deps.list", "dm-mod.ko\nerofs.ko dm-mod.ko\n");
	CHECK_INT(-1, modules_load(dir, names, why));
	CHECK_STR("module dm-mod.ko missing from the initramfs", why);	/* its dependency first */
	check_write_file(dir, "always.list", "ext4.ko\n");
	CHECK_INT(-1, modules_load(dir, names, why));
	CHECK_STR("always.list line 1: a module not in load.list", why);

	/* A late module waits for the root: not loaded by modules_load, its
	 * file opened then for the loader (whose child wants nothing here:
	 * no alias matches), and one the initramfs lacks is not opened. */
	check_write_file(dir, "load.list", "ena.ko\n");
	check_write_file(dir, "deps.list", "ena.ko\n");
	check_write_file(dir, "always.list", "");
	check_write_file(dir, "late.list", "ena.ko\n");
	check_write_file(dir, "ena.ko", "not a module");
	CHECK_INT(0, modules_load(dir, names, why));
	CHECK_STR("", names);
	CHECK_INT(1, modules_late_open(why));
	{
		pid_t pid = modules_late_start(why);
		int status = -1;

		CHECK(pid > 0);
		CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	snprintf(path, sizeof path, "%s/ena.ko", dir);
	unlink(path);
	CHECK_INT(0, modules_load(dir, names, why));
	CHECK_INT(0, modules_late_open(why));
	CHECK_INT(0, modules_late_start(why));
	check_write_file(dir, "late.list", "dm-mod.ko\n");
	CHECK_INT(-1, modules_load(dir, names, why));
	CHECK_STR("late.list line 1: a module not in load.list", why);

	for (const char *const *f = (const char *const[]){ "load.list", "alias.list", "deps.list",
							 "always.list", "late.list", NULL }; *f; f++) {
		snprintf(path, sizeof path, "%s/%s", dir, *f);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	test_good();
	test_bad();
	test_limits();
	test_load();
	return check_done();
}
