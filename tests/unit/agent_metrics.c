/* System metrics: each /proc parser fed fixture text gives node_exporter's
 * names, labels and units; then one real round on this host. Fixtures are
 * copied to buffers of exactly their length, so ASan sees any overread. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "check.h"
#include "metrics_parse.h"

#define SAMPLES_MAX 16384

struct sample {
	char name[96];
	char labels[512];	/* "k=v,k=v" in the order given */
	double value;
};

static struct sample got[SAMPLES_MAX];
static size_t n_got, n_lost;

static void sink(void *ctx, const char *name, const struct metric_label *labels, size_t n_labels,
		 double value)
{
	struct sample *s;
	size_t o = 0;

	(void)ctx;
	if (n_got == SAMPLES_MAX) {
		n_lost++;
		return;
	}
	s = &got[n_got++];
	snprintf(s->name, sizeof s->name, "%s", name);
	s->labels[0] = '\0';
	for (size_t i = 0; i < n_labels && o < sizeof s->labels; i++)
		o += (size_t)snprintf(s->labels + o, sizeof s->labels - o, "%s%s=%s", i ? "," : "",
				      labels[i].name, labels[i].value);
	s->value = value;
}

static char *copy;

/* Runs parse over a copy of text of exactly its length, sink emptied first. */
static const char *fixture(const char *text, size_t *len)
{
	*len = strlen(text);
	free(copy);
	copy = malloc(*len ? *len : 1);
	memcpy(copy, text, *len);
	n_got = n_lost = 0;
	check_what = text;
	return copy;
}

static const struct sample *find(const char *name, const char *labels)
{
	for (size_t i = 0; i < n_got; i++) {
		if (strcmp(got[i].name, name) == 0 && strcmp(got[i].labels, labels) == 0)
			return &got[i];
	}
	return NULL;
}

static size_t count(const char *name)
{
	size_t n = 0;

	for (size_t i = 0; i < n_got; i++)
		n += strcmp(got[i].name, name) == 0;
	return n;
}

static int has(const char *file, int line, const char *name, const char *labels, double want)
{
	const struct sample *s = find(name, labels);
	int ok = s && fabs(s->value - want) <= 1e-9 * fmax(1, fabs(want));

	if (!check_result(ok, file, line, name)) {
		fprintf(stderr, "    labels {%s}: expected %.17g, ", labels, want);
		if (s)
			fprintf(stderr, "actual %.17g\n", s->value);
		else
			fprintf(stderr, "no such sample\n");
	}
	return ok;
}
#define HAS(name, labels, want) has(__FILE__, __LINE__, name, labels, want)

static void test_cpu(void)
{
	size_t len;
	const char *t = fixture("cpu  1000 20 300 40000 50 6 7 8 0 0\n"
				"cpu0 500 10 150 20000 25 3 4 5 0 0\n"
				"cpu1 500 10 150 20000 25 3 3 3 0 0\n"
				"cpu12 1 2 3\n"
				"cpux 1 2 3 4 5 6 7 8\n"
				"intr 12345 0 0\n"
				"ctxt 999\n"
				"btime 1700000000\n"
				"processes 100", &len);
	double hz = (double)sysconf(_SC_CLK_TCK);

	metrics_cpu_parse(t, len, sink, NULL);
	CHECK_INT(100, hz);
	HAS("node_cpu_seconds_total", "cpu=0,mode=user", 500 / hz);
	HAS("node_cpu_seconds_total", "cpu=0,mode=nice", 10 / hz);
	HAS("node_cpu_seconds_total", "cpu=0,mode=system", 150 / hz);
	HAS("node_cpu_seconds_total", "cpu=0,mode=idle", 20000 / hz);
	HAS("node_cpu_seconds_total", "cpu=0,mode=iowait", 25 / hz);
	HAS("node_cpu_seconds_total", "cpu=0,mode=irq", 3 / hz);
	HAS("node_cpu_seconds_total", "cpu=0,mode=softirq", 4 / hz);
	HAS("node_cpu_seconds_total", "cpu=0,mode=steal", 5 / hz);
	HAS("node_cpu_seconds_total", "cpu=1,mode=steal", 3 / hz);
	/* A short line gives what it has; the aggregate line gives nothing. */
	HAS("node_cpu_seconds_total", "cpu=12,mode=system", 3 / hz);
	CHECK(!find("node_cpu_seconds_total", "cpu=12,mode=idle"));
	CHECK_INT(19, count("node_cpu_seconds_total"));
	HAS("node_boot_time_seconds", "", 1700000000);
	CHECK_INT(20, n_got);
}

static void test_mem(void)
{
	size_t len;
	const char *t = fixture("MemTotal:        2030000 kB\n"
				"MemAvailable:    1500000 kB\n"
				"Active(anon):      12345 kB\n"
				"Inactive(file):        0 kB\n"
				"HugePages_Total:       0\n"
				"HugePages_Free:        3\n"
				"Hugepagesize:       2048 kB\n"
				"Broken 12 kB\n"
				"NoValue:\n"
				"Bad:  12x kB\n"
				"DirectMap1G:    4194304 kB", &len);

	metrics_mem_parse(t, len, sink, NULL);
	HAS("node_memory_MemTotal_bytes", "", 2030000.0 * 1024);
	HAS("node_memory_MemAvailable_bytes", "", 1500000.0 * 1024);
	HAS("node_memory_Active_anon_bytes", "", 12345.0 * 1024);
	HAS("node_memory_Inactive_file_bytes", "", 0);
	HAS("node_memory_HugePages_Total", "", 0);
	HAS("node_memory_HugePages_Free", "", 3);
	HAS("node_memory_Hugepagesize_bytes", "", 2048.0 * 1024);
	HAS("node_memory_DirectMap1G_bytes", "", 4194304.0 * 1024);
	CHECK_INT(8, n_got);
}

static void test_load(void)
{
	size_t len;
	const char *t = fixture("0.52 10.58 0.5 1/467 12345\n", &len);

	metrics_loadavg_parse(t, len, sink, NULL);
	HAS("node_load1", "", 0.52);
	HAS("node_load5", "", 10.58);
	HAS("node_load15", "", 0.5);
	CHECK_INT(3, n_got);

	t = fixture("0.52 x 0.59", &len);
	metrics_loadavg_parse(t, len, sink, NULL);
	CHECK_INT(1, n_got);

	t = fixture("some avg10=0.00 avg60=0.00 avg300=0.00 total=1500000\n"
		    "full avg10=0.00 avg60=0.00 avg300=0.00 total=250000\n", &len);
	metrics_pressure_parse("memory", t, len, sink, NULL);
	HAS("node_pressure_memory_waiting_seconds_total", "", 1.5);
	HAS("node_pressure_memory_stalled_seconds_total", "", 0.25);
	CHECK_INT(2, n_got);
	metrics_pressure_parse("io", t, len, sink, NULL);
	HAS("node_pressure_io_waiting_seconds_total", "", 1.5);
	HAS("node_pressure_io_stalled_seconds_total", "", 0.25);
	n_got = 0;
	metrics_pressure_parse("cpu", t, len, sink, NULL);
	HAS("node_pressure_cpu_waiting_seconds_total", "", 1.5);
	CHECK_INT(1, n_got);

	t = fixture("some avg10=0.00 total=\nfull total=x12", &len);
	metrics_pressure_parse("io", t, len, sink, NULL);
	CHECK_INT(0, n_got);
}

static void test_disk(void)
{
	size_t len;
	const char *t = fixture(
		"   7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
		"   7       1 loop1 12 0 96 1 0 0 0 0 0 4 1 0 0 0 0 0 0\n"
		" 254       0 vda 1000 10 20000 500 2000 20 40000 1500 0 1800 2000 0 0 0 0 0 0\n"
		"   1       0 ram0 0 0 0 0 0 0 0 0 0 0 0\n"
		" 254       1 vda1 1 0 8 2 3 0 16 4 0 5 6\n"
		" 254       2 vdb 1 2 3\n"
		"garbage line\n", &len);

	metrics_disk_parse(t, len, sink, NULL);
	HAS("node_disk_reads_completed_total", "device=vda", 1000);
	HAS("node_disk_read_bytes_total", "device=vda", 20000.0 * 512);
	HAS("node_disk_read_time_seconds_total", "device=vda", 0.5);
	HAS("node_disk_writes_completed_total", "device=vda", 2000);
	HAS("node_disk_written_bytes_total", "device=vda", 40000.0 * 512);
	HAS("node_disk_write_time_seconds_total", "device=vda", 1.5);
	HAS("node_disk_io_time_seconds_total", "device=vda", 1.8);
	HAS("node_disk_reads_completed_total", "device=loop1", 12);
	HAS("node_disk_io_time_seconds_total", "device=vda1", 0.005);
	CHECK(!find("node_disk_reads_completed_total", "device=loop0"));
	CHECK(!find("node_disk_reads_completed_total", "device=ram0"));
	CHECK(!find("node_disk_reads_completed_total", "device=vdb"));
	CHECK_INT(3 * 7, n_got);
}

static void test_net(void)
{
	size_t len;
	const char *t = fixture(
		"Inter-|   Receive                                                |  Transmit\n"
		" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"
		"    lo:    6924      64    0    0    0     0          0         0     6924      64    0    0    0     0       0          0\n"
		"  eth0:1234567890 100 1 2 0 0 0 0 555 50 3 4 0 0 0 0\n"
		"  bad0: 1 2 3\n"
		"a b: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", &len);

	metrics_net_parse(t, len, sink, NULL);
	HAS("node_network_receive_bytes_total", "device=lo", 6924);
	HAS("node_network_transmit_packets_total", "device=lo", 64);
	HAS("node_network_receive_bytes_total", "device=eth0", 1234567890);
	HAS("node_network_receive_packets_total", "device=eth0", 100);
	HAS("node_network_receive_errs_total", "device=eth0", 1);
	HAS("node_network_receive_drop_total", "device=eth0", 2);
	HAS("node_network_transmit_bytes_total", "device=eth0", 555);
	HAS("node_network_transmit_packets_total", "device=eth0", 50);
	HAS("node_network_transmit_errs_total", "device=eth0", 3);
	HAS("node_network_transmit_drop_total", "device=eth0", 4);
	CHECK_INT(16, n_got);
}

static char stat_seen[1024];

static int fake_statfs(const char *path, struct statfs *st)
{
	strncat(stat_seen, path, sizeof stat_seen - strlen(stat_seen) - 2);
	strcat(stat_seen, "|");
	if (strcmp(path, "/gone") == 0)
		return -1;
	memset(st, 0, sizeof *st);
	st->f_bsize = 4096;
	st->f_blocks = 1000;
	st->f_bfree = 500;
	st->f_bavail = 400;
	st->f_files = 100;
	st->f_ffree = 50;
	st->f_flags = strcmp(path, "/run") == 0 ? 1 : 0;	/* ST_RDONLY from statfs */
	return 0;
}

static void test_fs(void)
{
	size_t len;
	const char *t = fixture(
		"22 27 0:21 / /proc rw,relatime - proc proc rw\n"
		"24 27 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw\n"
		"25 24 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw\n"
		"27 1 254:1 / / ro,relatime - ext4 /dev/vda1 ro\n"
		"28 27 0:25 / /run rw,nosuid - tmpfs tmpfs rw\n"
		"29 27 0:26 / /mnt/my\\040disk rw shared:1 master:2 - ext4 /dev/disk\\040x rw\n"
		"30 27 0:27 / /var/lib/docker/overlay2/x rw - ext4 /dev/vdc rw\n"
		"31 27 0:28 / /var/lib/docker rw - ext4 /dev/vdd rw\n"
		"32 27 0:29 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
		"33 27 0:30 / /run/credentials/x.service ro - tmpfs tmpfs ro\n"
		"34 27 0:31 / /devices rw,noexec - tmpfs tmpfs rw\n"
		"35 27 0:32 / /gone rw - ext4 /dev/vde rw\n"
		"36 27 0:33 / /ovl rw - overlay overlay rw\n"
		"37 27 0:34 / /short rw -\n"
		"38 27 0:35 / /nodash rw ext4 /dev/x rw\n"
		"39 27 0:36 / /run/credentials rw - tmpfs tmpfs rw\n", &len);

	stat_seen[0] = '\0';
	metrics_fs_parse(t, len, fake_statfs, sink, NULL);
	CHECK_STR("/|/run|/mnt/my disk|/var/lib/docker|/devices|/gone|/run/credentials|", stat_seen);
	HAS("node_filesystem_size_bytes", "device=/dev/vda1,mountpoint=/,fstype=ext4", 4096000);
	HAS("node_filesystem_free_bytes", "device=/dev/vda1,mountpoint=/,fstype=ext4", 2048000);
	HAS("node_filesystem_avail_bytes", "device=/dev/vda1,mountpoint=/,fstype=ext4", 1638400);
	HAS("node_filesystem_files", "device=/dev/vda1,mountpoint=/,fstype=ext4", 100);
	HAS("node_filesystem_files_free", "device=/dev/vda1,mountpoint=/,fstype=ext4", 50);
	HAS("node_filesystem_readonly", "device=/dev/vda1,mountpoint=/,fstype=ext4", 1);
	HAS("node_filesystem_readonly", "device=tmpfs,mountpoint=/run,fstype=tmpfs", 1);
	HAS("node_filesystem_readonly", "device=tmpfs,mountpoint=/devices,fstype=tmpfs", 0);
	HAS("node_filesystem_size_bytes", "device=/dev/disk x,mountpoint=/mnt/my disk,fstype=ext4",
	    4096000);
	HAS("node_filesystem_size_bytes", "device=/dev/vdd,mountpoint=/var/lib/docker,fstype=ext4",
	    4096000);
	CHECK_INT(6 * 6, n_got);
}

static void test_uname(void)
{
	struct utsname u = { "Linux", "box", "6.1.0", "#1 SMP", "x86_64", "(none)" };

	n_got = 0;
	metrics_uname_emit(&u, sink, NULL);
	HAS("node_uname_info",
	    "sysname=Linux,release=6.1.0,version=#1 SMP,machine=x86_64,nodename=box,domainname=(none)",
	    1);
	CHECK_INT(1, n_got);
}

static void test_stele(void)
{
	size_t len;
	const char *t = fixture("1\n", &len);

	metrics_verity_parse(t, len, sink, NULL);
	HAS("stele_root_verity_ok", "", 1);
	t = fixture("0", &len);
	metrics_verity_parse(t, len, sink, NULL);
	HAS("stele_root_verity_ok", "", 0);
	static const char *const bad[] = { "", "\n", "2\n", "10\n", "x" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		t = fixture(bad[i], &len);
		metrics_verity_parse(t, len, sink, NULL);
		CHECK_INT(0, n_got);
	}

	t = fixture("name=web state=running pid=212 restarts=3 last_exit=status:1\n"
		    "name=net state=backoff pid=0 restarts=18446744073709551615 last_exit=signal:9\n"
		    "name=batch state=done pid=0 restarts=x last_exit=status:0\n"
		    "state=running pid=1\n"
		    "name=nostate restarts=1\n"
		    "name=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa state=running\n"
		    "name=new state=waiting", &len);
	metrics_services_parse(t, len, sink, NULL);
	HAS("stele_service_up", "service=web", 1);
	HAS("stele_service_restarts_total", "service=web", 3);
	HAS("stele_service_state", "service=web,state=running", 1);
	HAS("stele_service_up", "service=net", 0);
	HAS("stele_service_restarts_total", "service=net", 18446744073709551615.0);
	HAS("stele_service_state", "service=net,state=backoff", 1);
	HAS("stele_service_up", "service=batch", 0);
	CHECK(!find("stele_service_restarts_total", "service=batch"));
	HAS("stele_service_state", "service=batch,state=done", 1);
	HAS("stele_service_state", "service=new,state=waiting", 1);
	CHECK_INT(3 + 3 + 2 + 2, n_got);
}

/* Every prefix of each fixture parses without reading past its end. */
static void test_truncated(void)
{
	static const char text[] =
		"cpu0 500 10 150 20000 25 3 4 5 0 0\nbtime 17\n"
		"MemTotal:        2030000 kB\nActive(anon):      12345 kB\n"
		"some avg10=0.00 avg60=0.00 avg300=0.00 total=1500000\n"
		" 254       0 vda 1000 10 20000 500 2000 20 40000 1500 0 1800 2000 0 0 0 0 0 0\n"
		"  eth0:1234567890 100 1 2 0 0 0 0 555 50 3 4 0 0 0 0\n"
		"29 27 0:26 / /mnt/my\\040disk rw shared:1 - ext4 /dev/disk\\040x rw\n"
		"name=web state=running pid=212 restarts=3\n0.52 0.5 0.5\n";

	for (size_t n = 0; n <= sizeof text - 1; n++) {
		char *p = malloc(n ? n : 1);

		memcpy(p, text, n);
		n_got = 0;
		metrics_cpu_parse(p, n, sink, NULL);
		metrics_mem_parse(p, n, sink, NULL);
		metrics_loadavg_parse(p, n, sink, NULL);
		metrics_pressure_parse("io", p, n, sink, NULL);
		metrics_disk_parse(p, n, sink, NULL);
		metrics_net_parse(p, n, sink, NULL);
		metrics_fs_parse(p, n, fake_statfs, sink, NULL);
		metrics_verity_parse(p, n, sink, NULL);
		metrics_services_parse(p, n, sink, NULL);
		free(p);
		stat_seen[0] = '\0';
	}
	check_what = "every prefix";
	CHECK_INT(0, n_lost);
}

/* One real round on this host: the sources every Linux has. */
static void test_host(void)
{
	static const char *const want[] = {
		"node_cpu_seconds_total", "node_boot_time_seconds", "node_memory_MemTotal_bytes",
		"node_memory_MemAvailable_bytes", "node_load1", "node_load15",
		"node_network_receive_bytes_total", "node_uname_info", "node_time_seconds",
	};
	const struct sample *s;

	n_got = n_lost = 0;
	check_what = "metrics_system on this host";
	metrics_system(sink, NULL);
	CHECK_INT(0, n_lost);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (!CHECK(count(want[i]) > 0))
			fprintf(stderr, "    missing: %s\n", want[i]);
	}
	s = find("node_cpu_seconds_total", "cpu=0,mode=idle");
	CHECK(s && s->value > 0);
	for (size_t i = 0; i < n_got; i++) {
		if (strcmp(got[i].name, "node_time_seconds") == 0)
			CHECK(got[i].value > 1.7e9);
		if (strcmp(got[i].name, "node_boot_time_seconds") == 0)
			CHECK(got[i].value > 1e9);
	}
	fprintf(stderr, "metrics_system on this host: %zu samples\n", n_got);

	/* /run/stele is the guest's: here it is absent, and nothing comes. */
	if (access("/run/stele", F_OK) != 0) {
		n_got = 0;
		metrics_stele(sink, NULL);
		CHECK_INT(0, n_got);
	}
}

int main(void)
{
	test_cpu();
	test_mem();
	test_load();
	test_disk();
	test_net();
	test_fs();
	test_uname();
	test_stele();
	test_truncated();
	test_host();
	free(copy);
	return check_done();
}
