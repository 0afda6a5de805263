/* The agent's hub: its ring and what is kept beside it, and the rounds
 * that need the agent's own counts. */
#include "agent.h"

#include "clock.h"
#include "collect.h"

int agent_ring_open(struct agent *a, int fd, uint64_t size, int *reset)
{
	if (ring_open(&a->ring, fd, size, sizeof *a->keep, a->boot_id, reset) < 0)
		return -1;
	a->keep = ring_keep(&a->ring);
	a->in.ring = &a->ring;
	a->in.now_ns = clock_realtime_ns;
	return 0;
}

void agent_collect(struct agent *a)
{
	struct agent_counts c = {
		.sent_bytes = a->tr.bytes_sent, .reconnects = a->tr.reconnects,
		.kmsg_lost = a->lost_kmsg, .lines_dropped = agent_lines_dropped(a),
		.console_dropped = agent_console_dropped(a), .senders = &a->keep->senders,
	};

	collect_metrics(&a->in, &c);
	if (a->connected)
		agent_report_drops(a);
}
