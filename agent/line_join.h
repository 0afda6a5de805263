#ifndef STELE_AGENT_LINE_JOIN_H
#define STELE_AGENT_LINE_JOIN_H

#include <stddef.h>
#include <stdint.h>

/* Long service lines put back together. PID 1 cuts a line into pieces of
 * SVC_LINE_TEXT_MAX bytes (lib/svc_line.h: each but the last flagged
 * MORE, each but the first CONTINUED); pieces of one stream arrive in
 * order, those of other streams in between. Up to JOIN_TEXT_MAX bytes of
 * a line become one record; a longer line becomes several, each after the
 * first marked "cont", as does a continuation whose beginning is gone
 * (pushed out of a full table, or dropped by PID 1). The table lives
 * beside the ring (ring_keep), so an agent restart loses no piece. */

#define JOIN_SLOTS 4
#define JOIN_TEXT_MAX 16384
#define JOIN_NAME_MAX 32

struct line_piece {
	const char *name;		/* the service */
	size_t name_len;
	int stream;			/* SVC_LINE_OUT or SVC_LINE_ERR */
	unsigned flags;			/* SVC_LINE_CONTINUED, SVC_LINE_MORE */
	uint32_t pid;
	int64_t t_ns;
	const char *text;
	size_t len;
};

struct join_slot {
	char name[JOIN_NAME_MAX];	/* "" while free */
	uint32_t stream, cont;
	uint32_t pid, len;
	int64_t t_ns;
	uint64_t age;			/* when it was taken: the oldest goes first */
	char text[JOIN_TEXT_MAX];
};

struct line_joins {
	uint64_t clock;
	struct join_slot slot[JOIN_SLOTS];
};

/* Gets a whole line (or a part of one, cont saying it is not the first):
 * p->text and p->len are its bytes, p->flags meaningless. */
typedef void (*line_out)(void *ctx, const struct line_piece *p, int cont);

/* Takes one piece: out() gets what it completes, now or (joined with
 * later pieces) when the line's last piece comes. */
void line_join_feed(struct line_joins *j, const struct line_piece *p, line_out out, void *ctx);

/* Gives out() every line still waiting for its end (the agent stops:
 * whatever was to follow will not be read). */
void line_join_flush(struct line_joins *j, line_out out, void *ctx);

#endif
