/* /proc/net/dev: two header lines, then per interface "NAME: " and
 * eight receive counters (bytes packets errs drop fifo frame compressed
 * multicast) and eight transmit ones. A wide first number may touch the
 * colon ("eth0:123456789"), so the name ends at the colon, not a space. */
#include <string.h>

#include "metrics_parse.h"

#define NET_FIELDS 16

static const struct {
	const char *name;
	int field;
} net_metric[] = {
	{ "node_network_receive_bytes_total", 0 },
	{ "node_network_receive_packets_total", 1 },
	{ "node_network_receive_errs_total", 2 },
	{ "node_network_receive_drop_total", 3 },
	{ "node_network_transmit_bytes_total", 8 },
	{ "node_network_transmit_packets_total", 9 },
	{ "node_network_transmit_errs_total", 10 },
	{ "node_network_transmit_drop_total", 11 },
};

void metrics_net_parse(const char *text, size_t len, metric_sink sink, void *ctx)
{
	struct mtext t = { text, text + len }, l;
	char dev[32];
	struct metric_label lab = { "device", dev };
	uint64_t v[NET_FIELDS];
	const char *colon;
	size_t i;

	while (mtext_line(&t, &l)) {
		colon = memchr(l.p, ':', (size_t)(l.end - l.p));
		if (!colon)
			continue;
		while (l.p < colon && (*l.p == ' ' || *l.p == '\t'))
			l.p++;
		if (l.p == colon || memchr(l.p, ' ', (size_t)(colon - l.p)) ||
		    !mtext_copy(dev, sizeof dev, l.p, (size_t)(colon - l.p)))
			continue;
		l.p = colon + 1;
		for (i = 0; i < NET_FIELDS && mtext_next_u64(&l, &v[i]); i++)
			;
		if (i < NET_FIELDS)
			continue;
		for (i = 0; i < sizeof net_metric / sizeof net_metric[0]; i++)
			sink(ctx, net_metric[i].name, &lab, 1, (double)v[net_metric[i].field]);
	}
}

void metrics_net(metric_sink sink, void *ctx)
{
	size_t len;
	const char *text = metrics_read("/proc/net/dev", &len);

	if (text)
		metrics_net_parse(text, len, sink, ctx);
}
