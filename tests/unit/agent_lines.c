/* Service lines from PID 1 (lib/svc_line.h) as records: a long line cut
 * into pieces becomes one record again, however its pieces interleave
 * with other streams' and across an agent restart; a line longer than
 * JOIN_TEXT_MAX becomes several, those after the first marked "cont". */
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent_items.h"
#include "check.h"
#include "sources.h"
#include "svc_line.h"

static struct agent a;
static int tx = -1, rx = -1, ring_fd = -1;
static struct items it;

static void piece(const char *name, int stream, unsigned flags, char c, size_t len)
{
	static char text[SVC_LINE_TEXT_MAX];
	struct svc_line_hdr h = { SVC_LINE_VERSION, (uint8_t)stream, (uint8_t)flags,
				  (uint8_t)strlen(name), 42, 1000 };
	struct iovec iov[3] = { { &h, sizeof h }, { (void *)name, strlen(name) }, { text, len } };
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 3 };

	memset(text, c, len);
	CHECK(sendmsg(tx, &m, 0) == (ssize_t)(sizeof h + strlen(name) + len));
}

/* A line of n bytes of c as PID 1 sends it: full pieces, then the rest. */
static void line(const char *name, int stream, char c, size_t n)
{
	for (size_t off = 0; off < n || off == 0; off += SVC_LINE_TEXT_MAX) {
		size_t len = n - off < SVC_LINE_TEXT_MAX ? n - off : SVC_LINE_TEXT_MAX;
		unsigned flags = (off ? SVC_LINE_CONTINUED : 0) | (off + len < n ? SVC_LINE_MORE : 0);

		piece(name, stream, flags, c, len);
		if (n == 0)
			break;
	}
}

static void agent_start(void)
{
	int reset;

	if (a.ring.h)
		munmap(a.ring.h, a.ring.map_len);
	CHECK_INT(0, agent_ring_open(&a, ring_fd, 1 << 20, &reset));
}

static void read_all(void)
{
	for (int i = 0; i < 100; i++)
		source_lines(&a.in, &a.keep->joins, rx);
	items_get(&a.ring, &it);
}

static int text_of(unsigned i, char c, size_t n)
{
	static char want[4 * JOIN_TEXT_MAX];

	memset(want, c, n);
	return item_has(it.p[i], it.len[i], "msg", want, n, 0);
}

static void ack_all(void)
{
	ring_ack(&a.ring, ring_next_seq(&a.ring) - 1);
}

static void test_joined(void)
{
	line("web", SVC_LINE_OUT, 'x', 5000);
	read_all();
	CHECK_INT(1, it.n);
	CHECK(text_of(0, 'x', 5000));
	CHECK(!ITEM_KEY(&it, 0, "cont"));
	CHECK(ITEM_TEXT(&it, 0, "app", "web") && ITEM_UINT(&it, 0, "pid", 42));
	ack_all();
}

/* Pieces of two streams (and of another service) in between: each line
 * is whole, and short lines are not held back. */
static void test_interleaved(void)
{
	piece("web", SVC_LINE_OUT, SVC_LINE_MORE, 'a', SVC_LINE_TEXT_MAX);
	piece("web", SVC_LINE_ERR, SVC_LINE_MORE, 'b', SVC_LINE_TEXT_MAX);
	line("db", SVC_LINE_OUT, 's', 10);
	piece("web", SVC_LINE_OUT, SVC_LINE_CONTINUED, 'a', 5);
	piece("web", SVC_LINE_ERR, SVC_LINE_CONTINUED, 'b', 7);
	read_all();
	CHECK_INT(3, it.n);
	CHECK(text_of(0, 's', 10));
	CHECK(text_of(1, 'a', SVC_LINE_TEXT_MAX + 5) && ITEM_TEXT(&it, 1, "stream", "out"));
	CHECK(text_of(2, 'b', SVC_LINE_TEXT_MAX + 7) && ITEM_TEXT(&it, 2, "stream", "err"));
	ack_all();
}

/* The agent restarts in the middle of a line: the next one finishes it. */
static void test_restart(void)
{
	piece("web", SVC_LINE_OUT, SVC_LINE_MORE, 'r', SVC_LINE_TEXT_MAX);
	read_all();
	CHECK_INT(0, it.n);
	agent_start();
	piece("web", SVC_LINE_OUT, SVC_LINE_CONTINUED, 'r', 3);
	read_all();
	CHECK_INT(1, it.n);
	CHECK(text_of(0, 'r', SVC_LINE_TEXT_MAX + 3));
	ack_all();
}

/* Longer than a record holds: parts of JOIN_TEXT_MAX, the later ones
 * marked; every byte is there. */
static void test_too_long(void)
{
	line("web", SVC_LINE_OUT, 'L', 2 * JOIN_TEXT_MAX + 100);
	read_all();
	CHECK_INT(3, it.n);
	CHECK(text_of(0, 'L', JOIN_TEXT_MAX) && !ITEM_KEY(&it, 0, "cont"));
	CHECK(text_of(1, 'L', JOIN_TEXT_MAX) && ITEM_KEY(&it, 1, "cont"));
	CHECK(text_of(2, 'L', 100) && ITEM_KEY(&it, 2, "cont"));
	ack_all();
}

/* A continuation whose beginning never came (dropped by PID 1) is kept,
 * and says what it is; so is a line whose end never came. */
static void test_orphans(void)
{
	piece("web", SVC_LINE_OUT, SVC_LINE_CONTINUED, 'o', 20);
	piece("web", SVC_LINE_OUT, SVC_LINE_MORE, 'u', 30);
	line("web", SVC_LINE_OUT, 'n', 4);
	read_all();
	CHECK_INT(3, it.n);
	CHECK(text_of(0, 'o', 20) && ITEM_KEY(&it, 0, "cont"));
	CHECK(text_of(1, 'u', 30) && !ITEM_KEY(&it, 1, "cont"));
	CHECK(text_of(2, 'n', 4) && !ITEM_KEY(&it, 2, "cont"));
	ack_all();
}

/* More streams mid-line than the table holds: the oldest line goes out
 * as far as it got, and its rest follows marked. */
static void test_table_full(void)
{
	char name[16];

	for (int i = 0; i <= JOIN_SLOTS; i++) {
		snprintf(name, sizeof name, "s%d", i);
		piece(name, SVC_LINE_OUT, SVC_LINE_MORE, (char)('0' + i), 8);
	}
	piece("s0", SVC_LINE_OUT, SVC_LINE_CONTINUED, '0', 8);
	read_all();
	CHECK_INT(2, it.n);
	CHECK(text_of(0, '0', 8) && !ITEM_KEY(&it, 0, "cont"));
	CHECK(text_of(1, '0', 8) && ITEM_KEY(&it, 1, "cont"));
	ack_all();
	for (int i = 1; i <= JOIN_SLOTS; i++) {
		snprintf(name, sizeof name, "s%d", i);
		piece(name, SVC_LINE_OUT, SVC_LINE_CONTINUED, (char)('0' + i), 8);
	}
	read_all();
	CHECK_INT(JOIN_SLOTS, it.n);
	for (unsigned i = 0; i < it.n; i++)
		CHECK(text_of(i, (char)('1' + i), 16) && !ITEM_KEY(&it, i, "cont"));
	ack_all();
}

/* The agent stops mid-line: what it has of the line goes out. */
static void test_stop(void)
{
	piece("web", SVC_LINE_ERR, SVC_LINE_MORE, 'z', 100);
	read_all();
	CHECK_INT(0, it.n);
	source_lines_stop(&a.in, &a.keep->joins);
	items_get(&a.ring, &it);
	CHECK_INT(1, it.n);
	CHECK(text_of(0, 'z', 100) && ITEM_TEXT(&it, 0, "stream", "err"));
	ack_all();
	source_lines_stop(&a.in, &a.keep->joins);	/* nothing left */
	items_get(&a.ring, &it);
	CHECK_INT(0, it.n);
}

int main(void)
{
	int sv[2];

	CHECK_INT(0, socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	tx = sv[0];
	rx = sv[1];
	ring_fd = memfd_create("lines-test", MFD_CLOEXEC);
	strcpy(a.boot_id, "boot");
	agent_start();
	test_joined();
	test_interleaved();
	test_restart();
	test_too_long();
	test_orphans();
	test_table_full();
	test_stop();
	return check_done();
}
