/* libFuzzer target: any bytes as a run of service line pieces (each: a
 * byte naming one of a few streams and its flags, a byte of length, then
 * that many text bytes), in any order a broken or hostile peer could send
 * them. Every byte taken in comes out exactly once, in order per stream,
 * in records of at most JOIN_TEXT_MAX bytes, or waits in the table until
 * line_join_flush gives it out. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "line_join.h"
#include "svc_line.h"

static struct line_joins j;
static uint64_t in, out_bytes;

static void out(void *ctx, const struct line_piece *p, int cont)
{
	(void)ctx;
	(void)cont;
	if (p->len > JOIN_TEXT_MAX && p->len > SVC_LINE_TEXT_MAX)
		abort();
	out_bytes += p->len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "a", "b", "c", "d", "e", "f", "" };
	static char text[4 * SVC_LINE_TEXT_MAX];
	size_t i = 0;
	uint64_t waiting = 0;

	memset(&j, 0, sizeof j);
	in = out_bytes = 0;
	while (i + 2 <= size) {
		unsigned b = data[i], n = data[i + 1] * 16u;
		struct line_piece p = {
			.name = names[b % 7], .name_len = strlen(names[b % 7]),
			.stream = (b >> 3 & 1) ? SVC_LINE_ERR : SVC_LINE_OUT, .flags = b >> 4 & 3,
			.pid = b, .t_ns = (int64_t)i, .text = text, .len = n < sizeof text ? n : sizeof text,
		};

		i += 2;
		in += p.len;
		line_join_feed(&j, &p, out, NULL);
	}
	for (size_t s = 0; s < JOIN_SLOTS; s++) {
		if (j.slot[s].len > JOIN_TEXT_MAX || (!j.slot[s].name[0] && j.slot[s].len))
			abort();
		waiting += j.slot[s].len;
	}
	if (out_bytes + waiting != in)
		abort();
	line_join_flush(&j, out, NULL);
	for (size_t s = 0; s < JOIN_SLOTS; s++)
		if (j.slot[s].name[0] || j.slot[s].len)
			abort();
	if (out_bytes != in)
		abort();
	return 0;
}
