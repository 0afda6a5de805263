/* /proc/diskstats: "MAJOR MINOR NAME" then reads, reads merged, sectors
 * read, ms reading, writes, writes merged, sectors written, ms writing,
 * I/Os in progress, ms doing I/O, ... Sectors are 512 bytes whatever the
 * device's block size. ram, zram and loop devices that never did I/O
 * (the kernel lists every one it could create) are skipped. */
#include <string.h>

#include "metrics_parse.h"

#define DISK_FIELDS 10
#define SECTOR 512.0

enum { RD, RD_MERGED, RD_SECTORS, RD_MS, WR, WR_MERGED, WR_SECTORS, WR_MS, IN_FLIGHT, IO_MS };

static const struct {
	const char *name;
	int field;
	double scale;
} disk_metric[] = {
	{ "node_disk_reads_completed_total", RD, 1 },
	{ "node_disk_read_bytes_total", RD_SECTORS, SECTOR },
	{ "node_disk_read_time_seconds_total", RD_MS, 1e-3 },
	{ "node_disk_writes_completed_total", WR, 1 },
	{ "node_disk_written_bytes_total", WR_SECTORS, SECTOR },
	{ "node_disk_write_time_seconds_total", WR_MS, 1e-3 },
	{ "node_disk_io_time_seconds_total", IO_MS, 1e-3 },
};

void metrics_disk_parse(const char *text, size_t len, metric_sink sink, void *ctx)
{
	struct mtext t = { text, text + len }, l;
	char dev[64];
	struct metric_label lab = { "device", dev };
	uint64_t v[DISK_FIELDS], num;
	const char *w;
	size_t n, i;

	while (mtext_line(&t, &l)) {
		if (!mtext_next_u64(&l, &num) || !mtext_next_u64(&l, &num))
			continue;
		n = mtext_word(&l, &w);
		if (!mtext_copy(dev, sizeof dev, w, n) || n == 0)
			continue;
		for (i = 0; i < DISK_FIELDS && mtext_next_u64(&l, &v[i]); i++)
			;
		if (i < DISK_FIELDS)
			continue;
		if ((!strncmp(dev, "ram", 3) || !strncmp(dev, "zram", 4) || !strncmp(dev, "loop", 4)) &&
		    v[RD] == 0 && v[WR] == 0)
			continue;
		for (i = 0; i < sizeof disk_metric / sizeof disk_metric[0]; i++)
			sink(ctx, disk_metric[i].name, &lab, 1,
			     (double)v[disk_metric[i].field] * disk_metric[i].scale);
	}
}

void metrics_disk(metric_sink sink, void *ctx)
{
	size_t len;
	const char *text = metrics_read("/proc/diskstats", &len);

	if (text)
		metrics_disk_parse(text, len, sink, ctx);
}
