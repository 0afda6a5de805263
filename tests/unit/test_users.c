/* /etc/passwd and /etc/group lookups, and the host name taken from the
 * DMI product UUID. */
#include <string.h>

#include "check.h"
#include "hostname.h"
#include "users.h"

static const char passwd[] =
	"root:x:0:0:root:/nonexistent:/nonexistent/nologin\n"
	"web:x:1001:1002::/:/nonexistent\n"
	"webber:x:1003:1003::/:\n"
	"broken:x:12a:5:::\n"
	"big:x:4294967295:5:::\n"
	"short:x:7\n"
	"last:x:42:43";

static const char group[] = "root:x:0:\nwww:x:33:web,webber\nodd:x::\n";

static void test_passwd(void)
{
	unsigned uid = 99, gid = 99;

	CHECK_INT(0, passwd_find(passwd, strlen(passwd), "root", &uid, &gid));
	CHECK_INT(0, uid);
	CHECK_INT(0, gid);
	CHECK_INT(0, passwd_find(passwd, strlen(passwd), "web", &uid, &gid));
	CHECK_INT(1001, uid);
	CHECK_INT(1002, gid);
	CHECK_INT(0, passwd_find(passwd, strlen(passwd), "webber", &uid, &gid));
	CHECK_INT(1003, uid);
	CHECK_INT(0, passwd_find(passwd, strlen(passwd), "last", &uid, &gid));
	CHECK_INT(42, uid);
	CHECK_INT(43, gid);
	CHECK_INT(-1, passwd_find(passwd, strlen(passwd), "we", &uid, &gid));
	CHECK_INT(-1, passwd_find(passwd, strlen(passwd), "nobody", &uid, &gid));
	CHECK_INT(-1, passwd_find(passwd, strlen(passwd), "broken", &uid, &gid));
	CHECK_INT(-1, passwd_find(passwd, strlen(passwd), "big", &uid, &gid));
	CHECK_INT(-1, passwd_find(passwd, strlen(passwd), "short", &uid, &gid));
	/* The length bounds the search: "last" is cut off. */
	CHECK_INT(-1, passwd_find(passwd, strlen(passwd) - 3, "last", &uid, &gid));
}

static void test_group(void)
{
	unsigned gid = 99;

	CHECK_INT(0, group_find(group, strlen(group), "www", &gid));
	CHECK_INT(33, gid);
	CHECK_INT(0, group_find(group, strlen(group), "root", &gid));
	CHECK_INT(0, gid);
	CHECK_INT(-1, group_find(group, strlen(group), "odd", &gid));
	CHECK_INT(-1, group_find(group, strlen(group), "web", &gid));
}

static void test_uuid(void)
{
	char out[64];

	CHECK_INT(0, hostname_from_uuid("4C4C4544-0042-3510-8052-B3C04F4A3732\n", 37, out, sizeof out));
	CHECK_STR("4c4c4544-0042-3510-8052-b3c04f4a3732", out);
	CHECK_INT(-1, hostname_from_uuid("00000000-0000-0000-0000-000000000000\n", 37, out, sizeof out));
	CHECK_INT(-1, hostname_from_uuid("FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", 36, out, sizeof out));
	CHECK_INT(-1, hostname_from_uuid("4C4C4544-0042-3510-8052-B3C04F4A373", 35, out, sizeof out));
	CHECK_INT(-1, hostname_from_uuid("4C4C4544+0042-3510-8052-B3C04F4A3732", 36, out, sizeof out));
	CHECK_INT(-1, hostname_from_uuid("4C4C4544-0042-3510-8052-B3C04F4A373g", 36, out, sizeof out));
	CHECK_INT(-1, hostname_from_uuid("4C4C4544-0042-3510-8052-B3C04F4A3732", 36, out, 36));
}

int main(void)
{
	test_passwd();
	test_group();
	test_uuid();
	return check_done();
}
