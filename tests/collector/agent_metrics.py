"""The metric set the real agent sends, names and labels as
agent/metrics_*.c and agent/collect.c make them, for the collector tests
that check the exposition as a whole (metrics-promtool,
prometheus-scrape). Values are made up; names and labels are not."""

from harness import cbor

# /proc/meminfo of a Debian 12 guest (6.1): the agent turns each line into
# one gauge as metrics_mem.c does.
MEMINFO = """MemTotal: 4010120 kB
MemFree: 2871420 kB
MemAvailable: 3513988 kB
Buffers: 25804 kB
Cached: 745112 kB
SwapCached: 0 kB
Active: 287544 kB
Inactive: 648660 kB
Active(anon): 3784 kB
Inactive(anon): 176812 kB
Active(file): 283760 kB
Inactive(file): 471848 kB
Unevictable: 0 kB
Mlocked: 0 kB
SwapTotal: 0 kB
SwapFree: 0 kB
Zswap: 0 kB
Zswapped: 0 kB
Dirty: 12 kB
Writeback: 0 kB
AnonPages: 165300 kB
Mapped: 160892 kB
Shmem: 15308 kB
KReclaimable: 57404 kB
Slab: 108156 kB
SReclaimable: 57404 kB
SUnreclaim: 50752 kB
KernelStack: 3088 kB
PageTables: 4080 kB
SecPageTables: 0 kB
NFS_Unstable: 0 kB
Bounce: 0 kB
WritebackTmp: 0 kB
CommitLimit: 2005060 kB
Committed_AS: 793856 kB
VmallocTotal: 34359738367 kB
VmallocUsed: 14572 kB
VmallocChunk: 0 kB
Percpu: 1248 kB
HardwareCorrupted: 0 kB
AnonHugePages: 0 kB
ShmemHugePages: 0 kB
ShmemPmdMapped: 0 kB
FileHugePages: 0 kB
FilePmdMapped: 0 kB
HugePages_Total: 0
HugePages_Free: 0
HugePages_Rsvd: 0
HugePages_Surp: 0
Hugepagesize: 2048 kB
Hugetlb: 0 kB
DirectMap4k: 106360 kB
DirectMap2M: 4087808 kB
DirectMap1G: 2097152 kB
"""


def memory_samples():
    out = []
    for line in MEMINFO.splitlines():
        words = line.split()
        key = words[0].rstrip(":").replace("(", "_").replace(")", "")
        if len(words) == 3 and words[2] == "kB":
            out.append(["node_memory_%s_bytes" % key, {}, int(words[1]) * 1024])
        else:
            out.append(["node_memory_" + key, {}, int(words[1])])
    return out


def memory_names():
    return {s[0] for s in memory_samples()}


def system_samples(host, load=0.5):
    """metrics_system(): cpu, memory, load and pressure, disks, network,
    file systems, uname, time."""
    s = []
    for cpu in ("0", "1"):
        for i, mode in enumerate(("user", "nice", "system", "idle", "iowait", "irq",
                                  "softirq", "steal")):
            s.append(["node_cpu_seconds_total", {"cpu": cpu, "mode": mode}, 10.5 * i])
    s.append(["node_boot_time_seconds", {}, 1700000000])
    s += memory_samples()
    s += [["node_load1", {}, load], ["node_load5", {}, 0.25], ["node_load15", {}, 0.125]]
    for res, kinds in (("cpu", ("waiting",)), ("memory", ("waiting", "stalled")),
                       ("io", ("waiting", "stalled"))):
        for kind in kinds:
            s.append(["node_pressure_%s_%s_seconds_total" % (res, kind), {}, 0.001])
    for dev in ("vda", "dm-0"):
        for name in ("reads_completed", "read_bytes", "read_time_seconds", "writes_completed",
                     "written_bytes", "write_time_seconds", "io_time_seconds"):
            s.append(["node_disk_%s_total" % name, {"device": dev}, 42])
    for dev in ("lo", "eth0"):
        for name in ("receive_bytes", "receive_packets", "receive_errs", "receive_drop",
                     "transmit_bytes", "transmit_packets", "transmit_errs", "transmit_drop"):
            s.append(["node_network_%s_total" % name, {"device": dev}, 7])
    for dev, mp, fs in (("/dev/mapper/root", "/", "erofs"), ("tmpfs", "/run", "tmpfs"),
                        ("tmpfs", "/tmp", "tmpfs")):
        lab = {"device": dev, "mountpoint": mp, "fstype": fs}
        for name, v in (("size_bytes", 1 << 30), ("free_bytes", 1 << 29),
                        ("avail_bytes", 1 << 29), ("files", 65536), ("files_free", 60000),
                        ("readonly", 1 if fs == "erofs" else 0)):
            s.append(["node_filesystem_" + name, lab, v])
    s.append(["node_uname_info", {"sysname": "Linux", "release": "6.1.0-stele",
                                  "version": "#1 SMP PREEMPT_DYNAMIC", "machine": "x86_64",
                                  "nodename": host, "domainname": "(none)"}, 1])
    s.append(["node_time_seconds", {}, 1700000123.25])
    return s


def stele_samples():
    """metrics_stele() and the agent's own (collect.c)."""
    s = [["stele_root_verity_ok", {}, 1]]
    for svc, state in (("web", "running"), ("batch", "backoff")):
        s.append(["stele_service_up", {"service": svc}, 1 if state == "running" else 0])
        s.append(["stele_service_restarts_total", {"service": svc}, 3])
        s.append(["stele_service_state", {"service": svc, "state": state}, 1])
    s += [["stele_agent_queue_records", {}, 12], ["stele_agent_queue_bytes", {}, 4096],
          ["stele_agent_dropped_records_total", {}, 0], ["stele_agent_sent_bytes_total", {}, 1e6],
          ["stele_agent_reconnects_total", {}, 1], ["stele_agent_kmsg_lost_total", {}, 0],
          ["stele_service_lines_dropped_total", {}, 0],
          ["stele_console_lines_dropped_total", {}, 0],
          ["stele_syslog_dropped_total", {"service": "web"}, 0]]
    return s


def records(host, first_seq, load=0.5, per_record=60):
    """One round of metrics as CBOR records, cut as collect.c cuts a round
    that does not fit one record. Returns them and the last seq."""
    samples = system_samples(host, load) + stele_samples()
    out = b""
    for i in range(0, len(samples), per_record):
        seq = first_seq + i // per_record
        out += cbor({"seq": seq, "t": 1700000000000000000 + seq, "kind": "metrics",
                     "samples": samples[i:i + per_record]})
    return out, first_seq + (len(samples) - 1) // per_record
