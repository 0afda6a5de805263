#ifndef STELE_AGENT_METRICS_H
#define STELE_AGENT_METRICS_H

#include <stddef.h>

/* System metrics with node_exporter's names, labels and units, read from
 * /proc and /sys (and statfs for file systems), plus what PID 1 publishes
 * under /run/stele. Each sample goes to the sink as it is read: nothing is
 * allocated, nothing is kept. A source that cannot be read is skipped
 * (its absence is the signal), never fatal. */

struct metric_label {
	const char *name;
	const char *value;
};

typedef void (*metric_sink)(void *ctx, const char *name, const struct metric_label *labels,
			    size_t n_labels, double value);

/* node_cpu_seconds_total{cpu,mode}, node_memory_*_bytes, node_load1/5/15,
 * node_pressure_*_seconds_total, node_disk_*{device},
 * node_network_*{device}, node_filesystem_*{device,mountpoint,fstype},
 * node_boot_time_seconds, node_time_seconds, node_uname_info{...} = 1. */
void metrics_system(metric_sink sink, void *ctx);

/* From PID 1: stele_root_verity_ok (from /run/stele/verity: 1 verified,
 * 0 corruption seen), stele_service_up{service},
 * stele_service_restarts_total{service} and stele_service_state{service,
 * state} = 1 for its current state (from /run/stele/services). */
void metrics_stele(metric_sink sink, void *ctx);

#endif
