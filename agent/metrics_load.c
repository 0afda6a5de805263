/* /proc/loadavg ("0.52 0.58 0.59 1/467 12345") and the pressure stall
 * files /proc/pressure/{cpu,memory,io} ("some avg10=0.00 avg60=0.00
 * avg300=0.00 total=MICROSECONDS", then "full ..."), which exist only
 * with CONFIG_PSI. node_exporter's names: "some" is waiting, "full" is
 * stalled. The CPU's "full" line is not reported: system-wide it is
 * undefined and the kernel shows zero. */
#include <stdio.h>
#include <string.h>

#include "metrics_parse.h"

void metrics_loadavg_parse(const char *text, size_t len, metric_sink sink, void *ctx)
{
	static const char *const name[] = { "node_load1", "node_load5", "node_load15" };
	struct mtext t = { text, text + len };
	double v;

	for (size_t i = 0; i < sizeof name / sizeof name[0]; i++) {
		if (!mtext_next_dec(&t, &v))
			return;
		sink(ctx, name[i], NULL, 0, v);
	}
}

void metrics_pressure_parse(const char *resource, const char *text, size_t len,
			    metric_sink sink, void *ctx)
{
	struct mtext t = { text, text + len }, l;
	char name[64];
	const char *w, *kind;
	size_t n;
	uint64_t us;

	while (mtext_line(&t, &l)) {
		n = mtext_word(&l, &w);
		if (n == 4 && memcmp(w, "some", 4) == 0)
			kind = "waiting";
		else if (n == 4 && memcmp(w, "full", 4) == 0 && strcmp(resource, "cpu") != 0)
			kind = "stalled";
		else
			continue;
		while ((n = mtext_word(&l, &w)) > 0) {
			if (n > 6 && memcmp(w, "total=", 6) == 0 && mtext_u64(w + 6, n - 6, &us)) {
				snprintf(name, sizeof name, "node_pressure_%s_%s_seconds_total",
					 resource, kind);
				sink(ctx, name, NULL, 0, (double)us / 1e6);
			}
		}
	}
}

void metrics_load(metric_sink sink, void *ctx)
{
	static const char *const resource[] = { "cpu", "memory", "io" };
	char path[32];
	size_t len;
	const char *text = metrics_read("/proc/loadavg", &len);

	if (text)
		metrics_loadavg_parse(text, len, sink, ctx);
	for (size_t i = 0; i < sizeof resource / sizeof resource[0]; i++) {
		snprintf(path, sizeof path, "/proc/pressure/%s", resource[i]);
		if ((text = metrics_read(path, &len)))
			metrics_pressure_parse(resource[i], text, len, sink, ctx);
	}
}
