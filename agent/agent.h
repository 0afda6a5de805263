#ifndef STELE_AGENT_AGENT_H
#define STELE_AGENT_AGENT_H

#include <stdint.h>

#include "conf.h"
#include "image_id.h"
#include "intake.h"
#include "line_join.h"
#include "record.h"
#include "ring.h"
#include "senders.h"
#include "transport.h"

#define AGENT_NAME "stele-agent/1"
/* PID 1's count of service lines it could not hand over (init/agent_link.h). */
#define AGENT_LINES_DROPPED "/run/stele/lines-dropped"
#define AGENT_CONSOLE_DROPPED "/run/stele/console-dropped"

/* What the agent keeps beside its ring in PID 1's memfd (ring_keep), so
 * that the next incarnation goes on where this one stopped. */
struct agent_keep {
	uint64_t lines_dropped_reported;	/* PID 1's count, as last reported */
	uint64_t console_dropped_reported;	/* and of lines its console dropped */
	struct senders senders;
	struct line_joins joins;
};

/* The agent's state, one per process. */
struct agent {
	struct agent_conf conf;
	struct ring ring;
	struct intake in;		/* into ring */
	struct agent_keep *keep;
	const char *lines_dropped_path;	/* AGENT_LINES_DROPPED; NULL: none */
	const char *console_dropped_path; /* AGENT_CONSOLE_DROPPED; NULL: none */
	struct transport tr;
	struct hello hello;
	char host[65], boot_id[RING_BOOT_ID_MAX], roothash[129];
	struct image_id image;		/* read once, at start */
	unsigned char hello_buf[1024];
	size_t hello_len;
	int hello_pending;		/* this connection has not had it yet */
	int connected;
	uint64_t lost_kmsg;		/* overwritten before we read them */
};

/* The agent's setup (setup.c): its configuration from conf, then
 * stele.collector from its credential and the kernel command line; its
 * identity; the ring (PID 1's memfd if from_pid1, else its own); the
 * transport, started. Dies (exit 111, a line on stderr) if any fails. */
void agent_setup(struct agent *a, const char *conf, int from_pid1);

/* Maps the ring (ring_open) and what is kept beside it, and points the
 * intake at it, with the realtime clock. */
int agent_ring_open(struct agent *a, int fd, uint64_t size, int *reset);

/* A round of metrics (collect_metrics) with the agent's counts; then, on
 * a connection, the "dropped" events. */
void agent_collect(struct agent *a);

/* "dropped" events for what was lost since the last report (drops.c):
 * records the full ring pushed out, lines PID 1 could not hand over, each
 * syslog sender's excess. Made on a connection: during an outage an event
 * would only push out another record. */
void agent_report_drops(struct agent *a);
/* PID 1's count of lost lines (AGENT_LINES_DROPPED); 0 if none is published. */
uint64_t agent_lines_dropped(const struct agent *a);
/* Lines PID 1's console dropped (AGENT_CONSOLE_DROPPED); they reached
 * the agent all the same. 0 if none is published. */
uint64_t agent_console_dropped(const struct agent *a);

/* The transport's callbacks (ship.c). */
extern const struct transport_ops agent_ship_ops;

#endif
