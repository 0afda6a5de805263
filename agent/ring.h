#ifndef STELE_AGENT_RING_H
#define STELE_AGENT_RING_H

#include <stddef.h>
#include <stdint.h>

/* The agent's buffer of records not yet acknowledged, in a memfd that PID 1
 * creates once per boot and hands to every incarnation of the agent: a
 * restarted (even SIGKILLed) agent finds every unacknowledged record and
 * the next sequence number where the last one left them.
 *
 * Records are stored whole and contiguous (so the transport can send one
 * from a single pointer) in byte order of their seq. A record is visible
 * only once its header and bytes are written and head has moved past it:
 * a crash mid-push leaves the ring as it was. When there is no room, the
 * oldest records go, acknowledged or not, and are counted as dropped;
 * only the record being handed to the transport (from ring_next to
 * ring_sent) stays put, and if it is in the way the new record is dropped
 * instead.
 * Single writer, single process at a time. */

#define RING_RECORD_MAX 65536		/* one CBOR item, DESIGN.md 6 */
#define RING_BOOT_ID_MAX 40
#define RING_OWNERS 17			/* who made a record: 0, or a syslog sender */

struct ring_hdr;

struct ring {
	struct ring_hdr *h;
	unsigned char *data;
	uint64_t size;			/* bytes of data */
	uint64_t send;			/* offset of the next record to send */
	uint64_t records;		/* kept; counted again at open */
	uint64_t pinned;		/* record being sent: never dropped */
	uint64_t owner_bytes[RING_OWNERS];	/* room each owner's records take */
	size_t map_len;
};

/* Maps the memfd fd as a ring of size data bytes (rounded to 8), followed
 * by keep bytes for the caller's own state that must outlive the agent
 * as the ring does (ring_keep). If fd already holds a valid ring of this
 * boot, it is kept as it is; otherwise (new, other boot, other size,
 * damaged) it is started afresh, keep bytes zeroed, and *reset says so.
 * Within a boot, seqs go on where they were (DESIGN.md 6: never reused),
 * and what a damaged ring held unacknowledged is counted as dropped.
 * Returns 0, or -1 with errno. */
int ring_open(struct ring *r, int fd, uint64_t size, size_t keep, const char *boot_id,
	      int *reset);
void *ring_keep(const struct ring *r);

/* Appends a record of len bytes, built by the caller in place: ring_reserve
 * returns where to write it (NULL if len is 0, over RING_RECORD_MAX or
 * over half the ring, or if the record being sent is in the way) and the seq it
 * will carry; ring_commit makes it visible, as owner's (0 when nobody's
 * share is counted; see ring_owner_bytes). Room is made by dropping the
 * oldest records. */
unsigned char *ring_reserve(struct ring *r, size_t len, uint64_t *seq);
void ring_commit(struct ring *r, size_t len, unsigned owner);

/* Every record with seq <= seq is acknowledged: their room is free (but
 * for a record being sent, freed once it is). */
void ring_ack(struct ring *r, uint64_t seq);

/* Sending: ring_rewind goes back to the oldest unacknowledged record (after
 * a reconnect); ring_next gives the record to send next (0: none) and
 * keeps it in place until ring_sent moves past it. */
void ring_rewind(struct ring *r);
size_t ring_next(struct ring *r, const unsigned char **rec, uint64_t *seq);
void ring_sent(struct ring *r);

/* Counters, for metrics and the "dropped" event. */
uint64_t ring_records(const struct ring *r);	/* kept, unacknowledged */
uint64_t ring_bytes(const struct ring *r);
uint64_t ring_dropped_total(const struct ring *r);
/* Dropped since the last call, for the event that reports them. */
uint64_t ring_take_dropped(struct ring *r);
/* Gives back what ring_take_dropped took, when it could not be reported. */
void ring_return_dropped(struct ring *r, uint64_t n);
uint64_t ring_next_seq(const struct ring *r);
/* Bytes of the ring owner's kept records take, headers included. */
uint64_t ring_owner_bytes(const struct ring *r, unsigned owner);

#endif
