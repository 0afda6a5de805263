/* stele-agent-bench [--config FILE] RECORDS: ships RECORDS generated log
 * records of about 100 bytes through the agent's real ring and transport,
 * waits until the collector has acknowledged all of them, and prints the
 * rate and CPU time. For make bench only: a program of its own, so that
 * the guest's stele-agent carries none of it. Set up as the agent is
 * (agent_setup), run by hand (its own ring). */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "agent.h"
#include "clock.h"

#define DEFAULT_CONF "/etc/stele/agent.conf"
#define BENCH_TIMEOUT_S 120

static double seconds(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* A service line of about 100 bytes, as a record. */
static void generate(struct agent *a, unsigned long i)
{
	static unsigned char buf[512];
	char msg[128];
	int len = snprintf(msg, sizeof msg,
			   "GET /api/v1/items/%08lu 200 1532 bytes in 0.0042 s from 10.0.2.2 (bench line)", i);
	struct log_fields f = { .sev = 6, .fac = 3, .t_ns = -1, .app = "bench", .app_len = 5,
				.pid = 1234, .uid = -1, .msg = msg, .msg_len = (size_t)len };

	intake_push(&a->in, buf, record_log(buf, sizeof buf, intake_seq(&a->in), a->in.now_ns(),
					    "service", &f, "out"), 0);
}

/* n records from seq first acknowledged in dt s, with dc s of CPU. */
static void report(unsigned long n, uint64_t first, double dt, double dc)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	printf("agent bench: %lu records (seq %llu-%llu) acknowledged in %.3f s: %.0f records/s, "
	       "%.3f CPU s per 100k records, peak RSS %ld KiB\n", n, (unsigned long long)first,
	       (unsigned long long)(first + n - 1), dt, (double)n / dt, dc / (double)n * 1e5,
	       ru.ru_maxrss);
}

static int run(struct agent *a, unsigned long n)
{
	double t0 = seconds(CLOCK_MONOTONIC), c0 = cpu_seconds();
	unsigned long made = 0;
	uint64_t first = ring_next_seq(&a->ring);

	while (made < n || ring_records(&a->ring) > 0) {
		struct pollfd p = { .fd = -1 };
		uint64_t now = clock_ms(), next = now + 1000;

		/* Keep the buffer half full at most: nothing is dropped. */
		while (made < n && ring_bytes(&a->ring) < a->ring.size / 2)
			generate(a, made++);
		if (seconds(CLOCK_MONOTONIC) - t0 > BENCH_TIMEOUT_S) {
			fprintf(stderr, "bench: timed out with %llu records unacknowledged\n",
				(unsigned long long)ring_records(&a->ring));
			return 1;
		}
		transport_step(&a->tr, 0, now);
		transport_poll(&a->tr, &p, now, &next);
		poll(&p, 1, next > now ? (int)(next - now) : 0);
		transport_step(&a->tr, p.fd >= 0 ? p.revents : 0, clock_ms());
	}
	report(n, first, seconds(CLOCK_MONOTONIC) - t0, cpu_seconds() - c0);
	return 0;
}

static struct agent agent;

static _Noreturn void usage(void)
{
	fputs("usage: stele-agent-bench [--config FILE] RECORDS\n", stderr);
	exit(100);
}

int main(int argc, char **argv)
{
	const char *conf = DEFAULT_CONF, *records = NULL;
	char *end = NULL;
	unsigned long n;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			conf = argv[++i];
		else if (!records)
			records = argv[i];
		else
			usage();
	}
	n = records ? strtoul(records, &end, 10) : 0;
	if (n == 0 || *end != '\0')
		usage();
	setvbuf(stderr, NULL, _IOLBF, 0);
	agent_setup(&agent, conf, 0);
	return run(&agent, n);
}
