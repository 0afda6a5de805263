/* One round of system metrics, source by source; each skips itself if
 * its files are missing (no PSI, no network yet). */
#include <time.h>

#include "metrics_parse.h"

void metrics_system(metric_sink sink, void *ctx)
{
	struct timespec now;

	metrics_cpu(sink, ctx);
	metrics_mem(sink, ctx);
	metrics_load(sink, ctx);
	metrics_disk(sink, ctx);
	metrics_net(sink, ctx);
	metrics_fs(sink, ctx);
	metrics_uname(sink, ctx);
	metrics_timex(sink, ctx);
	if (clock_gettime(CLOCK_REALTIME, &now) == 0)
		sink(ctx, "node_time_seconds", NULL, 0, (double)now.tv_sec + now.tv_nsec / 1e9);
}
