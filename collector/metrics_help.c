/* What each metric family's # HELP line says. The node_* texts are
 * node_exporter's own, word for word, for the names agent/metrics_*.c
 * sends: a dashboard's tooltip reads the same as with node_exporter. The
 * stele_* texts describe agent/metrics_stele.c and agent/collect.c, the
 * stele_collector_* ones metrics_render's own figures. A name not listed
 * gets a generic line that says only what is known. */
#include "metrics_help.h"

#include <string.h>

static const struct {
	const char *name, *help;
} help[] = {
	/* node_exporter: cpu, stat, loadavg, pressure, time, uname */
	{ "node_cpu_seconds_total", "Seconds the CPUs spent in each mode." },
	{ "node_boot_time_seconds", "Node boot time, in unixtime." },
	{ "node_time_seconds", "System time in seconds since epoch (1970)." },
	{ "node_load1", "1m load average." },
	{ "node_load5", "5m load average." },
	{ "node_load15", "15m load average." },
	{ "node_pressure_cpu_waiting_seconds_total",
	  "Total time in seconds that processes have waited for CPU time" },
	{ "node_pressure_memory_waiting_seconds_total",
	  "Total time in seconds that processes have waited for memory" },
	{ "node_pressure_memory_stalled_seconds_total",
	  "Total time in seconds no process could make progress due to memory congestion" },
	{ "node_pressure_io_waiting_seconds_total",
	  "Total time in seconds that processes have waited due to IO congestion" },
	{ "node_pressure_io_stalled_seconds_total",
	  "Total time in seconds no process could make progress due to IO congestion" },
	{ "node_uname_info", "Labeled system information as provided by the uname system call." },
	/* node_exporter: timex */
	{ "node_timex_offset_seconds", "Time offset in between local system and reference clock." },
	{ "node_timex_frequency_adjustment_ratio", "Local clock frequency adjustment." },
	{ "node_timex_maxerror_seconds", "Maximum error in seconds." },
	{ "node_timex_estimated_error_seconds", "Estimated error in seconds." },
	{ "node_timex_status", "Value of the status array bits." },
	{ "node_timex_loop_time_constant", "Phase-locked loop time constant." },
	{ "node_timex_tick_seconds", "Seconds between clock ticks." },
	{ "node_timex_tai_offset_seconds", "International Atomic Time (TAI) offset." },
	{ "node_timex_sync_status", "Is clock synchronized to a reliable server (1 = yes, 0 = no)." },
	/* node_exporter: diskstats */
	{ "node_disk_reads_completed_total", "The total number of reads completed successfully." },
	{ "node_disk_read_bytes_total", "The total number of bytes read successfully." },
	{ "node_disk_read_time_seconds_total", "The total number of seconds spent by all reads." },
	{ "node_disk_writes_completed_total", "The total number of writes completed successfully." },
	{ "node_disk_written_bytes_total", "The total number of bytes written successfully." },
	{ "node_disk_write_time_seconds_total",
	  "This is the total number of seconds spent by all writes." },
	{ "node_disk_io_time_seconds_total", "Total seconds spent doing I/Os." },
	/* node_exporter: filesystem */
	{ "node_filesystem_size_bytes", "Filesystem size in bytes." },
	{ "node_filesystem_free_bytes", "Filesystem free space in bytes." },
	{ "node_filesystem_avail_bytes", "Filesystem space available to non-root users in bytes." },
	{ "node_filesystem_files", "Filesystem total file nodes." },
	{ "node_filesystem_files_free", "Filesystem total free file nodes." },
	{ "node_filesystem_readonly", "Filesystem read-only status." },

	/* The agent's, from PID 1 */
	{ "stele_root_verity_ok",
	  "1 while the root file system verifies under dm-verity, 0 once corruption was seen." },
	{ "stele_service_up", "1 if the service is running, else 0." },
	{ "stele_service_restarts_total", "Times PID 1 restarted the service this boot." },
	{ "stele_service_state", "The service's current state, in the state label; always 1." },
	{ "stele_service_lines_dropped_total",
	  "Service output lines PID 1 could not hand to the agent this boot." },
	{ "stele_console_lines_dropped_total",
	  "Service output lines the console could not take this boot (the agent has them)." },
	/* The agent's own */
	{ "stele_agent_queue_records", "Records in the agent's buffer, not yet acknowledged." },
	{ "stele_agent_queue_bytes", "Bytes of records in the agent's buffer, not yet acknowledged." },
	{ "stele_agent_dropped_records_total",
	  "Records the agent's full buffer pushed out unacknowledged this boot." },
	{ "stele_agent_sent_bytes_total", "Bytes the agent sent to collectors (TLS records)." },
	{ "stele_agent_reconnects_total",
	  "Connections to a collector that failed or ended, each followed by a new attempt." },
	{ "stele_agent_kmsg_lost_total",
	  "Kernel log messages overwritten in the kernel's ring before the agent read them." },
	{ "stele_syslog_dropped_total",
	  "Syslog datagrams of the service dropped for going over its share of the agent's buffer." },

	/* The collector's own (metrics_render) */
	{ "stele_image_info",
	  "The image the host's agent says it booted (its hello): IMAGE_VERSION, root hash, "
	  "PCR 11; empty if not said. Always 1." },
	{ "stele_image_expected",
	  "1 if the host's version, root hash and PCR 11 are on the collector's --expect list, else 0." },
	{ "stele_collector_connections", "Agent connections open now." },
	{ "stele_collector_connections_total", "Agent connections accepted." },
	{ "stele_collector_connections_refused_total",
	  "Connections refused because every slot was held by an agent (--max-conns)." },
	{ "stele_collector_records_total", "Records stored and acknowledged." },
	{ "stele_collector_duplicates_total",
	  "Records dropped as duplicates by (boot_id, seq), and acknowledged." },
	{ "stele_collector_decode_errors_total",
	  "Items that did not decode: malformed CBOR, bad hellos, invalid records." },
	{ "stele_collector_tls_errors_total", "TLS handshakes or sessions that ended in an error." },
	{ "stele_collector_written_bytes_total", "Bytes of JSON lines written." },
	{ "stele_collector_samples_invalid_total",
	  "Metric samples left out for not being [valid name, {valid label: text}, number]." },
	{ "stele_collector_samples_dropped_total",
	  "Metric samples left out for lack of room for their host or series." },
	{ "stele_collector_invalid_records_total",
	  "Records stored as kind invalid: valid CBOR, but not a valid record." },
	{ "stele_collector_hellos_refused_total",
	  "Hellos refused: the client certificate names no usable host, or another one." },
	{ "stele_collector_evicted_total",
	  "Connections closed before their hello to make room for a newer one." },
	{ "stele_collector_hello_timeouts_total",
	  "Connections closed for not finishing TLS and hello within --hello-timeout." },
	{ "stele_collector_idle_closed_total",
	  "Agent connections closed for sending nothing within --idle-timeout." },
	{ "stele_collector_accept_pauses_total", "Pauses in accepting for want of file descriptors." },
	{ "stele_collector_disk_full_total",
	  "Commits that failed for a full disk; nothing of them was acknowledged." },
	{ "stele_collector_hosts_expired_total",
	  "Hosts whose metrics left for silence (--metrics-expiry)." },
};

/* node_exporter names these families after the field, and so its help:
 * "Memory information field MemAvailable_bytes." for every /proc/meminfo
 * line, "Network device statistic receive_bytes." for every
 * node_network_*_total. */
static const struct {
	const char *prefix, *suffix, *help;
} family[] = {
	{ "node_memory_", "", "Memory information field " },
	{ "node_network_", "_total", "Network device statistic " },
};

static int ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static void help_text(struct jbuf *b, const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof help / sizeof help[0]; i++) {
		if (strlen(help[i].name) == len && memcmp(help[i].name, name, len) == 0) {
			jb_cstr(b, help[i].help);
			return;
		}
	}
	for (size_t i = 0; i < sizeof family / sizeof family[0]; i++) {
		size_t p = strlen(family[i].prefix), s = strlen(family[i].suffix);

		if (len > p + s && memcmp(name, family[i].prefix, p) == 0 &&
		    ends_with(name, len, family[i].suffix)) {
			jb_cstr(b, family[i].help);
			jb_raw(b, name + p, len - p - s);
			jb_raw(b, ".", 1);
			return;
		}
	}
	jb_cstr(b, "Sent by the agent; the collector has no description of it.");
}

/* Counter for names ending in _total (Prometheus' naming rule, which
 * node_exporter and the agent follow), else gauge. */
void metrics_family_head(struct jbuf *b, const char *name, size_t len)
{
	jb_cstr(b, "# HELP ");
	jb_raw(b, name, len);
	jb_raw(b, " ", 1);
	help_text(b, name, len);
	jb_cstr(b, "\n# TYPE ");
	jb_raw(b, name, len);
	jb_cstr(b, ends_with(name, len, "_total") ? " counter\n" : " gauge\n");
}
