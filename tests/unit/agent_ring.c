/* The agent's record buffer: order, wrap, acks, overflow accounting, and
 * surviving the agent (the same memfd mapped again). */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "ring.h"

static int memfd(void)
{
	int fd = memfd_create("ring-test", MFD_CLOEXEC);

	CHECK(fd >= 0);
	return fd;
}

/* Pushes a record of len bytes filled with c; returns its seq. */
static uint64_t push(struct ring *r, size_t len, unsigned char c)
{
	uint64_t seq = 0;
	unsigned char *p = ring_reserve(r, len, &seq);

	CHECK(p != NULL);
	if (!p)
		return 0;
	memset(p, c, len);
	ring_commit(r, len, 0);
	return seq;
}

/* Sends everything pending; returns how many, checking seqs rise by one. */
static unsigned send_all(struct ring *r, uint64_t *first, uint64_t *last)
{
	const unsigned char *rec;
	uint64_t seq, prev = 0;
	unsigned n = 0;
	size_t len;

	while ((len = ring_next(r, &rec, &seq)) > 0) {
		if (n == 0)
			*first = seq;
		else
			CHECK(seq == prev + 1);
		CHECK(rec[0] == rec[len - 1]);
		prev = seq;
		*last = seq;
		ring_sent(r);
		n++;
	}
	return n;
}

static void test_basic(void)
{
	struct ring r;
	int fd = memfd(), reset = 0;
	uint64_t first = 0, last = 0;

	CHECK_INT(0, ring_open(&r, fd, 4096, 0, "boot-a", &reset));
	CHECK_INT(1, reset);
	CHECK_INT(1, push(&r, 100, 'a'));
	CHECK_INT(2, push(&r, 1, 'b'));
	CHECK_INT(3, push(&r, 7, 'c'));
	CHECK_INT(3, ring_records(&r));
	CHECK_INT(3, send_all(&r, &first, &last));
	CHECK_INT(1, first);
	CHECK_INT(3, last);
	CHECK_INT(0, send_all(&r, &first, &last));
	/* A reconnect sends the unacknowledged ones again, in order. */
	ring_ack(&r, 1);
	CHECK_INT(2, ring_records(&r));
	ring_rewind(&r);
	CHECK_INT(2, send_all(&r, &first, &last));
	CHECK_INT(2, first);
	ring_ack(&r, 3);
	CHECK_INT(0, ring_records(&r));
	CHECK_INT(0, ring_bytes(&r));
	/* Too big for one record, or for this ring. */
	{
		uint64_t seq;

		CHECK(ring_reserve(&r, 0, &seq) == NULL);	/* no empty CBOR item */
		CHECK(ring_reserve(&r, RING_RECORD_MAX + 1, &seq) == NULL);
		CHECK(ring_reserve(&r, 3000, &seq) == NULL);
	}
	munmap(r.h, r.map_len);
	close(fd);
}

static void test_wrap_and_overflow(void)
{
	struct ring r;
	int fd = memfd(), reset = 0;
	uint64_t first = 0, last = 0;

	CHECK_INT(0, ring_open(&r, fd, 4096, 0, "boot-a", &reset));
	/* 1000 records of 200 bytes through a 4 KiB ring, acked as they go:
	 * wraps many times, never drops. */
	for (unsigned i = 0; i < 1000; i++) {
		push(&r, 200, (unsigned char)i);
		CHECK_INT(1, send_all(&r, &first, &last));
		ring_ack(&r, last);
	}
	CHECK_INT(0, ring_dropped_total(&r));
	CHECK_INT(1001, ring_next_seq(&r));
	/* Nobody acks: the oldest go, and are counted. */
	for (unsigned i = 0; i < 100; i++)
		push(&r, 200, (unsigned char)i);
	CHECK(ring_records(&r) < 100);
	CHECK_INT(100 - ring_records(&r), ring_dropped_total(&r));
	CHECK_INT(ring_dropped_total(&r), ring_take_dropped(&r));
	CHECK_INT(0, ring_take_dropped(&r));
	ring_rewind(&r);
	CHECK_INT(ring_records(&r), send_all(&r, &first, &last));
	CHECK_INT(1100, last);
	CHECK_INT(1100 - ring_records(&r) + 1, first);
	munmap(r.h, r.map_len);
	close(fd);
}

static void test_survives(void)
{
	struct ring r, again;
	int fd = memfd(), reset = 0;
	uint64_t first = 0, last = 0, seq;

	CHECK_INT(0, ring_open(&r, fd, 8192, 0, "boot-a", &reset));
	for (unsigned i = 0; i < 10; i++)
		push(&r, 300, 'x');
	ring_ack(&r, 4);
	/* A push that never commits (the agent died in the middle). */
	CHECK(ring_reserve(&r, 50, &seq) != NULL);
	munmap(r.h, r.map_len);

	CHECK_INT(0, ring_open(&again, fd, 8192, 0, "boot-a", &reset));
	CHECK_INT(0, reset);
	CHECK_INT(6, ring_records(&again));
	CHECK_INT(6, send_all(&again, &first, &last));
	CHECK_INT(5, first);
	CHECK_INT(10, last);
	CHECK_INT(11, push(&again, 10, 'y'));
	munmap(again.h, again.map_len);

	/* Another boot, or another size: started afresh. */
	CHECK_INT(0, ring_open(&again, fd, 8192, 0, "boot-b", &reset));
	CHECK_INT(1, reset);
	CHECK_INT(0, ring_records(&again));
	CHECK_INT(1, ring_next_seq(&again));
	munmap(again.h, again.map_len);
	CHECK_INT(0, ring_open(&again, fd, 16384, 0, "boot-b", &reset));
	CHECK_INT(1, reset);
	/* Damage: a record length beyond bounds. */
	push(&again, 10, 'z');
	memset(again.data, 0x7f, 4);
	munmap(again.h, again.map_len);
	CHECK_INT(0, ring_open(&again, fd, 16384, 0, "boot-b", &reset));
	CHECK_INT(1, reset);
	munmap(again.h, again.map_len);
	close(fd);
}

/* The record the transport is copying from is never overwritten. */
static void test_pinned(void)
{
	struct ring r;
	int fd = memfd(), reset = 0;
	const unsigned char *rec;
	uint64_t seq, first = 0, last = 0;

	CHECK_INT(0, ring_open(&r, fd, 4096, 0, "boot-a", &reset));
	push(&r, 200, 'a');
	CHECK_INT(200, ring_next(&r, &rec, &seq));	/* pinned: being sent */
	CHECK_INT(1, seq);
	/* Filling the ring drops the newest instead of the pinned one. */
	for (unsigned i = 0; i < 40; i++) {
		uint64_t s;
		unsigned char *p = ring_reserve(&r, 200, &s);

		if (p)
			ring_commit(&r, 200, 0);
	}
	CHECK(ring_dropped_total(&r) > 0);
	CHECK(rec[0] == 'a' && rec[199] == 'a');
	/* An ack that covers it does not free it while it is pinned... */
	ring_ack(&r, 1);
	CHECK_INT(1, ring_next(&r, &rec, &seq) ? seq : 0);
	/* ...once sent, it goes with the next ack. */
	ring_sent(&r);
	ring_ack(&r, 1);
	ring_rewind(&r);
	CHECK_INT(ring_records(&r), send_all(&r, &first, &last));
	CHECK_INT(2, first);
	munmap(r.h, r.map_len);
	close(fd);
}


/* A ring found damaged in the same boot starts afresh but keeps counting:
 * the collector already holds the old seqs, and would take new records
 * with them for duplicates. */
static void test_damaged_keeps_seq(void)
{
	struct ring r;
	int fd = memfd(), reset = 0;
	uint64_t first = 0, last = 0;

	CHECK_INT(0, ring_open(&r, fd, 8192, 0, "boot-a", &reset));
	for (unsigned i = 0; i < 10; i++)
		push(&r, 300, 'x');
	ring_ack(&r, 4);
	memset(r.data, 0x7f, r.size);	/* every record's header */
	munmap(r.h, r.map_len);
	CHECK_INT(0, ring_open(&r, fd, 8192, 0, "boot-a", &reset));
	CHECK_INT(1, reset);
	CHECK_INT(0, ring_records(&r));
	CHECK_INT(11, push(&r, 10, 'y'));
	CHECK_INT(1, send_all(&r, &first, &last));
	CHECK_INT(11, first);
	/* What it held unacknowledged (5 to 10) is counted as dropped. */
	CHECK_INT(6, ring_take_dropped(&r));
	munmap(r.h, r.map_len);
	/* Another size in the same boot: the same. */
	CHECK_INT(0, ring_open(&r, fd, 16384, 0, "boot-a", &reset));
	CHECK_INT(1, reset);
	CHECK_INT(1, ring_take_dropped(&r));		/* 11 */
	CHECK_INT(12, push(&r, 10, 'z'));
	/* Whatever was lost, the collector's ack of a seq this ring never
	 * issued says so: the count goes on past it, and what that ack covers
	 * here shares seqs with other records there, so it is counted lost. */
	ring_ack(&r, 40);
	CHECK_INT(41, push(&r, 10, 'w'));
	CHECK_INT(1, ring_take_dropped(&r));
	munmap(r.h, r.map_len);
	close(fd);
}

/* What the agent's ring holds when it is killed at one instruction: a
 * copy of the memfd as it is at that moment. */
static void check_snapshot(int fd, size_t map_len, uint64_t before, unsigned *states)
{
	static unsigned char copy[1 << 16];
	struct ring s;
	int snap = memfd(), reset = 1;
	uint64_t first = 0, last = 0;

	CHECK((size_t)pread(fd, copy, map_len, 0) == map_len);
	CHECK((size_t)pwrite(snap, copy, map_len, 0) == map_len);
	CHECK_INT(0, ring_open(&s, snap, 4096, 0, "boot-a", &reset));
	CHECK_INT(0, reset);
	ring_rewind(&s);
	send_all(&s, &first, &last);
	/* The newest record is the last one pushed before, or the new one;
	 * the next seq follows it: no gap, no reuse. */
	CHECK(last == before - 1 || last == before);
	states[last - (before - 1)]++;
	CHECK_INT(last + 1, ring_next_seq(&s));
	CHECK_INT(last + 1, push(&s, 8, 'n'));
	munmap(s.h, s.map_len);
	close(snap);
}

/* Kills at every instruction of a push (ptrace single steps; each stop is
 * what a SIGKILL there would leave): the ring reopens with neither a gap
 * nor a reused seq. The pushed record needs a wrap and drops the oldest. */
static void test_killed_anywhere(void)
{
	struct ring r;
	int fd = memfd(), reset = 0, st;
	unsigned states[2] = { 0, 0 }, steps = 0;
	pid_t pid;

	CHECK_INT(0, ring_open(&r, fd, 4096, 0, "boot-a", &reset));
	for (unsigned i = 0; i < 9; i++)
		push(&r, 400, (unsigned char)i);
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		push(&r, 400, 'k');
		_exit(0);
	}
	CHECK_INT(pid, waitpid(pid, &st, 0));
	while (steps < 200000) {
		check_snapshot(fd, r.map_len, 10, states);
		if (ptrace(PTRACE_SINGLESTEP, pid, NULL, NULL) < 0 || waitpid(pid, &st, 0) != pid ||
		    WIFEXITED(st) || WIFSIGNALED(st))
			break;
		steps++;
	}
	CHECK(WIFEXITED(st));
	CHECK(states[0] > 0 && states[1] > 0);
	munmap(r.h, r.map_len);
	close(fd);
}

int main(void)
{
	test_basic();
	test_wrap_and_overflow();
	test_survives();
	test_pinned();
	test_damaged_keeps_seq();
	test_killed_anywhere();
	return check_done();
}
