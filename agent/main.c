/* stele-agent: ships the machine's logs and metrics to a collector.
 * Setup may fail (bad config, unreadable key: exit 111, PID 1 restarts
 * it); the loop never dies. On SIGTERM it stops reading its sources and
 * sends what it holds, for at most STOP_FLUSH_MS. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"
#include "bench.h"
#include "clock.h"
#include "sources.h"
#include "svc_line.h"

#define DEFAULT_CONF "/etc/stele/agent.conf"
#define CRED_COLLECTOR "/run/stele/credentials/stele.collector"
#define STOP_FLUSH_MS 5000

static struct agent agent;

static ssize_t slurp(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

static _Noreturn void die(const char *fmt, const char *arg)
{
	fprintf(stderr, "agent: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	exit(111);
}

/* The collectors: the file's, replaced by the stele.collector credential
 * (SMBIOS, see init/credentials.h), replaced by stele.collector= on the
 * kernel command line. */
static void load_conf(struct agent *a, const char *path)
{
	static char text[8192], cmdline[4096], cred[4096];
	char why[CONF_REASON_MAX];
	ssize_t n = slurp(path, text, sizeof text);

	if (n < 0)
		die("cannot read %s", path);
	if (agent_conf_parse(path, text, (size_t)n, &a->conf, why) < 0)
		die("%s", why);
	n = slurp(CRED_COLLECTOR, text, sizeof text);
	if (n > 0) {
		snprintf(cred, sizeof cred, "stele.collector=%.*s", (int)strcspn(text, "\n"), text);
		if (agent_conf_cmdline(cred, &a->conf, why) < 0)
			fprintf(stderr, "agent: credential stele.collector ignored: %s\n", why);
	}
	if (slurp("/proc/cmdline", cmdline, sizeof cmdline) > 0 &&
	    agent_conf_cmdline(cmdline, &a->conf, why) < 0)
		die("%s", why);
}

/* boot_id and the root hash name this boot for the collector. */
static void identify(struct agent *a)
{
	static char cmdline[4096];
	const char *rh;

	if (slurp("/proc/sys/kernel/random/boot_id", a->boot_id, sizeof a->boot_id) <= 0)
		die("cannot read %s", "/proc/sys/kernel/random/boot_id");
	a->boot_id[strcspn(a->boot_id, "\n")] = '\0';
	/* PID 1 publishes it from the verity table (a signed image's command
	 * line may not have it); run by hand, the command line is the hint. */
	strcpy(a->roothash, "-");
	if (slurp("/run/stele/roothash", cmdline, sizeof cmdline) > 0)
		snprintf(a->roothash, sizeof a->roothash, "%.*s", (int)strcspn(cmdline, " \n"), cmdline);
	else if (slurp("/proc/cmdline", cmdline, sizeof cmdline) > 0 && (rh = strstr(cmdline, "roothash=")))
		snprintf(a->roothash, sizeof a->roothash, "%.*s", (int)strcspn(rh + 9, " \n"), rh + 9);
}

/* PID 1 hands over the ring; run by hand, the agent makes its own. */
static int ring_fd(int from_pid1)
{
	int fd = from_pid1 ? AGENT_FD_RING : memfd_create("stele-agent-ring", MFD_CLOEXEC);

	if (fd < 0)
		die("memfd_create: %s", strerror(errno));
	return fd;
}

/* The clock floor for certificates: this binary's mtime, which the image
 * build sets to the image's build time (SOURCE_DATE_EPOCH). */
static uint64_t time_floor(void)
{
	struct stat st;

	return stat("/proc/self/exe", &st) == 0 && st.st_mtime > 0 ? (uint64_t)st.st_mtime : 0;
}

static int signals_open(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

enum { P_SIG, P_NET, P_LINES, P_SYSLOG, P_KMSG, P_MAX };

static void loop(struct agent *a, int sources)
{
	struct pollfd p[P_MAX];
	int sfd = signals_open();
	uint64_t next_metrics = clock_ms(), stop_at = 0;
	int lines_stopped = 0;

	for (;;) {
		uint64_t now = clock_ms(), next = next_metrics;
		int wait;

		if (stop_at && (ring_records(&a->ring) == 0 || now >= stop_at)) {
			transport_close(&a->tr);
			exit(0);
		}
		if (now >= next_metrics && !stop_at) {
			agent_collect(a);
			next_metrics = now + a->conf.interval_s * 1000ULL;
			next = next_metrics;
		}
		/* Records made since the last poll go out now, in as few TLS
		 * records as they fit in. */
		transport_step(&a->tr, 0, now);
		p[P_SIG] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		p[P_NET] = (struct pollfd){ .fd = -1 };
		transport_poll(&a->tr, &p[P_NET], now, &next);
		for (int i = P_LINES; i < P_MAX; i++) {
			int fd = AGENT_FD_LINES + (i - P_LINES);

			p[i] = (struct pollfd){ .fd = sources && !stop_at ? fd : -1, .events = POLLIN };
		}
		if (stop_at && stop_at < next)
			next = stop_at;
		wait = next <= now ? 0 : next - now > 60000 ? 60000 : (int)(next - now);
		if (poll(p, P_MAX, wait) < 0 && errno != EINTR)
			fprintf(stderr, "agent: poll: %s\n", strerror(errno));
		now = clock_ms();
		if (p[P_SIG].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
				;
			if (!stop_at)
				stop_at = now + STOP_FLUSH_MS;
		}
		if (p[P_LINES].revents & POLLIN)
			source_lines(&a->in, &a->keep->joins, AGENT_FD_LINES);
		if (p[P_SYSLOG].revents & POLLIN)
			source_syslog(&a->in, &a->keep->senders, AGENT_FD_SYSLOG);
		if (p[P_KMSG].revents & POLLIN)
			source_kmsg(&a->in, &a->lost_kmsg, AGENT_FD_KMSG);
		if (stop_at && !lines_stopped++)
			source_lines_stop(&a->in, &a->keep->joins);
		transport_step(&a->tr, p[P_NET].fd >= 0 ? p[P_NET].revents : 0, now);
	}
}

static _Noreturn void usage(void)
{
	fputs("usage: stele-agent [--config FILE] [--bench RECORDS]\n", stderr);
	exit(100);
}

int main(int argc, char **argv)
{
	const char *conf = DEFAULT_CONF;
	unsigned long bench = 0;
	struct transport_ops ops = agent_ship_ops;
	char why[256];
	int from_pid1 = getenv("STELE_AGENT_FDS") != NULL, reset;
	size_t first;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			conf = argv[++i];
		else if (strcmp(argv[i], "--bench") == 0 && i + 1 < argc)
			bench = strtoul(argv[++i], NULL, 10);
		else
			usage();
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	load_conf(&agent, conf);
	identify(&agent);
	if (from_pid1) {
		agent.lines_dropped_path = AGENT_LINES_DROPPED;
		agent.console_dropped_path = AGENT_CONSOLE_DROPPED;
	}
	if (agent_ring_open(&agent, ring_fd(from_pid1), agent.conf.buffer_bytes, &reset) < 0)
		die("cannot map the record buffer: %s", strerror(errno));
	ops.ctx = &agent;
	if (transport_init(&agent.tr, &agent.conf, &ops, time_floor(), why, sizeof why) < 0)
		die("%s", why);
	first = agent_conf_first_collector(&agent.conf, agent.boot_id);
	transport_start_at(&agent.tr, first);
	fprintf(stderr, "agent: started; %llu records kept from before, next seq %llu; "
		"collector %s:%u first (%s)\n",
		(unsigned long long)ring_records(&agent.ring),
		(unsigned long long)ring_next_seq(&agent.ring), agent.conf.collector[first].host,
		agent.conf.collector[first].port,
		agent.conf.order == COLLECTORS_ORDERED ? "ordered" : "spread by boot id");
	if (bench)
		return bench_run(&agent, bench);
	loop(&agent, from_pid1);
}
