#ifndef STELE_AGENT_COLLECT_H
#define STELE_AGENT_COLLECT_H

#include <stdint.h>

#include "intake.h"
#include "senders.h"

/* What the agent counted, for its own metrics beside the ring's. */
struct agent_counts {
	uint64_t sent_bytes, reconnects;	/* the transport's */
	uint64_t kmsg_lost;
	uint64_t lines_dropped, console_dropped;	/* PID 1's counts */
	const struct senders *senders;
};

/* One round of metrics: the system's, PID 1's, then the ring's and c's,
 * into as many "metrics" records as it takes (each at most
 * RING_RECORD_MAX). */
void collect_metrics(struct intake *in, const struct agent_counts *c);

#endif
