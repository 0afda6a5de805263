/* The kernel's clock discipline, as adjtimex(2) with modes 0 reads it (no
 * privilege needed): node_exporter's timex collector's names and units.
 * offset is in nanoseconds under STA_NANO, else microseconds; maxerror,
 * esterror and tick in microseconds; freq in ppm with 16 fractional bits,
 * reported as the ratio 1 + freq; sync_status is 0 only when adjtimex
 * returns TIME_ERROR (STA_UNSYNC, among others). */
#include <sys/timex.h>

#include "metrics_parse.h"

void metrics_timex_emit(const struct timex *t, int state, metric_sink sink, void *ctx)
{
	double unit = t->status & STA_NANO ? 1e9 : 1e6;

	sink(ctx, "node_timex_sync_status", NULL, 0, state == TIME_ERROR ? 0 : 1);
	sink(ctx, "node_timex_offset_seconds", NULL, 0, (double)t->offset / unit);
	sink(ctx, "node_timex_frequency_adjustment_ratio", NULL, 0,
	     1 + (double)t->freq / (1e6 * 65536));
	sink(ctx, "node_timex_maxerror_seconds", NULL, 0, (double)t->maxerror / 1e6);
	sink(ctx, "node_timex_estimated_error_seconds", NULL, 0, (double)t->esterror / 1e6);
	sink(ctx, "node_timex_status", NULL, 0, (double)t->status);
	sink(ctx, "node_timex_loop_time_constant", NULL, 0, (double)t->constant);
	sink(ctx, "node_timex_tick_seconds", NULL, 0, (double)t->tick / 1e6);
	sink(ctx, "node_timex_tai_offset_seconds", NULL, 0, (double)t->tai);
}

void metrics_timex(metric_sink sink, void *ctx)
{
	struct timex t = { .modes = 0 };
	int state = adjtimex(&t);

	if (state >= 0)
		metrics_timex_emit(&t, state, sink, ctx);
}
