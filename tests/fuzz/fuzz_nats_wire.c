/* libFuzzer target: any bytes as what a NATS server sends. They are read
 * twice: whole, and in pieces (sizes drawn from a hash of the bytes) the
 * way a publisher reads its socket, moving what is left to the front of
 * its buffer after each event. Both readings must give the same events
 * and end the same way (more needed, or the same error); every event
 * lies inside the bytes given; every MSG and HMSG goes through the
 * PubAck reader and every INFO through the INFO reader, whose text must
 * come out as one printable, terminated line. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nats_wire.h"

#define EVENTS_MAX 4096

static uint64_t whole[EVENTS_MAX];
static char buf[NATS_EVENT_MAX];

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 0x100000001b3ull;
	return h;
}

static void printable(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (n == cap)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ' || (unsigned char)s[i] >= 0x7f)
			abort();
}

static uint64_t str_digest(uint64_t h, struct nats_str s, const char *lo, const char *hi)
{
	if (s.n && (s.p < lo || s.p + s.n > hi))
		abort();
	h = fnv(h, &s.n, sizeof s.n);
	return fnv(h, s.p, s.n);
}

/* What the event says, whatever buffer it points into. */
static uint64_t digest(const struct nats_event *ev, const char *lo, size_t n)
{
	uint64_t h = fnv(0xcbf29ce484222325ull, &ev->op, sizeof ev->op);
	const struct nats_str *s[] = { &ev->subject, &ev->sid, &ev->reply, &ev->hdr, &ev->data };
	struct nats_puback a;
	struct nats_info in;

	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		h = str_digest(h, *s[i], lo, lo + n);
	if (ev->op == NATS_OP_MSG || ev->op == NATS_OP_HMSG) {
		nats_puback_read(ev, &a);
		printable(a.why, sizeof a.why);
		if ((a.outcome == NATS_ACK_STORED || a.outcome == NATS_ACK_DUPLICATE) && a.why[0])
			abort();
		h = fnv(h, &a.outcome, sizeof a.outcome);
		h = fnv(h, &a.seq, sizeof a.seq);
		h = fnv(h, a.why, strlen(a.why));
	}
	if (ev->op == NATS_OP_INFO) {
		nats_info_read(ev->data.p, ev->data.n, &in);
		printable(in.server_name, sizeof in.server_name);
		printable(in.version, sizeof in.version);
		h = fnv(h, &in.max_payload, sizeof in.max_payload);
	}
	return h;
}

/* Whole: the events' digests, their count, and how it ended. */
static size_t read_whole(const char *d, size_t size, long *end, const char **why)
{
	struct nats_rd r;
	struct nats_event ev;
	size_t off = 0, k = 0;

	nats_rd_reset(&r);
	while (k < EVENTS_MAX && (*end = nats_wire_read(&r, d + off, size - off, &ev, why)) > 0) {
		if ((size_t)*end > size - off || (size_t)*end > NATS_EVENT_MAX)
			abort();
		whole[k++] = digest(&ev, d + off, size - off);
		off += (size_t)*end;
	}
	return k;
}

static uint64_t next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static size_t piece_size(uint64_t *x, size_t left)
{
	size_t n = next(x) % 4 == 0 ? 1 + next(x) % 4096 : 1 + next(x) % 16;

	return n < left ? n : left;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *d = (const char *)data, *why_whole = NULL, *why = NULL;
	uint64_t x = fnv(0xcbf29ce484222325ull, data, size) | 1;
	long end_whole = 0, end = 0;
	size_t events = read_whole(d, size, &end_whole, &why_whole), k = 0, have = 0, fed = 0;
	struct nats_rd r;
	struct nats_event ev;

	nats_rd_reset(&r);
	while (fed < size && end >= 0) {
		size_t piece = piece_size(&x, size - fed);

		if (piece > sizeof buf - have)
			abort();	/* an event larger than NATS_EVENT_MAX was let through */
		memcpy(buf + have, d + fed, piece);
		have += piece;
		fed += piece;
		while ((end = nats_wire_read(&r, buf, have, &ev, &why)) > 0) {
			if (k == EVENTS_MAX)
				return 0;	/* as far as the whole reading went */
			if (k == events || (size_t)end > have || digest(&ev, buf, have) != whole[k])
				abort();
			k++;
			memmove(buf, buf + end, have - (size_t)end);
			have -= (size_t)end;
		}
	}
	if (k != events || (end < 0) != (end_whole < 0) || (end < 0 && strcmp(why, why_whole) != 0))
		abort();
	return 0;
}
