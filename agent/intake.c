#include "intake.h"

#include <string.h>

#include "record.h"

uint64_t intake_seq(const struct intake *in)
{
	return ring_next_seq(in->ring);
}

int intake_push(struct intake *in, const unsigned char *item, size_t len, unsigned owner)
{
	uint64_t seq;
	unsigned char *p = len ? ring_reserve(in->ring, len, &seq) : NULL;

	if (!p)
		return -1;
	memcpy(p, item, len);
	ring_commit(in->ring, len, owner);
	in->pushed++;
	return 0;
}

int intake_event(struct intake *in, const char *event, const char *app, const char *msg,
		 int64_t count)
{
	static unsigned char buf[1024];

	return intake_push(in, buf, record_event(buf, sizeof buf, intake_seq(in), in->now_ns(),
						 event, app, msg, count), 0);
}
