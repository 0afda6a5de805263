#ifndef STELE_AGENT_INTAKE_H
#define STELE_AGENT_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include "ring.h"

/* The one way into the ring, for every source, the metrics round and the
 * agent's own events: encode a record with intake_seq's seq and a time
 * from now_ns, then push it. It knows the ring and nothing of the agent
 * around it. */
struct intake {
	struct ring *ring;
	int64_t (*now_ns)(void);	/* realtime, ns since the epoch */
	uint64_t pushed;		/* records kept since start */
};

/* The seq the next pushed record gets. */
uint64_t intake_seq(const struct intake *in);

/* Appends item[len] as owner's (ring_commit; 0 when nobody's share is
 * counted). Returns 0, or -1 if it could not be kept. */
int intake_push(struct intake *in, const unsigned char *item, size_t len, unsigned owner);

/* An "event" record; app may be NULL, count < 0 leaves it out. Returns 0,
 * or -1 if it could not be kept. */
int intake_event(struct intake *in, const char *event, const char *app, const char *msg,
		 int64_t count);

#endif
