/* What a new connection carries: the hello first, then every record not
 * yet acknowledged, oldest first, and (when the buffer overflowed while
 * the collector was away) an event saying how many records were dropped. */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "agent.h"
#include "check.h"

static struct agent a;

static void push_log(unsigned i)
{
	static unsigned char buf[512];
	char msg[64];
	int n = snprintf(msg, sizeof msg, "line %u", i);
	struct log_fields f = { .sev = 6, .fac = 3, .t_ns = -1, .app = "t", .app_len = 1, .pid = 1,
				.uid = -1, .msg = msg, .msg_len = (size_t)n };

	CHECK_INT(0, intake_push(&a.in, buf, record_log(buf, sizeof buf, intake_seq(&a.in), 1,
						       "service", &f, "out"), 0));
}

/* The next item, as the transport would take it; returns its length. */
static size_t take(const unsigned char **item)
{
	size_t n = agent_ship_ops.next_item(&a, item);

	if (n)
		agent_ship_ops.sent(&a);
	return n;
}

static int contains(const unsigned char *p, size_t n, const char *s)
{
	return memmem(p, n, s, strlen(s)) != NULL;
}

/* The connection drops with a record half sent: in the outage that
 * follows, new records still push out the oldest (that one included),
 * never the other way round. */
static void test_outage_after_partial_send(void)
{
	const unsigned char *item;
	int fd = memfd_create("ship-test", MFD_CLOEXEC), reset, newest = 0;
	size_t n;

	CHECK_INT(0, agent_ring_open(&a, fd, 4096, &reset));
	push_log(1);
	agent_ship_ops.connected(&a, "test");
	CHECK(take(&item) > 0);				/* hello */
	CHECK(agent_ship_ops.next_item(&a, &item) > 0);	/* line 1, not all sent */
	agent_ship_ops.disconnected(&a);
	for (unsigned i = 2; i <= 100; i++)
		push_log(i);
	agent_ship_ops.connected(&a, "test");
	CHECK(take(&item) > 0);
	while ((n = take(&item)) > 0)
		newest |= contains(item, n, "line 100");
	CHECK(newest);
	munmap(a.ring.h, a.ring.map_len);
	close(fd);
}

int main(void)
{
	const unsigned char *item;
	int fd = memfd_create("ship-test", MFD_CLOEXEC), reset;
	size_t n;
	unsigned sent = 0, dropped_event = 0;

	strcpy(a.boot_id, "boot");
	strcpy(a.roothash, "ab");
	CHECK_INT(0, agent_ring_open(&a, fd, 4096, &reset));

	/* The collector is away: 100 records into a 4 KiB buffer. */
	for (unsigned i = 1; i <= 100; i++)
		push_log(i);
	CHECK(ring_dropped_total(&a.ring) > 0);

	agent_ship_ops.connected(&a, "test");
	n = take(&item);
	CHECK(n > 0 && contains(item, n, "roothash") && contains(item, n, "boot"));
	while ((n = take(&item)) > 0) {
		sent++;
		if (contains(item, n, "dropped"))
			dropped_event++;
	}
	CHECK_INT(1, dropped_event);
	CHECK_INT(ring_records(&a.ring), sent);

	/* Everything acknowledged but the newest: a new connection starts
	 * from what is left (the event's own push may have dropped one more
	 * record, which this connection reports in turn). */
	agent_ship_ops.acked(&a, ring_next_seq(&a.ring) - 2);
	agent_ship_ops.connected(&a, "test");
	CHECK(take(&item) > 0);			/* hello again */
	for (sent = 0; take(&item) > 0;)
		sent++;
	CHECK_INT(ring_records(&a.ring), sent);
	CHECK(sent == 1 || sent == 2);
	agent_ship_ops.acked(&a, ring_next_seq(&a.ring) - 1);
	agent_ship_ops.connected(&a, "test");
	CHECK(take(&item) > 0);			/* hello */
	CHECK_INT(0, take(&item));		/* nothing left, no new event */
	CHECK_INT(0, ring_records(&a.ring));
	munmap(a.ring.h, a.ring.map_len);
	close(fd);
	test_outage_after_partial_send();
	return check_done();
}
