#include "ring.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define RING_MAGIC 0x676e6972656c6573ULL	/* "stelering" */
#define RING_VERSION 2
#define WRAP 0xffffffffu			/* "continue at offset 0" */

/* Offsets are byte counters that only grow; their position in data is
 * the offset modulo size. */
struct ring_hdr {
	uint64_t magic;
	uint32_t version, pad;
	uint64_t size;
	char boot_id[RING_BOOT_ID_MAX];
	uint64_t next_seq;	/* seq of the next record (see ring_commit) */
	uint64_t head;		/* end of the newest record */
	uint64_t tail;		/* start of the oldest kept record */
	uint64_t dropped_total, dropped_unreported;
	uint64_t acked;		/* the collector holds every seq up to this */
	uint64_t keep;		/* bytes of the caller's area after data */
};

/* A next_seq above this is damage, not counting. */
#define SEQ_MAX (1ULL << 53)

struct rec_hdr {
	uint32_t len;		/* bytes after this header; WRAP: skip to 0 */
	uint32_t owner;		/* < RING_OWNERS */
	uint64_t seq;
};

#define HDR_LEN ((uint64_t)sizeof(struct rec_hdr))

static uint64_t align8(uint64_t n) { return (n + 7) & ~(uint64_t)7; }

static struct rec_hdr *at(const struct ring *r, uint64_t off)
{
	return (struct rec_hdr *)(r->data + off % r->size);
}

/* Room taken by a record of len bytes. */
static uint64_t footprint(uint64_t len) { return HDR_LEN + align8(len); }

/* The offset of the record after the one at off (skipping a wrap mark). */
static uint64_t next_off(const struct ring *r, uint64_t off)
{
	const struct rec_hdr *h = at(r, off);

	if (h->len == WRAP)
		return off + (r->size - off % r->size);
	return off + footprint(h->len);
}

static uint64_t skip_wrap(const struct ring *r, uint64_t off)
{
	return off < r->h->head && at(r, off)->len == WRAP ? next_off(r, off) : off;
}

/* Walks tail to head: every record in bounds, seqs rising; counts them.
 * *newest gets the highest seq of the records that were in bounds, even
 * if a later one was not. The newest record may carry next_seq itself:
 * the agent was killed between publishing it and counting past it. */
static int valid(struct ring *r, uint64_t *newest)
{
	const struct ring_hdr *h = r->h;
	uint64_t off = h->tail, n = 0, seq = 0;

	*newest = 0;
	memset(r->owner_bytes, 0, sizeof r->owner_bytes);
	if (h->head < h->tail || h->head - h->tail > r->size || h->tail % 8 || h->head % 8)
		return 0;
	while (off < h->head) {
		const struct rec_hdr *rh = at(r, off);

		if (rh->len != WRAP) {
			if (rh->len > RING_RECORD_MAX || off % r->size + footprint(rh->len) > r->size ||
			    rh->owner >= RING_OWNERS)
				return 0;
			if (rh->seq <= seq || rh->seq > h->next_seq) {
				if (rh->seq < SEQ_MAX && rh->seq > *newest)
					*newest = rh->seq;
				return 0;
			}
			*newest = seq = rh->seq;
			r->owner_bytes[rh->owner] += footprint(rh->len);
			n++;
		}
		off = next_off(r, off);
	}
	r->records = n;
	return off == h->head;
}

/* The seq to go on from when a ring of this boot cannot be kept: the
 * collector has every seq below it already (or may have), and would take
 * records that reuse one for duplicates. Gaps are better than reuse. */
static uint64_t seq_to_keep(const struct ring_hdr *h, uint64_t newest)
{
	uint64_t next = h->next_seq < SEQ_MAX ? h->next_seq : 1;

	return newest >= next ? newest + 1 : next ? next : 1;
}

int ring_open(struct ring *r, int fd, uint64_t size, size_t keep, const char *boot_id,
	      int *reset)
{
	uint64_t newest = 0;
	int same_boot;

	size = align8(size);
	r->size = size;
	r->map_len = sizeof(struct ring_hdr) + size + keep;
	if (ftruncate(fd, (off_t)r->map_len) < 0)
		return -1;
	void *m = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return -1;
	r->h = m;
	r->data = (unsigned char *)m + sizeof(struct ring_hdr);
	same_boot = r->h->magic == RING_MAGIC && r->h->version == RING_VERSION &&
		    strncmp(r->h->boot_id, boot_id, RING_BOOT_ID_MAX) == 0;
	*reset = !same_boot || r->h->size != size || r->h->keep != keep || !valid(r, &newest);
	if (*reset) {
		uint64_t next = 1, lost = 0;

		if (same_boot) {
			/* What it held unacknowledged is gone: say at most how much. */
			next = seq_to_keep(r->h, newest);
			lost = r->h->acked < next ? next - 1 - r->h->acked : 0;
		}
		memset(r->h, 0, sizeof *r->h);
		r->h->version = RING_VERSION;
		r->h->size = size;
		r->h->keep = keep;
		memset(r->data + size, 0, keep);
		memset(r->owner_bytes, 0, sizeof r->owner_bytes);
		strncpy(r->h->boot_id, boot_id, RING_BOOT_ID_MAX - 1);
		r->h->next_seq = next;
		r->h->acked = next - 1;	/* acknowledged, or counted lost */
		r->h->dropped_total = r->h->dropped_unreported = lost;
		r->h->magic = RING_MAGIC;
		r->records = 0;
	} else if (newest == r->h->next_seq) {
		r->h->next_seq++;
	}
	r->send = r->h->tail;
	r->pinned = UINT64_MAX;
	return 0;
}

void *ring_keep(const struct ring *r)
{
	return r->data + r->size;
}

/* The record at tail leaves the ring. */
static void forget(struct ring *r, const struct rec_hdr *rh)
{
	r->records--;
	r->owner_bytes[rh->owner] -= footprint(rh->len);
}

static void drop_oldest(struct ring *r)
{
	struct ring_hdr *h = r->h;
	const struct rec_hdr *rh = at(r, h->tail);

	if (rh->len != WRAP) {
		forget(r, rh);
		h->dropped_total++;
		h->dropped_unreported++;
	}
	h->tail = next_off(r, h->tail);
	if (r->send < h->tail)
		r->send = h->tail;
}

unsigned char *ring_reserve(struct ring *r, size_t len, uint64_t *seq)
{
	struct ring_hdr *h = r->h;
	uint64_t need = footprint(len), pos = h->head % r->size;
	uint64_t gap = pos + need > r->size ? r->size - pos : 0;	/* wrap mark */

	if (len == 0 || len > RING_RECORD_MAX || need > r->size / 2)
		return NULL;
	while (r->size - (h->head - h->tail) < gap + need) {
		if (skip_wrap(r, h->tail) == r->pinned) {
			h->dropped_total++;
			h->dropped_unreported++;
			return NULL;
		}
		drop_oldest(r);
	}
	if (gap) {
		/* An empty wrap, visible and harmless, but only once marked. */
		at(r, h->head)->len = WRAP;
		__atomic_store_n(&h->head, h->head + gap, __ATOMIC_RELEASE);
	}
	*seq = h->next_seq;
	return (unsigned char *)(at(r, h->head) + 1);
}

void ring_commit(struct ring *r, size_t len, unsigned owner)
{
	struct ring_hdr *h = r->h;
	struct rec_hdr *rh = at(r, h->head);

	owner = owner < RING_OWNERS ? owner : 0;
	rh->len = (uint32_t)len;
	rh->owner = owner;
	rh->seq = h->next_seq;
	r->records++;
	r->owner_bytes[owner] += footprint(len);
	/* The record is in place before head says so, and next_seq moves past
	 * it only then: killed in between, the ring holds the record with
	 * seq == next_seq, which ring_open counts past. */
	__atomic_store_n(&h->head, h->head + footprint(len), __ATOMIC_RELEASE);
	__atomic_store_n(&h->next_seq, h->next_seq + 1, __ATOMIC_RELEASE);
}

void ring_ack(struct ring *r, uint64_t seq)
{
	struct ring_hdr *h = r->h;
	/* An ack of seqs never issued: this ring's count started again (the
	 * ring was lost), and what it holds has seqs the collector keeps
	 * other records under. Count on past them; the ones acked are lost. */
	int reused = seq >= h->next_seq && seq < SEQ_MAX;

	if (reused)
		h->next_seq = seq + 1;
	if (seq > h->acked && seq < h->next_seq)
		h->acked = seq;
	while (h->tail < h->head && skip_wrap(r, h->tail) != r->pinned) {
		const struct rec_hdr *rh = at(r, h->tail);

		if (rh->len != WRAP) {
			if (rh->seq > seq)
				break;
			forget(r, rh);
			h->dropped_total += reused;
			h->dropped_unreported += reused;
		}
		h->tail = next_off(r, h->tail);
	}
	if (r->send < h->tail)
		r->send = h->tail;
}

void ring_rewind(struct ring *r)
{
	r->send = r->h->tail;
	r->pinned = UINT64_MAX;
}

size_t ring_next(struct ring *r, const unsigned char **rec, uint64_t *seq)
{
	uint64_t off = skip_wrap(r, r->send);
	const struct rec_hdr *rh;

	if (off >= r->h->head)
		return 0;
	rh = at(r, off);
	r->pinned = off;
	*rec = (const unsigned char *)(rh + 1);
	*seq = rh->seq;
	return rh->len;
}

void ring_sent(struct ring *r)
{
	r->pinned = UINT64_MAX;
	r->send = skip_wrap(r, r->send);
	if (r->send < r->h->head)
		r->send = next_off(r, r->send);
}

uint64_t ring_records(const struct ring *r) { return r->records; }
uint64_t ring_bytes(const struct ring *r) { return r->h->head - r->h->tail; }
uint64_t ring_dropped_total(const struct ring *r) { return r->h->dropped_total; }
uint64_t ring_next_seq(const struct ring *r) { return r->h->next_seq; }

uint64_t ring_owner_bytes(const struct ring *r, unsigned owner)
{
	return owner < RING_OWNERS ? r->owner_bytes[owner] : 0;
}

void ring_return_dropped(struct ring *r, uint64_t n)
{
	r->h->dropped_unreported += n;
}

uint64_t ring_take_dropped(struct ring *r)
{
	uint64_t n = r->h->dropped_unreported;

	r->h->dropped_unreported = 0;
	return n;
}
