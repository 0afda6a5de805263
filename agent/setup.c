/* The agent's setup, for stele-agent and its benchmark: configuration,
 * identity, the ring, the transport. Here the agent may still die (exit
 * 111, and PID 1 restarts it); from the loop on it must not. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent.h"
#include "svc_line.h"

#define CRED_COLLECTOR "/run/stele/credentials/stele.collector"

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

/* boot_id and the root hash name this boot for the collector; the
 * image's version and PCRs, the image. */
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
	image_id_read(&a->image, "");
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

void agent_setup(struct agent *a, const char *conf, int from_pid1)
{
	struct transport_ops ops = agent_ship_ops;
	char why[256];
	int reset;
	size_t first;

	load_conf(a, conf);
	identify(a);
	if (from_pid1) {
		a->lines_dropped_path = AGENT_LINES_DROPPED;
		a->console_dropped_path = AGENT_CONSOLE_DROPPED;
	}
	if (agent_ring_open(a, ring_fd(from_pid1), a->conf.buffer_bytes, &reset) < 0)
		die("cannot map the record buffer: %s", strerror(errno));
	ops.ctx = a;
	if (transport_init(&a->tr, &a->conf, &ops, time_floor(), why, sizeof why) < 0)
		die("%s", why);
	first = agent_conf_first_collector(&a->conf, a->boot_id);
	transport_start_at(&a->tr, first);
	fprintf(stderr, "agent: started; %llu records kept from before, next seq %llu; "
		"collector %s:%u first (%s)\n",
		(unsigned long long)ring_records(&a->ring),
		(unsigned long long)ring_next_seq(&a->ring), a->conf.collector[first].host,
		a->conf.collector[first].port,
		a->conf.order == COLLECTORS_ORDERED ? "ordered" : "spread by boot id");
}
