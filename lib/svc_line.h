#ifndef STELE_SVC_LINE_H
#define STELE_SVC_LINE_H

#include <stdint.h>

/* PID 1 → agent: one line (or piece of a long one) a service wrote, one
 * SOCK_SEQPACKET message each: this header, then name_len bytes of the
 * service name, then the raw text (no newline, not escaped). PID 1 holds
 * the sending end for the whole boot, so the socket's buffer keeps lines
 * while the agent restarts. */

#define SVC_LINE_VERSION 1
#define SVC_LINE_TEXT_MAX 1024		/* LOG_LINE_MAX of init/svc_output.h */

enum { SVC_LINE_OUT = 1, SVC_LINE_ERR = 2 };
/* flags: a line longer than SVC_LINE_TEXT_MAX comes in pieces, the first
 * with MORE, the middle ones with both, the last with CONTINUED. */
enum {
	SVC_LINE_CONTINUED = 1,		/* not the first piece of its line */
	SVC_LINE_MORE = 2,		/* not the last: the next piece of this stream goes on */
};

struct svc_line_hdr {
	uint8_t version;
	uint8_t stream;			/* SVC_LINE_OUT or SVC_LINE_ERR */
	uint8_t flags;
	uint8_t name_len;
	uint32_t pid;			/* the service's main pid */
	int64_t t_ns;			/* CLOCK_REALTIME when PID 1 read it */
};

/* The fds PID 1 passes to the agent (DESIGN.md 5): */
enum {
	AGENT_FD_RING = 3,		/* memfd: the agent's record buffer */
	AGENT_FD_LINES = 4,		/* SOCK_SEQPACKET: service lines */
	AGENT_FD_SYSLOG = 5,		/* SOCK_DGRAM bound at /dev/log */
	AGENT_FD_KMSG = 6,		/* /dev/kmsg, read offset kept by PID 1 */
};

#endif
