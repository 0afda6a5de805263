/* /proc/stat: "cpuN user nice system idle iowait irq softirq steal ..."
 * in USER_HZ ticks, and "btime SECONDS". The boot time comes from btime,
 * as node_exporter takes it: a whole number that stays put between
 * scrapes, where realtime minus /proc/uptime would jitter. */
#include <string.h>
#include <unistd.h>

#include "metrics_parse.h"

static const char *const mode[] = {
	"user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal",
};

static void cpu_line(struct mtext *l, const char *w, size_t n, double hz, metric_sink sink,
		     void *ctx)
{
	char cpu[16];
	struct metric_label lab[2] = { { "cpu", cpu }, { "mode", NULL } };
	uint64_t ticks;

	if (!mtext_copy(cpu, sizeof cpu, w + 3, n - 3) || !mtext_u64(w + 3, n - 3, &ticks))
		return;
	for (size_t i = 0; i < sizeof mode / sizeof mode[0]; i++) {
		if (!mtext_next_u64(l, &ticks))
			return;
		lab[1].value = mode[i];
		sink(ctx, "node_cpu_seconds_total", lab, 2, (double)ticks / hz);
	}
}

void metrics_cpu_parse(const char *text, size_t len, metric_sink sink, void *ctx)
{
	struct mtext t = { text, text + len }, l;
	long hz = sysconf(_SC_CLK_TCK);
	const char *w;
	size_t n;
	uint64_t v;

	if (hz <= 0)
		hz = 100;
	while (mtext_line(&t, &l)) {
		n = mtext_word(&l, &w);
		if (n > 3 && w[0] == 'c' && w[1] == 'p' && w[2] == 'u')
			cpu_line(&l, w, n, (double)hz, sink, ctx);
		else if (n == 5 && !memcmp(w, "btime", 5) && mtext_next_u64(&l, &v))
			sink(ctx, "node_boot_time_seconds", NULL, 0, (double)v);
	}
}

void metrics_cpu(metric_sink sink, void *ctx)
{
	size_t len;
	const char *text = metrics_read("/proc/stat", &len);

	if (text)
		metrics_cpu_parse(text, len, sink, ctx);
}
