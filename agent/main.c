/* stele-agent: ships the machine's logs and metrics to a collector.
 * Setup may fail (bad config, unreadable key: exit 111, PID 1 restarts
 * it); the loop never dies. On SIGTERM it stops reading its sources and
 * sends what it holds, for at most STOP_FLUSH_MS. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "agent.h"
#include "clock.h"
#include "sources.h"
#include "svc_line.h"

#define DEFAULT_CONF "/etc/stele/agent.conf"
#define STOP_FLUSH_MS 5000

static struct agent agent;

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
	int lines_stopped = 0, lines_closed = 0;

	if (sources)
		sources_start(AGENT_FD_LINES, AGENT_FD_SYSLOG);

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
			if (i == P_LINES && lines_closed)
				p[i].fd = -1;
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
		if ((p[P_LINES].revents & POLLIN) &&
		    source_lines(&a->in, &a->keep->joins, AGENT_FD_LINES) < 0 && !lines_closed++)
			fputs("agent: PID 1 closed the line socket: no more service lines\n", stderr);
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
	fputs("usage: stele-agent [--config FILE]\n", stderr);
	exit(100);
}

int main(int argc, char **argv)
{
	const char *conf = DEFAULT_CONF;
	int from_pid1 = getenv("STELE_AGENT_FDS") != NULL;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			conf = argv[++i];
		else
			usage();
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	agent_setup(&agent, conf, from_pid1);
	loop(&agent, from_pid1);
}
