#include "bench.h"

#include <poll.h>
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

#include "agent.h"
#include "clock.h"

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

int bench_run(struct agent *a, unsigned long n)
{
	double t0 = seconds(CLOCK_MONOTONIC), c0 = cpu_seconds(), dt, dc;
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
	dt = seconds(CLOCK_MONOTONIC) - t0;
	dc = cpu_seconds() - c0;
	{
		struct rusage ru;

		getrusage(RUSAGE_SELF, &ru);
		printf("agent bench: %lu records (seq %llu-%llu) acknowledged in %.3f s: %.0f records/s, "
		       "%.3f CPU s per 100k records, peak RSS %ld KiB\n", n, (unsigned long long)first,
		       (unsigned long long)(first + n - 1), dt, (double)n / dt, dc / (double)n * 1e5,
		       ru.ru_maxrss);
	}
	return 0;
}
