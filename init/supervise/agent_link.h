#ifndef STELE_AGENT_LINK_H
#define STELE_AGENT_LINK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "svc_output.h"

/* What PID 1 keeps for the agent for the whole boot, so that nothing is
 * lost while the agent restarts (lib/svc_line.h has the fd numbers): the
 * memfd holding its record buffer, both ends of the socket carrying
 * service lines (the buffered lines wait in it), the /dev/log socket that
 * syslog(3) writes to, and /dev/kmsg with its read position. */

#define AGENT_LINK_FDS 4

/* Creates them. Returns how many fds are in fds[] (AGENT_LINK_FDS), or 0
 * if the agent cannot be given its inputs (reported on the console). */
size_t agent_link_open(int fds[AGENT_LINK_FDS]);

/* Hands one service line to the agent; never blocks. Lines that do not fit
 * in the socket's buffer are counted, and the count published. */
void agent_link_send(const struct log_piece *p, pid_t pid);

/* The count of lines the agent could not be handed, for its dropped
 * event and metric: RUN_DIR/lines-dropped, "N\n", replaced whole, written
 * when it has changed and RUN_COUNT_MS have passed since the last write
 * (then *next_ms is lowered to when that is). */
void agent_link_publish(uint64_t now, uint64_t *next_ms);

#endif
