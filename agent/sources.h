#ifndef STELE_AGENT_SOURCES_H
#define STELE_AGENT_SOURCES_H

#include <stdint.h>

#include "intake.h"
#include "line_join.h"
#include "senders.h"

/* The agent's inputs (sources.c), all handed over by PID 1: each reads
 * what is ready on fd, at most a batch, into in. */

/* Whether each datagram source can peek in batches (dgram_peek.h): once,
 * before the first read; without it, they peek one at a time. */
void sources_start(int lines_fd, int syslog_fd);

/* Service lines (lib/svc_line.h), put back together in j. Returns 0, or
 * -1 once PID 1's end of the socket is closed (nothing more will come). */
int source_lines(struct intake *in, struct line_joins *j, int fd);
/* No more service lines will be read: lines still missing their end go
 * out as they are. */
void source_lines_stop(struct intake *in, struct line_joins *j);

/* /dev/log datagrams, each sender held to its share in s. */
void source_syslog(struct intake *in, struct senders *s, int fd);

/* /dev/kmsg records; *lost counts those the kernel overwrote unread. */
void source_kmsg(struct intake *in, uint64_t *lost, int fd);

#endif
