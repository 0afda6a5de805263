/* Putting records into the agent's ring: the one way in for every source. */
#include <string.h>

#include "agent.h"

uint64_t agent_next_seq(const struct agent *a)
{
	return ring_next_seq(&a->ring);
}

int agent_ring_open(struct agent *a, int fd, uint64_t size, int *reset)
{
	if (ring_open(&a->ring, fd, size, sizeof *a->keep, a->boot_id, reset) < 0)
		return -1;
	a->keep = ring_keep(&a->ring);
	return 0;
}

int agent_push_as(struct agent *a, const unsigned char *item, size_t len, unsigned owner)
{
	uint64_t seq;
	unsigned char *p = len ? ring_reserve(&a->ring, len, &seq) : NULL;

	if (!p)
		return -1;
	memcpy(p, item, len);
	ring_commit(&a->ring, len, owner);
	a->records_in++;
	return 0;
}

int agent_push(struct agent *a, const unsigned char *item, size_t len)
{
	return agent_push_as(a, item, len, 0);
}

int agent_event(struct agent *a, const char *event, const char *app, const char *msg,
		int64_t count)
{
	static unsigned char buf[1024];

	return agent_push(a, buf, record_event(buf, sizeof buf, agent_next_seq(a), agent_now_ns(),
					       event, app, msg, count));
}

