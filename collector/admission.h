#ifndef STELE_COLLECTOR_ADMISSION_H
#define STELE_COLLECTOR_ADMISSION_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* Who gets a connection slot (DESIGN §7). A connection is "pending" until
 * its TLS handshake and hello are done, "authenticated" after. Pending
 * connections from one source address are capped (per_source), and all
 * pending ones together may hold at most max - reserve slots: the reserve
 * is for authenticated agents. A newcomer over a cap takes the slot of
 * the oldest pending connection it competes with (its source's, else
 * anyone's), so a flood of stalled handshakes delays an agent by at most
 * one handshake instead of locking it out; only when every slot is held
 * by an authenticated agent is it refused. Pure: the caller ends the
 * connection picked. */

#define ADMISSION_SRC_MAX 16		/* IPv6 address bytes */

struct admission_src {
	unsigned char a[ADMISSION_SRC_MAX];
	uint8_t len;			/* 0: unknown family, its own source */
};

struct admission_limits {
	size_t max, reserve, per_source;
};

/* What admission_pick() needs of each slot. */
struct admission_slot {
	int used, authenticated;
	uint64_t since;			/* accepted at, for "oldest" */
	struct admission_src src;
};

enum admission {
	ADMIT_FREE,			/* slot *at is free */
	ADMIT_EVICT_SOURCE,		/* end *at: its source is at per_source */
	ADMIT_EVICT_PENDING,		/* end *at: pending are at max - reserve */
	ADMIT_FULL,			/* every slot is authenticated: refuse */
};

enum admission admission_pick(const struct admission_slot *slot, size_t n,
			      const struct admission_limits *l, const struct admission_src *src,
			      size_t *at);

/* The source address of sa (the port is not part of it). */
void admission_src_of(const struct sockaddr *sa, struct admission_src *src);

#endif
