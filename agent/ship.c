/* Between the ring and the transport: what goes out on a connection is the
 * hello, then every record not yet acknowledged, oldest first. */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "agent.h"

static void build_hello(struct agent *a)
{
	struct utsname u;

	/* The host name may have changed since the last connection (DHCP). */
	if (uname(&u) == 0)
		snprintf(a->host, sizeof a->host, "%s", u.nodename);
	a->hello = (struct hello){ a->host, a->boot_id, AGENT_NAME, a->roothash,
				   a->image.version, a->image.pcr11, a->image.pcr15 };
	a->hello_len = record_hello(a->hello_buf, sizeof a->hello_buf, &a->hello);
}

static void connected(void *ctx, const char *collector)
{
	struct agent *a = ctx;

	(void)collector;
	build_hello(a);
	a->hello_pending = 1;
	a->connected = 1;
	ring_rewind(&a->ring);
	agent_report_drops(a);
}

static void disconnected(void *ctx)
{
	struct agent *a = ctx;

	/* Nothing is being sent any more: the half-sent record must not stay
	 * pinned, or through the outage new records are dropped instead of
	 * the oldest. */
	ring_rewind(&a->ring);
	a->connected = 0;
}

static size_t next_item(void *ctx, const unsigned char **item)
{
	struct agent *a = ctx;
	uint64_t seq;

	if (a->hello_pending) {
		*item = a->hello_buf;
		return a->hello_len;
	}
	return ring_next(&a->ring, item, &seq);
}

static void sent(void *ctx)
{
	struct agent *a = ctx;

	if (a->hello_pending)
		a->hello_pending = 0;
	else
		ring_sent(&a->ring);
}

static void acked(void *ctx, uint64_t seq)
{
	struct agent *a = ctx;

	ring_ack(&a->ring, seq);
}

const struct transport_ops agent_ship_ops = {
	.connected = connected,
	.disconnected = disconnected,
	.next_item = next_item,
	.sent = sent,
	.acked = acked,
};
