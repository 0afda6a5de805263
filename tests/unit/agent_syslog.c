/* /dev/log senders are who the kernel says (SO_PASSCRED): the real pid
 * and uid and the service of the pid's cgroup, whatever the text claims,
 * which stays as "tag". One sender's flood is held to its share of the
 * ring, counted as its own drops, and evicts no one else's records. */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent_items.h"
#include "check.h"
#include "sources.h"

static struct agent a;
static int tx = -1, rx = -1;
static struct items it;

static void test_cgroup_parse(void)
{
	static const struct { const char *text, *want; } cases[] = {
		{ "0::/web\n", "web" },
		{ "0::/web", "web" },
		{ "0::/\n", "stele" },
		{ "12:cpu,cpuacct:/x\n1:name=systemd:/y\n0::/db/inner\n", "db" },
		{ "0::/my-svc_1.2\n", "my-svc_1.2" },
		{ "0::/web (deleted)\n", NULL },
		{ "0::/we\xffz\n", NULL },
		{ "1:name=systemd:/web\n", NULL },
		{ "0::web\n", NULL },
		{ "0:://web\n", NULL },
		{ "", NULL },
		{ "0::/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", NULL },	/* over 31 */
	};
	char name[SENDER_NAME_MAX];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = cgroup_service_parse(cases[i].text, strlen(cases[i].text), name, sizeof name);

		check_what = cases[i].text;
		CHECK_INT(cases[i].want ? 0 : -1, rc);
		if (cases[i].want && rc == 0)
			CHECK_STR(cases[i].want, name);
	}
	check_what = NULL;
}

static void test_uid_parse(void)
{
	static const char status[] =
		"name=network state=running pid=20 restarts=0 last_exit=none uid=101\n"
		"name=web state=running pid=30 restarts=0 last_exit=none uid=1001\n"
		"name=web2 state=done pid=0 restarts=0 last_exit=status:0 uid=1001\n"
		"name=db state=backoff pid=0 restarts=2 last_exit=signal:9 uid=10\n"
		"name=x/y state=running pid=1 uid=7\n"
		"state=running pid=1 uid=8\n"
		"name=tail state=running pid=40 restarts=0 last_exit=none uid=1";
	static const struct { unsigned uid; const char *want; } cases[] = {
		{ 101, "network" }, { 10, "db" }, { 1, "tail" },
		{ 1001, NULL },		/* two services share the user */
		{ 100, NULL }, { 0, NULL }, { 7, NULL }, { 8, NULL },
	};
	char name[SENDER_NAME_MAX];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = services_uid_parse(status, strlen(status), cases[i].uid, name, sizeof name);

		CHECK_INT(cases[i].want ? 0 : -1, rc);
		if (cases[i].want && rc == 0)
			CHECK_STR(cases[i].want, name);
	}
}

static void send_dgram(const char *s)
{
	CHECK(send(tx, s, strlen(s), 0) == (ssize_t)strlen(s));
}

static void agent_start(uint64_t size)
{
	int fd = memfd_create("syslog-test", MFD_CLOEXEC), reset;

	memset(&a, 0, sizeof a);
	strcpy(a.boot_id, "boot");
	CHECK_INT(0, agent_ring_open(&a, fd, size, &reset));
}

/* This process claims to be the kernel, and the agent. */
static void test_identity(void)
{
	char me[SENDER_NAME_MAX], pid[16];
	int known = sender_service(getpid(), getuid(), me, sizeof me) == 0;

	snprintf(pid, sizeof pid, "[%d]", (int)getpid());
	agent_start(1 << 20);
	send_dgram("<0>Nov 26 05:12:10 kernel: Oops: not really");
	send_dgram("<30>Nov 26 05:12:11 agent[1]: I am the agent");
	source_syslog(&a.in, &a.keep->senders, rx);
	items_get(&a.ring, &it);
	CHECK_INT(2, it.n);
	for (unsigned i = 0; i < it.n && i < 2; i++) {
		CHECK(ITEM_TEXT(&it, i, "src", "syslog"));
		CHECK(ITEM_UINT(&it, i, "pid", (uint64_t)getpid()));
		CHECK(ITEM_UINT(&it, i, "uid", (uint64_t)getuid()));
		CHECK(ITEM_TEXT(&it, i, "tag", i == 0 ? "kernel" : "agent"));
		if (known)
			CHECK(ITEM_TEXT(&it, i, "app", me));
		else
			CHECK(!ITEM_KEY(&it, i, "app"));
		CHECK(!ITEM_TEXT(&it, i, "app", "kernel") && !ITEM_TEXT(&it, i, "app", "agent"));
	}
	CHECK(ITEM_TEXT(&it, 0, "msg", "Oops: not really"));
	CHECK(ITEM_UINT(&it, 1, "sev", 6) && ITEM_UINT(&it, 1, "fac", 3));
	munmap(a.ring.h, a.ring.map_len);
}

/* What senders_admit allows one sender, in bytes of ring. */
static void test_flood(void)
{
	static unsigned char rec[256];
	char me[SENDER_NAME_MAX] = "-", line[200];
	unsigned others = 0, mine = 0, sent = 0;
	uint64_t dropped;

	sender_service(getpid(), getuid(), me, sizeof me);
	agent_start(64 * 1024);
	/* Unacknowledged records of others (service lines: owner 0). */
	for (unsigned i = 0; i < 100; i++) {
		struct log_fields f = { .sev = 6, .fac = 3, .t_ns = 1, .app = "web", .app_len = 3,
					.pid = 9, .uid = -1, .msg = "other", .msg_len = 5 };

		CHECK_INT(0, intake_push(&a.in, rec, record_log(rec, sizeof rec, intake_seq(&a.in), 1,
								"service", &f, "out"), 0));
	}
	/* Then 5000 datagrams of about 150 bytes: far more than the ring. */
	for (unsigned round = 0; round < 100; round++) {
		for (unsigned i = 0; i < 50; i++) {
			snprintf(line, sizeof line, "<13>web: flood %05u %0120d", sent++, 0);
			send_dgram(line);
		}
		source_syslog(&a.in, &a.keep->senders, rx);
	}
	items_get(&a.ring, &it);
	for (unsigned i = 0; i < it.n; i++) {
		others += ITEM_TEXT(&it, i, "msg", "other");
		mine += ITEM_TEXT(&it, i, "src", "syslog");
	}
	CHECK_INT(100, others);
	CHECK(mine > 0);
	CHECK(ring_owner_bytes(&a.ring, senders_owner(&a.keep->senders, me)) <=
	      a.ring.size / SENDER_SHARE);
	CHECK_INT(0, ring_dropped_total(&a.ring));
	dropped = a.keep->senders.s[senders_owner(&a.keep->senders, me) - 1].dropped_total;
	CHECK_INT(5000 - mine, dropped);
	/* The next connection says so, naming the sender. */
	a.lines_dropped_path = NULL;
	agent_ship_ops.connected(&a, "test");
	items_get(&a.ring, &it);
	CHECK(ITEM_TEXT(&it, it.n - 1, "event", "dropped"));
	CHECK(ITEM_TEXT(&it, it.n - 1, "app", me));
	CHECK(ITEM_UINT(&it, it.n - 1, "count", dropped));
	/* Acknowledged, its room is its own again. */
	ring_ack(&a.ring, ring_next_seq(&a.ring) - 1);
	CHECK_INT(0, ring_owner_bytes(&a.ring, senders_owner(&a.keep->senders, me)));
	munmap(a.ring.h, a.ring.map_len);
}

/* The shares survive the agent: counted again from the ring at open. */
static void test_restart(void)
{
	int fd = memfd_create("syslog-test", MFD_CLOEXEC), reset;
	uint64_t before = 0;

	memset(&a, 0, sizeof a);
	strcpy(a.boot_id, "boot");
	CHECK_INT(0, agent_ring_open(&a, fd, 1 << 20, &reset));
	send_dgram("<13>x: one");
	send_dgram("<13>x: two");
	source_syslog(&a.in, &a.keep->senders, rx);
	for (unsigned o = 1; o < RING_OWNERS; o++)
		before += ring_owner_bytes(&a.ring, o);
	CHECK(before > 0);
	munmap(a.ring.h, a.ring.map_len);
	CHECK_INT(0, agent_ring_open(&a, fd, 1 << 20, &reset));
	CHECK_INT(0, reset);
	for (unsigned o = 1; o < RING_OWNERS; o++)
		before -= ring_owner_bytes(&a.ring, o);
	CHECK_INT(0, before);
	munmap(a.ring.h, a.ring.map_len);
	close(fd);
}

int main(void)
{
	int sv[2], on = 1;

	CHECK_INT(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	tx = sv[0];
	rx = sv[1];
	CHECK_INT(0, setsockopt(rx, SOL_SOCKET, SO_PASSCRED, &on, sizeof on));
	test_cgroup_parse();
	test_uid_parse();
	test_identity();
	test_flood();
	test_restart();
	return check_done();
}
