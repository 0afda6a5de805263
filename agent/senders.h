#ifndef STELE_AGENT_SENDERS_H
#define STELE_AGENT_SENDERS_H

#include <stddef.h>
#include <stdint.h>

#include "ring.h"

/* Who writes to /dev/log, by service: the cgroup of the sending pid the
 * kernel vouches for (SO_PASSCRED), never the tag the text claims. Each
 * sender may hold 1/SENDER_SHARE of the ring: a service flooding
 * /dev/log has its excess dropped and counted as its own, and pushes out
 * nobody else's records. The table lives beside the ring (ring_keep),
 * since the ring's record owners (sender k is owner k + 1) refer to it. */

#define SENDERS_MAX (RING_OWNERS - 1)
#define SENDER_NAME_MAX 32		/* a service name, SVC_NAME_MAX */
#define SENDER_SHARE 8

struct sender {
	char name[SENDER_NAME_MAX];	/* "" while free */
	uint64_t dropped_total, dropped_unreported;
};

struct senders {
	struct sender s[SENDERS_MAX];
};

/* The ring owner of records from service name (NULL: not known), its
 * slot made if new. Once the table is full, the rest (and the unknown)
 * share the last slot, named "-". */
unsigned senders_owner(struct senders *t, const char *name);

/* 1 if a record of len bytes from owner fits in its share of r; 0 if not,
 * and it is counted as that sender's drop. */
int senders_admit(struct senders *t, const struct ring *r, unsigned owner, size_t len);

/* The sender of ring owner owner, or NULL. */
struct sender *senders_of(struct senders *t, unsigned owner);

/* The service of the cgroup named in text[len], the contents of
 * /proc/PID/cgroup: NAME of the "0::/NAME" line (the first part of its
 * path; "stele" for the root, where only PID 1 is), a service name's
 * characters only. Returns 0, or -1 (no such line, another shape, or a
 * name of cap bytes or more). */
int cgroup_service_parse(const char *text, size_t len, char *name, size_t cap);

/* The one service whose line in text[len] (/run/stele/services, "name=NAME
 * ... uid=N" per service) has uid=uid. Returns 0, or -1 (none, or more
 * than one: a shared user tells nothing). */
int services_uid_parse(const char *text, size_t len, unsigned uid, char *name, size_t cap);

/* The service of the process pid running as uid: from /proc/PID/cgroup
 * while it lives (and is still that process, of that uid), else from its
 * uid (services_uid_parse). Bounded reads. Returns 0, or -1 if it cannot
 * be told. */
int sender_service(long pid, long uid, char *name, size_t cap);

#endif
