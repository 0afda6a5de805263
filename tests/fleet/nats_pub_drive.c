/* nats_pub_drive: collector/nats_pub.c against a real server, the way
 * the collector will use it: records shaped like stele's (the bench's:
 * subject stele.log.benchhost, a JSON line of about 200 bytes, the four
 * headers of DESIGN §7), seq --from to --from + --records - 1, at most
 * --inflight unanswered, each until JetStream has stored it. A failure
 * answer is sent again after RETRY_MS, an answer later than ACK_WAIT_MS
 * is taken as lost, and so is everything unanswered when the connection
 * is lost (all sent again with the same Nats-Msg-Id).
 * stdout: one line of figures, one line "result key=value ...".
 * stderr: the publisher's log lines, "progress N" every --progress
 * records stored. Exit 0 when every record is stored, 1 if not within
 * --timeout-s, 100 usage, 111 system error. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "clock.h"
#include "nats_pub.h"

#define SUBJECT "stele.log.benchhost"
#define HOST "benchhost"
#define ACK_WAIT_MS 5000
#define RETRY_MS 250
#define SWEEP_MS 250

enum { TODO, FLIGHT, QUEUED, DONE };

struct rec {
	uint64_t sent_at, ready_at;
	uint8_t state;
};

static struct {
	const char *url, *boot;
	uint64_t from, n, progress;
	unsigned inflight, timeout_s;
} o = { .from = 1, .n = 100000, .inflight = 4096, .timeout_s = 120 };

static struct {
	struct rec *rec;
	uint64_t *ring;			/* records to send again, in order */
	uint64_t ring_head, ring_len;
	uint64_t next_new, inflight, done;
	uint64_t stored, dups, failed, lost, reconnects, timeouts, resent, late, unknown;
	char first_failure[NATS_WHY_MAX + 32];
} st;

static void usage(void)
{
	fprintf(stderr, "usage: nats_pub_drive --url nats://H:P[,...] [--records N] [--from SEQ]\n"
		"  [--inflight M] [--boot ID] [--progress K] [--timeout-s T]\n");
	exit(100);
}

static double cpu(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return 0;
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void requeue(uint64_t i, uint64_t now)
{
	st.rec[i].state = QUEUED;
	st.rec[i].ready_at = now + RETRY_MS;
	st.ring[(st.ring_head + st.ring_len++) % o.n] = i;
}

static void on_ack(void *arg, const struct nats_pub_ack *a)
{
	uint64_t i = a->token - o.from;
	struct rec *r;

	(void)arg;
	if (a->token < o.from || i >= o.n) {
		st.unknown++;
		return;
	}
	r = &st.rec[i];
	if (r->state == DONE || r->state == TODO) {
		st.late++;
		return;
	}
	if (a->outcome == NATS_ACK_STORED || a->outcome == NATS_ACK_DUPLICATE) {
		st.inflight -= r->state == FLIGHT;
		r->state = DONE;	/* if QUEUED, its ring entry is skipped */
		st.done++;
		st.stored += a->outcome == NATS_ACK_STORED;
		st.dups += a->outcome == NATS_ACK_DUPLICATE;
		if (o.progress && st.done % o.progress == 0)
			fprintf(stderr, "nats-pub-drive: progress %" PRIu64 "\n", st.done);
		return;
	}
	if (!st.failed++)
		snprintf(st.first_failure, sizeof st.first_failure, "seq %" PRIu64 ": %s", a->token, a->why);
	if (r->state == FLIGHT) {
		st.inflight--;
		requeue(i, clock_ms());
	}
}

static void on_conn(void *arg, int up, const char *why)
{
	uint64_t now = clock_ms();

	(void)arg;
	(void)why;
	if (up) {
		st.reconnects++;
		return;
	}
	st.lost++;
	for (uint64_t i = 0; i < o.n; i++)
		if (st.rec[i].state == FLIGHT)
			requeue(i, now);
	st.inflight = 0;
}

/* The next record to send: one to send again first (none new while one
 * waits, so that a stream without a leader sees --inflight records
 * tried again, not every record), else a new one. */
static int64_t next_rec(uint64_t now)
{
	while (st.ring_len && st.rec[st.ring[st.ring_head]].state == DONE) {
		st.ring_head = (st.ring_head + 1) % o.n;
		st.ring_len--;
	}
	if (st.ring_len)
		return st.rec[st.ring[st.ring_head]].ready_at <= now ? (int64_t)st.ring[st.ring_head] : -1;
	return st.next_new < o.n ? (int64_t)st.next_new : -1;
}

static int send_one(struct nats_pub *p, uint64_t i, uint64_t now)
{
	char data[320], id[96], seqs[24];
	uint64_t seq = o.from + i;
	struct nats_header h[4] = {
		{ "Nats-Msg-Id", id }, { "Stele-Host", HOST }, { "Stele-Boot", o.boot }, { "Stele-Seq", seqs },
	};
	int n = snprintf(data, sizeof data,
			 "{\"host\":\"" HOST "\",\"boot_id\":\"%s\",\"seq\":%" PRIu64 ",\"kind\":\"log\","
			 "\"t\":1767225600.%06" PRIu64 ",\"stream\":\"stdout\",\"app\":\"ticker\",\"pid\":412,"
			 "\"msg\":\"tick %" PRIu64 " the quick brown fox jumps over the lazy dog\"}",
			 o.boot, seq, seq % 1000000, seq);
	int rc;

	snprintf(id, sizeof id, "%s:%" PRIu64, o.boot, seq);
	snprintf(seqs, sizeof seqs, "%" PRIu64, seq);
	rc = nats_pub_send(p, SUBJECT, h, 4, data, (size_t)n, seq);
	if (rc == -2) {
		fprintf(stderr, "nats-pub-drive: record %" PRIu64 " can never be sent\n", seq);
		exit(111);
	}
	if (rc < 0)
		return -1;
	if (st.rec[i].state == QUEUED) {
		st.ring_head = (st.ring_head + 1) % o.n;
		st.ring_len--;
		st.resent++;
	} else {
		st.next_new++;
	}
	st.rec[i] = (struct rec){ .sent_at = now, .state = FLIGHT };
	st.inflight++;
	return 0;
}

static void fill(struct nats_pub *p, uint64_t now)
{
	int64_t i;

	while (st.inflight < o.inflight && nats_pub_up(p) && (i = next_rec(now)) >= 0)
		if (send_one(p, (uint64_t)i, now) < 0)
			return;
}

/* Answers that never came: the connection may live, the publish not. */
static void sweep(uint64_t now)
{
	for (uint64_t i = 0; i < o.n; i++)
		if (st.rec[i].state == FLIGHT && now - st.rec[i].sent_at > ACK_WAIT_MS) {
			st.inflight--;
			st.timeouts++;
			requeue(i, now);
		}
}

static void parse(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[++i] : NULL;

		if (!v)
			usage();
		if (!strcmp(a, "--url"))
			o.url = v;
		else if (!strcmp(a, "--boot"))
			o.boot = v;
		else if (!strcmp(a, "--records"))
			o.n = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--from"))
			o.from = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--inflight"))
			o.inflight = (unsigned)strtoul(v, NULL, 10);
		else if (!strcmp(a, "--progress"))
			o.progress = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--timeout-s"))
			o.timeout_s = (unsigned)strtoul(v, NULL, 10);
		else
			usage();
	}
	if (!o.url || !o.boot || o.n == 0 || o.inflight == 0 || o.from == 0)
		usage();
}

static void report(const struct nats_pub *p, double secs, double used)
{
	printf("nats-pub-drive: %" PRIu64 " records in %.2f s = %.0f rec/s, CPU %.2f s (%.3f per 100k), "
	       "%u in flight, %" PRIu64 " bytes written\n", o.n, secs, (double)o.n / secs, used,
	       used * 1e5 / (double)o.n, o.inflight, p->stats.bytes_out);
	printf("result done=%" PRIu64 " stored=%" PRIu64 " duplicate=%" PRIu64 " failed=%" PRIu64
	       " lost=%" PRIu64 " reconnects=%" PRIu64 " timeouts=%" PRIu64 " resent=%" PRIu64
	       " late=%" PRIu64 " unknown=%" PRIu64 " cpu=%.3f secs=%.3f\n", st.done, st.stored,
	       st.dups, st.failed, st.lost, st.reconnects, st.timeouts, st.resent, st.late, st.unknown,
	       used, secs);
	if (st.failed)
		printf("first failure: %s\n", st.first_failure);
}

int main(int argc, char **argv)
{
	static struct nats_pub p;
	char why[1024];
	uint64_t t0, deadline, next_sweep;
	double c0;

	parse(argc, argv);
	st.rec = calloc(o.n, sizeof *st.rec);
	st.ring = calloc(o.n, sizeof *st.ring);
	if (!st.rec || !st.ring) {
		fprintf(stderr, "nats-pub-drive: out of memory\n");
		return 111;
	}
	if (nats_pub_open(&p, o.url, "stele-nats-pub-drive", on_ack, on_conn, NULL, why, sizeof why) < 0) {
		fprintf(stderr, "nats-pub-drive: %s\n", why);
		return 111;
	}
	t0 = clock_ms();
	c0 = cpu();
	deadline = t0 + o.timeout_s * 1000ull;
	next_sweep = t0 + SWEEP_MS;
	while (st.done < o.n && clock_ms() < deadline) {
		uint64_t now = clock_ms();
		struct pollfd pfd;
		int timeout = SWEEP_MS;

		fill(&p, now);
		nats_pub_pollfd(&p, &pfd, now, &timeout);
		if (poll(&pfd, 1, timeout) < 0 && errno != EINTR) {
			perror("nats-pub-drive: poll");
			return 111;
		}
		now = clock_ms();
		nats_pub_handle(&p, pfd.revents, now);
		if (now >= next_sweep) {
			sweep(now);
			next_sweep = now + SWEEP_MS;
		}
	}
	report(&p, (double)(clock_ms() - t0) / 1000, cpu() - c0);
	nats_pub_close(&p);
	return st.done == o.n ? 0 : 1;
}
