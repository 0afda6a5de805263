#ifndef STELE_AGENT_AGENT_H
#define STELE_AGENT_AGENT_H

#include <stdint.h>

#include "conf.h"
#include "record.h"
#include "ring.h"
#include "transport.h"

#define AGENT_NAME "stele-agent/1"

/* The agent's state, one per process. */
struct agent {
	struct agent_conf conf;
	struct ring ring;
	struct transport tr;
	struct hello hello;
	char host[65], boot_id[RING_BOOT_ID_MAX], roothash[129];
	unsigned char hello_buf[512];
	size_t hello_len;
	int hello_pending;		/* this connection has not had it yet */
	int connected;
	uint64_t lost_kmsg;		/* overwritten before we read them */
	uint64_t records_in;		/* pushed since start */
};

/* Realtime now, in ns since the epoch. */
int64_t agent_now_ns(void);

/* Appends a record built in scratch by encode(), which is given the seq
 * it will carry. Returns 0, or -1 if it could not be encoded. */
int agent_push(struct agent *a, const unsigned char *item, size_t len);
/* The seq the next pushed record gets: encode with it, then push. */
uint64_t agent_next_seq(const struct agent *a);

/* Sources (sources.c): each reads what is ready, at most a batch. */
void source_lines(struct agent *a, int fd);
void source_syslog(struct agent *a, int fd);
void source_kmsg(struct agent *a, int fd);

/* A "metrics" record (or several, if one would pass 64 KiB). */
void collect_metrics(struct agent *a);

/* An "event" record. */
void agent_event(struct agent *a, const char *event, const char *msg, int64_t count);

/* The transport's callbacks (ship.c). */
extern const struct transport_ops agent_ship_ops;

#endif
