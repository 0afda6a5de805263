/* The agent's datagram inputs are peeked in batches (SO_PEEK_OFF) and
 * taken only after: in order, none skipped, none taken before it is
 * recorded, so that an agent killed in between (and the next one, which
 * starts the offset again) reads them again. A datagram longer than its
 * buffer ends a batch, and the next batch starts after it; a service line
 * socket that PID 1 closed says so, once its lines are read. */
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent_items.h"
#include "check.h"
#include "dgram_peek.h"
#include "sources.h"
#include "svc_line.h"

#define BUF 64

static char buf[DGRAM_PEEK_MAX][BUF];
static struct mmsghdr mm[DGRAM_PEEK_MAX];
static struct iovec iov[DGRAM_PEEK_MAX];

static void buffers(void)
{
	dgram_peek_buffers(mm, iov, buf[0], BUF, NULL, 0);
}

static void send_n(int fd, int from, int to)
{
	char s[16];

	for (int i = from; i < to; i++) {
		int n = snprintf(s, sizeof s, "d%d", i);

		CHECK(send(fd, s, (size_t)n, 0) == n);
	}
}

/* Is peeked datagram k "d<i>"? */
static int is(int k, int i)
{
	char s[16];
	int n = snprintf(s, sizeof s, "d%d", i);

	return mm[k].msg_len == (unsigned)n && memcmp(buf[k], s, (size_t)n) == 0;
}

static void test_batches(int type)
{
	int sv[2], batch, cut, n;

	CHECK_INT(0, socketpair(AF_UNIX, type, 0, sv));
	buffers();
	send_n(sv[0], 0, 20);
	batch = dgram_peek_start(sv[1]);
	CHECK_INT(1, batch);
	n = dgram_peek(sv[1], mm, DGRAM_PEEK_MAX, batch, &cut);
	CHECK_INT(DGRAM_PEEK_MAX, n);
	CHECK_INT(0, cut);
	for (int k = 0; k < n; k++)
		CHECK(is(k, k));
	/* Killed before the take: the next agent starts the offset again
	 * and sees the same datagrams, from the first. */
	CHECK_INT(1, dgram_peek_start(sv[1]));
	n = dgram_peek(sv[1], mm, 4, batch, &cut);
	CHECK_INT(4, n);
	CHECK(is(0, 0) && is(3, 3));
	CHECK_INT(0, dgram_take(sv[1], n, batch, cut));
	n = dgram_peek(sv[1], mm, DGRAM_PEEK_MAX, batch, &cut);
	CHECK_INT(DGRAM_PEEK_MAX, n);
	CHECK(is(0, 4) && is(15, 19));
	CHECK_INT(0, dgram_take(sv[1], n, batch, cut));
	CHECK_INT(0, dgram_peek(sv[1], mm, DGRAM_PEEK_MAX, batch, &cut));

	/* One at a time, as without SO_PEEK_OFF. */
	send_n(sv[0], 20, 23);
	n = dgram_peek(sv[1], mm, DGRAM_PEEK_MAX, 0, &cut);
	CHECK_INT(1, n);
	CHECK(is(0, 20));
	CHECK_INT(0, dgram_take(sv[1], n, 0, cut));
	CHECK_INT(1, dgram_peek(sv[1], mm, DGRAM_PEEK_MAX, 0, &cut));
	CHECK(is(0, 21));
	CHECK_INT(0, dgram_take(sv[1], 2, 0, 0));
	CHECK_INT(0, dgram_peek(sv[1], mm, DGRAM_PEEK_MAX, batch, &cut));
	close(sv[0]);
	close(sv[1]);
}

/* A long datagram is cut at its buffer and ends the batch; the next one
 * is whole and in order. */
static void test_cut(void)
{
	char big[3 * BUF];
	int sv[2], batch, cut, n;

	CHECK_INT(0, socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	buffers();
	memset(big, 'x', sizeof big);
	send_n(sv[0], 0, 1);
	CHECK(send(sv[0], big, sizeof big, 0) == (ssize_t)sizeof big);
	send_n(sv[0], 2, 4);
	batch = dgram_peek_start(sv[1]);
	n = dgram_peek(sv[1], mm, DGRAM_PEEK_MAX, batch, &cut);
	CHECK_INT(2, n);
	CHECK_INT(1, cut);
	CHECK(is(0, 0));
	CHECK(mm[1].msg_len == BUF && buf[1][0] == 'x');
	CHECK_INT(0, dgram_take(sv[1], n, batch, cut));
	n = dgram_peek(sv[1], mm, DGRAM_PEEK_MAX, batch, &cut);
	CHECK_INT(2, n);
	CHECK(is(0, 2) && is(1, 3));
	CHECK_INT(0, cut);
	close(sv[0]);
	close(sv[1]);
}

/* Service lines through sources.c: every line read in order, then the
 * end of the stream is reported, not spun on. */
static void test_lines_end(void)
{
	static struct agent a;
	struct items it;
	int sv[2], fd = memfd_create("peek-test", MFD_CLOEXEC), reset;

	CHECK_INT(0, socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv));
	memset(&a, 0, sizeof a);
	strcpy(a.boot_id, "boot");
	CHECK_INT(0, agent_ring_open(&a, fd, 1 << 20, &reset));
	sources_start(sv[1], -1);
	for (int i = 0; i < 40; i++) {
		struct svc_line_hdr h = { SVC_LINE_VERSION, SVC_LINE_OUT, 0, 3, 7, 0 };
		char text[16];
		int n = snprintf(text, sizeof text, "line %02d", i);
		struct iovec v[3] = { { &h, sizeof h }, { "web", 3 }, { text, (size_t)n } };
		struct msghdr m = { .msg_iov = v, .msg_iovlen = 3 };

		CHECK(sendmsg(sv[0], &m, 0) == (ssize_t)(sizeof h + 3 + (size_t)n));
	}
	close(sv[0]);
	/* The 40 lines, then the end, in one call (a batch is 64); and the
	 * end again, not a spin, on the next. */
	CHECK_INT(-1, source_lines(&a.in, &a.keep->joins, sv[1]));
	CHECK_INT(-1, source_lines(&a.in, &a.keep->joins, sv[1]));
	items_get(&a.ring, &it);
	CHECK_INT(40, it.n);
	CHECK(it.n == 40 && ITEM_TEXT(&it, 0, "msg", "line 00") && ITEM_TEXT(&it, 39, "msg", "line 39"));
	munmap(a.ring.h, a.ring.map_len);
	close(sv[1]);
	close(fd);
}

int main(void)
{
	test_batches(SOCK_DGRAM);
	test_batches(SOCK_SEQPACKET);
	test_cut();
	test_lines_end();
	return check_done();
}
