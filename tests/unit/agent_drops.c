/* Lines PID 1 could not hand to the agent (init/agent_link.c publishes
 * the count in /run/stele/lines-dropped) are reported as a "dropped"
 * event, once each, across agent restarts, and as a metric. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "agent_items.h"
#include "check.h"

static struct agent a;
static struct items it;
static char path[64];
static int ring_fd;

static void publish(const char *text)
{
	FILE *f = fopen(path, "w");

	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void agent_start(void)
{
	int reset;

	if (a.ring.h)
		munmap(a.ring.h, a.ring.map_len);
	CHECK_INT(0, agent_ring_open(&a, ring_fd, 1 << 20, &reset));
	a.lines_dropped_path = path;
}

/* The "dropped" events about PID 1's lines on a new connection, and
 * their counts added up. */
static unsigned events(uint64_t *count)
{
	unsigned n = 0;

	*count = 0;
	agent_ship_ops.connected(&a, "test");
	items_get(&a.ring, &it);
	for (unsigned i = 0; i < it.n; i++) {
		if (!ITEM_TEXT(&it, i, "msg", "service lines PID 1 could not hand to the agent"))
			continue;
		CHECK(ITEM_TEXT(&it, i, "event", "dropped"));
		for (uint64_t c = 1; c < 100; c++)
			if (ITEM_UINT(&it, i, "count", c))
				*count += c;
		n++;
	}
	ring_ack(&a.ring, ring_next_seq(&a.ring) - 1);
	return n;
}

int main(void)
{
	uint64_t count;
	int found = 0;

	snprintf(path, sizeof path, "/tmp/agent-drops.%d", (int)getpid());
	ring_fd = memfd_create("drops-test", MFD_CLOEXEC);
	strcpy(a.boot_id, "boot");
	agent_start();
	CHECK_INT(0, events(&count));		/* no file: nothing lost */
	publish("7\n");
	CHECK_INT(7, agent_lines_dropped(&a));
	CHECK_INT(1, events(&count));
	CHECK_INT(7, count);
	CHECK_INT(0, events(&count));		/* said once */
	publish("9\n");
	agent_start();				/* a restarted agent */
	CHECK_INT(1, events(&count));
	CHECK_INT(2, count);			/* only what is new */
	agent_start();
	CHECK_INT(0, events(&count));
	publish("garbage\n");
	CHECK_INT(0, agent_lines_dropped(&a));
	CHECK_INT(0, events(&count));

	/* The metric: PID 1's count as it is. */
	publish("9\n");
	agent_collect(&a);
	items_get(&a.ring, &it);
	/* ["stele_service_lines_dropped_total", {}, 9] */
	for (unsigned i = 0; i < it.n; i++)
		found |= ITEM_TEXT(&it, i, "kind", "metrics") &&
			 memmem(it.p[i], it.len[i], "stele_service_lines_dropped_total\xa0\x09",
				strlen("stele_service_lines_dropped_total") + 2) != NULL;
	CHECK(found);
	unlink(path);
	return check_done();
}
