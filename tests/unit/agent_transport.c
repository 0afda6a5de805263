/* The transport against the real collector, over TLS between processes on
 * 127.0.0.1: a hello and N log records go out and every one is
 * acknowledged, after failing over from a collector that refuses the
 * connection; a collector whose certificate comes from another CA is
 * refused with one "bad certificate" line and gets nothing; an agent
 * certificate from another CA gets nothing through either.
 * Needs build/pki (make pki) and build/collector; says "skipped" without. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "transport.h"

#define N_RECORDS 200
#define RECORD_MAX 160
#define BIG_SEQ 50			/* this one is larger than the TLS buffer */
#define BIG_MSG 40000

static char build[PATH_MAX / 2], scratch[64];

/* The agent's side of the protocol, reduced to a queue of ready items. */
struct queue {
	unsigned char hello[128];
	size_t hello_len;
	unsigned char rec[N_RECORDS][RECORD_MAX];
	unsigned char big[BIG_MSG + RECORD_MAX];
	const unsigned char *item[N_RECORDS];
	size_t rec_len[N_RECORDS];
	int hello_pending;
	size_t next;			/* index of the next record to send */
	size_t limit;			/* records the agent has so far */
	uint64_t acked;			/* highest seq acknowledged */
	unsigned connected, disconnected, sent, bad_acks;
	char collector[64];
};

static unsigned char *cbor_head(unsigned char *p, unsigned major, uint64_t v)
{
	if (v < 24) {
		*p++ = (unsigned char)(major << 5 | v);
	} else if (v < 256) {
		*p++ = (unsigned char)(major << 5 | 24);
		*p++ = (unsigned char)v;
	} else if (v < 65536) {
		*p++ = (unsigned char)(major << 5 | 25);
		*p++ = (unsigned char)(v >> 8);
		*p++ = (unsigned char)v;
	} else {
		*p++ = (unsigned char)(major << 5 | 27);
		for (int i = 7; i >= 0; i--)
			*p++ = (unsigned char)(v >> (8 * i));
	}
	return p;
}

static unsigned char *cbor_text_n(unsigned char *p, const char *s, size_t n)
{

	p = cbor_head(p, 3, n);
	memcpy(p, s, n);
	return p + n;
}

static unsigned char *cbor_text(unsigned char *p, const char *s)
{
	return cbor_text_n(p, s, strlen(s));
}

static unsigned char *cbor_pair_text(unsigned char *p, const char *k, const char *v)
{
	return cbor_text(cbor_text(p, k), v);
}

static unsigned char *cbor_pair_uint(unsigned char *p, const char *k, uint64_t v)
{
	return cbor_head(cbor_text(p, k), 0, v);
}

/* The boot the hello names: a test that must not meet the records an
 * earlier one left in the collector takes its own. */
static const char *hello_boot = "b";

static void queue_fill(struct queue *q)
{
	unsigned char *p = q->hello;
	struct timespec ts;

	memset(q, 0, sizeof *q);
	p = cbor_head(p, 5, 5);
	p = cbor_pair_uint(p, "v", 1);
	p = cbor_pair_text(p, "host", "h");
	p = cbor_pair_text(p, "boot_id", hello_boot);
	p = cbor_pair_text(p, "agent", "test");
	p = cbor_pair_text(p, "roothash", "00");
	q->hello_len = (size_t)(p - q->hello);
	clock_gettime(CLOCK_REALTIME, &ts);
	q->limit = N_RECORDS;
	for (unsigned i = 0; i < N_RECORDS; i++) {
		static char msg[BIG_MSG];
		size_t len = (size_t)snprintf(msg, sizeof msg, "line %u", i + 1);

		if (i + 1 == BIG_SEQ) {
			memset(msg + len, 'x', sizeof msg - len);
			len = sizeof msg;
		}
		q->item[i] = i + 1 == BIG_SEQ ? q->big : q->rec[i];
		p = cbor_head((unsigned char *)q->item[i], 5, 9);
		p = cbor_pair_uint(p, "seq", i + 1);
		p = cbor_pair_uint(p, "t", (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + i);
		p = cbor_pair_text(p, "kind", "log");
		p = cbor_pair_text(p, "src", "service");
		p = cbor_pair_text(p, "app", "t");
		p = cbor_pair_uint(p, "pid", 1);
		p = cbor_pair_uint(p, "sev", 6);
		p = cbor_pair_uint(p, "fac", 1);
		p = cbor_text_n(cbor_text(p, "msg"), msg, len);
		q->rec_len[i] = (size_t)(p - q->item[i]);
	}
}

static void on_connected(void *ctx, const char *collector)
{
	struct queue *q = ctx;

	q->connected++;
	snprintf(q->collector, sizeof q->collector, "%s", collector);
	q->hello_pending = 1;
	q->next = q->acked;		/* seq acked+1 is at index acked */
}

static void on_disconnected(void *ctx)
{
	((struct queue *)ctx)->disconnected++;
}

static size_t on_next_item(void *ctx, const unsigned char **item)
{
	struct queue *q = ctx;

	if (q->hello_pending) {
		*item = q->hello;
		return q->hello_len;
	}
	if (q->next == q->limit)
		return 0;
	*item = q->item[q->next];
	return q->rec_len[q->next];
}

static void on_sent(void *ctx)
{
	struct queue *q = ctx;

	q->sent++;
	if (q->hello_pending)
		q->hello_pending = 0;
	else
		q->next++;
}

static void on_acked(void *ctx, uint64_t seq)
{
	struct queue *q = ctx;

	if (seq > q->limit || seq > q->next)
		q->bad_acks++;
	else if (seq > q->acked)
		q->acked = seq;
}

static const struct transport_ops queue_ops = {
	.connected = on_connected, .disconnected = on_disconnected,
	.next_item = on_next_item, .sent = on_sent, .acked = on_acked,
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The agent's poll loop, until done(q, t) or the time is up. */
static void run(struct transport *t, struct queue *q, unsigned ms,
		int (*done)(const struct queue *, const struct transport *))
{
	uint64_t end = now_ms() + ms;

	while (!done(q, t) && now_ms() < end) {
		uint64_t now = now_ms(), next = now + 1000;
		struct pollfd pfd;
		int n = transport_poll(t, &pfd, now, &next);

		if (poll(&pfd, (nfds_t)n, next > now ? (int)(next - now) : 0) < 0 && errno != EINTR)
			break;
		transport_step(t, n ? pfd.revents : 0, now_ms());
	}
}

static int all_acked(const struct queue *q, const struct transport *t)
{
	(void)t;
	return q->acked == q->limit;
}

static int disconnected(const struct queue *q, const struct transport *t)
{
	(void)t;
	return q->disconnected > 0;
}

static int failed_once(const struct queue *q, const struct transport *t)
{
	(void)q;
	return t->reconnects >= 1;
}

static uint16_t free_port(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len)) {
		perror("free_port");
		exit(111);
	}
	close(fd);
	return ntohs(sa.sin_port);
}

/* Whether something listens on 127.0.0.1:port, from /proc/net/tcp (a test
 * connection would show up in the collector as a failed handshake). */
static int listening(uint16_t port)
{
	char line[256], want[32];
	FILE *f = fopen("/proc/net/tcp", "r");
	int found = 0;

	if (!f)
		return 0;
	snprintf(want, sizeof want, "0100007F:%04X 00000000:0000 0A", port);
	while (!found && fgets(line, sizeof line, f))
		found = strstr(line, want) != NULL;
	fclose(f);
	return found;
}

/* A collector presenting pki's cert_name.crt/.key (its own, or another
 * role's). */
static pid_t collector_start_as(const char *pki, uint16_t port, const char *name,
				const char *cert_name)
{
	char listen[32], ca[PATH_MAX], crt[PATH_MAX], key[PATH_MAX], out[PATH_MAX], log[PATH_MAX];
	char exe[PATH_MAX + 16];
	pid_t pid;

	snprintf(listen, sizeof listen, "127.0.0.1:%u", port);
	snprintf(ca, sizeof ca, "%s/client-ca.crt", pki);
	snprintf(crt, sizeof crt, "%s/%s.crt", pki, cert_name);
	snprintf(key, sizeof key, "%s/%s.key", pki, cert_name);
	snprintf(out, sizeof out, "%s/%s.out", scratch, name);
	snprintf(log, sizeof log, "%s/%s.log", scratch, name);
	snprintf(exe, sizeof exe, "%s/collector", build);
	mkdir(out, 0700);
	pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		/* The hello names this machine, not the certificate's "stele":
		 * identity is tests/collector/identity-from-certificate's. */
		execl(exe, exe, "--listen", listen, "--client-ca", ca, "--cert", crt, "--key", key,
		      "--out", out, "--trust-hello-host", (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 500 && !listening(port); i++) {
		if (waitpid(pid, NULL, WNOHANG) == pid) {
			fprintf(stderr, "collector exited early; its log, %s:\n", log);
			snprintf(exe, sizeof exe, "cat %s >&2", log);
			if (system(exe))
				break;
			return -1;
		}
		usleep(10000);
	}
	return pid;
}

static pid_t collector_start(const char *pki, uint16_t port, const char *name)
{
	return collector_start_as(pki, port, name, "collector");
}

static void collector_stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
	}
}

static void conf_set(struct agent_conf *c, const char *ca_dir, const char *agent_dir)
{
	memset(c, 0, sizeof *c);
	c->interval_s = 10;
	c->buffer_bytes = 1 << 20;
	snprintf(c->ca, sizeof c->ca, "%s/server-ca.crt", ca_dir);
	snprintf(c->cert, sizeof c->cert, "%s/agent.crt", agent_dir);
	snprintf(c->key, sizeof c->key, "%s/agent.key", agent_dir);
}

static void conf_add(struct agent_conf *c, uint16_t port, const char *name)
{
	struct host_port *a = &c->collector[c->n_collectors++];

	snprintf(a->host, sizeof a->host, "127.0.0.1");
	a->port = port;
	snprintf(a->name, sizeof a->name, "%s", name);
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static struct transport t;		/* large: the TLS buffers and PKI stores */
static struct agent_conf conf;
static struct queue q;

/* transport_init for conf, with the queue q behind it. */
static int start(uint64_t time_floor_s)
{
	struct transport_ops ops = queue_ops;
	char why[256];

	queue_fill(&q);
	ops.ctx = &q;
	if (!CHECK_INT(0, transport_init(&t, &conf, &ops, time_floor_s, why, sizeof why))) {
		check_print_str("why", why);
		return -1;
	}
	return 0;
}

/* Runs the loop until done with stderr going to a file, and returns what
 * the transport logged (also shown in the test's output). */
static void run_logged(char *log, size_t cap, unsigned ms,
		       int (*done)(const struct queue *, const struct transport *))
{
	char path[PATH_MAX];
	int saved = dup(2), fd;
	ssize_t n;

	snprintf(path, sizeof path, "%s/stderr", scratch);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	run(&t, &q, ms, done);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, log, cap - 1, 0);
	log[n > 0 ? n : 0] = '\0';
	close(fd);
	fprintf(stderr, "%s", log);
}

/* Failover from a refused port, then half the records delivered and
 * acked; the collector restarts, the transport goes back to the first
 * collector, fails over again, and the rest arrive. */
static void test_delivery(const char *pki, uint16_t port, pid_t *collector)
{
	uint16_t dead = free_port();
	char log[4096], want[128];

	conf_set(&conf, pki, pki);
	conf_add(&conf, dead, "localhost");
	conf_add(&conf, port, "localhost");
	if (start(0))
		return;
	q.limit = N_RECORDS / 2;
	run_logged(log, sizeof log, 30000, all_acked);
	snprintf(want, sizeof want, "collector 127.0.0.1:%u: connect: Connection refused\n", dead);
	CHECK_STR(want, log);
	CHECK_INT(1, t.reconnects);
	CHECK_INT(1, q.connected);
	snprintf(want, sizeof want, "127.0.0.1:%u", port);
	CHECK_STR(want, q.collector);
	CHECK(transport_connected(&t));
	CHECK_INT(N_RECORDS / 2, q.acked);
	CHECK_INT(N_RECORDS / 2 + 1, q.sent);
	CHECK(t.bytes_sent > BIG_MSG);

	collector_stop(*collector);
	run_logged(log, sizeof log, 10000, disconnected);
	snprintf(want, sizeof want, "collector 127.0.0.1:%u: closed by peer\n", port);
	CHECK_STR(want, log);
	*collector = collector_start(pki, port, "good");
	q.limit = N_RECORDS;
	run_logged(log, sizeof log, 30000, all_acked);
	snprintf(want, sizeof want, "collector 127.0.0.1:%u: connect: Connection refused\n", dead);
	CHECK_STR(want, log);
	CHECK_INT(3, t.reconnects);
	CHECK_INT(2, q.connected);
	CHECK_INT(1, q.disconnected);
	CHECK(transport_connected(&t));
	CHECK_INT(N_RECORDS, q.acked);
	CHECK_INT(N_RECORDS + 2, q.sent);	/* nothing acked was sent again */
	CHECK_INT(0, q.bad_acks);
	transport_close(&t);
	CHECK(!transport_connected(&t));
	CHECK_INT(2, q.disconnected);
}

/* Started at the second collector (a spread boot's pick), the transport
 * goes there first, and back there, not to the first in the list, when
 * its connection ends: the dead first collector is never tried. */
static void test_start_at(const char *pki, uint16_t port, pid_t *collector)
{
	uint16_t dead = free_port();
	char log[4096], want[128];

	conf_set(&conf, pki, pki);
	conf_add(&conf, dead, "localhost");
	conf_add(&conf, port, "localhost");
	hello_boot = "start-at";
	if (start(0))
		return;
	transport_start_at(&t, 1);
	q.limit = N_RECORDS / 2;
	run_logged(log, sizeof log, 30000, all_acked);
	CHECK_STR("", log);
	CHECK_INT(0, t.reconnects);
	CHECK_INT(N_RECORDS / 2, q.acked);

	collector_stop(*collector);
	run_logged(log, sizeof log, 10000, disconnected);
	*collector = collector_start(pki, port, "good");
	q.limit = N_RECORDS;
	run_logged(log, sizeof log, 30000, all_acked);
	CHECK(strstr(log, "connect: Connection refused") == NULL);
	CHECK_INT(2, q.connected);
	CHECK_INT(N_RECORDS, q.acked);
	snprintf(want, sizeof want, "127.0.0.1:%u", port);
	CHECK_STR(want, q.collector);
	transport_close(&t);
	hello_boot = "b";
}

/* The clock used for certificates is max(now, floor): a floor in 2100
 * makes the collector's ten-year certificate expired. */
static void test_time_floor(const char *pki, uint16_t port)
{
	char log[4096], want[160];

	conf_set(&conf, pki, pki);
	conf_add(&conf, port, "collector");
	if (start(4102444800u))
		return;
	run_logged(log, sizeof log, 15000, failed_once);
	snprintf(want, sizeof want, "collector 127.0.0.1:%u: TLS handshake failed: bad certificate: "
		 "expired or not yet valid (BR_ERR_X509_EXPIRED)\n", port);
	CHECK_STR(want, log);
	CHECK_INT(0, q.connected);
	transport_close(&t);
}

/* The server name must be in the collector's certificate. */
static void test_server_name(const char *pki, uint16_t port)
{
	char log[4096], want[160];

	conf_set(&conf, pki, pki);
	conf_add(&conf, port, "logs.example");
	if (start(0))
		return;
	run_logged(log, sizeof log, 15000, failed_once);
	snprintf(want, sizeof want, "collector 127.0.0.1:%u: TLS handshake failed: bad certificate: "
		 "does not name 'logs.example' (BR_ERR_X509_BAD_SERVER_NAME)\n", port);
	CHECK_STR(want, log);
	CHECK_INT(0, q.connected);
	transport_close(&t);
}

/* The collector's certificate is from another CA: refused, one line. */
static void test_wrong_server_ca(const char *pki, uint16_t other_port)
{
	char log[4096], want[160];

	conf_set(&conf, pki, pki);
	conf_add(&conf, other_port, "collector");
	if (start(0))
		return;
	run_logged(log, sizeof log, 15000, failed_once);
	snprintf(want, sizeof want, "collector 127.0.0.1:%u: TLS handshake failed: bad certificate: "
		 "not signed by the CA (BR_ERR_X509_NOT_TRUSTED)\n", other_port);
	CHECK_STR(want, log);
	CHECK_INT(0, q.connected);
	CHECK_INT(0, q.sent);
	CHECK_INT(0, q.acked);
	CHECK(!transport_connected(&t));
	transport_close(&t);
}

/* The agent's certificate is from another CA: the collector refuses it
 * during the handshake, and not one record is acknowledged. */
static void test_wrong_client_ca(const char *pki, const char *other, uint16_t port)
{
	char log[4096], want[64];

	conf_set(&conf, pki, other);
	conf_add(&conf, port, "collector");
	if (start(0))
		return;
	run_logged(log, sizeof log, 15000, failed_once);
	snprintf(want, sizeof want, "collector 127.0.0.1:%u: TLS handshake failed: ", port);
	CHECK_HAS(log, want);
	/* The collector's alert names the cause. */
	CHECK_HAS(log, "collector sent alert unknown_ca: this agent's certificate is not signed "
		       "by its client CA");
	CHECK_INT(1, count_lines(log));
	CHECK_INT(0, q.acked);
	transport_close(&t);
}

/* A "collector" presenting an agent's certificate (the client CA's, with
 * the name the agent asks for) is refused: the agent trusts only the
 * server CA, since BearSSL's X.509 engine does not look at extended key
 * usage. */
static void test_agent_cert_as_collector(const char *pki, uint16_t port)
{
	char log[4096], want[64];

	conf_set(&conf, pki, pki);
	conf_add(&conf, port, "stele");	/* what agent.crt names */
	if (start(0))
		return;
	run_logged(log, sizeof log, 15000, failed_once);
	snprintf(want, sizeof want, "collector 127.0.0.1:%u: TLS handshake failed: ", port);
	CHECK_HAS(log, want);
	CHECK_HAS(log, "BR_ERR_X509_NOT_TRUSTED");
	CHECK_INT(0, q.acked);
	transport_close(&t);
}

static void test_init_errors(const char *pki)
{
	struct transport_ops ops = queue_ops;
	char why[256];

	conf_set(&conf, pki, pki);
	CHECK_INT(-1, transport_init(&t, &conf, &ops, 0, why, sizeof why));
	CHECK_HAS(why, "no collector");
	conf_set(&conf, "/nonexistent", pki);
	conf_add(&conf, 1, "collector");
	CHECK_INT(-1, transport_init(&t, &conf, &ops, 0, why, sizeof why));
	CHECK_HAS(why, "/nonexistent/server-ca.crt");
}

static int make_other_pki(char *other, size_t cap)
{
	char cmd[3 * PATH_MAX];
	const char *tries[] = { "image/make-pki", NULL };
	char top_tool[PATH_MAX + 32];

	snprintf(other, cap, "%s/other-pki", scratch);
	snprintf(top_tool, sizeof top_tool, "%s/../image/make-pki", build);
	tries[1] = top_tool;
	for (size_t i = 0; i < 2; i++) {
		if (access(tries[i], X_OK) != 0)
			continue;
		snprintf(cmd, sizeof cmd, "%s %s >/dev/null", tries[i], other);
		return system(cmd) == 0 ? 0 : -1;
	}
	return -1;
}

int main(int argc, char **argv)
{
	char exe[PATH_MAX], pki[PATH_MAX + 8], probe[PATH_MAX + 32], other[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;
	uint16_t port, other_port;
	pid_t good, bad = -1;

	(void)argc;
	(void)argv;
	signal(SIGPIPE, SIG_IGN);
	/* The binary is BUILD/tests/agent_transport. */
	if (n <= 0)
		return 111;
	exe[n] = '\0';
	for (int i = 0; i < 2 && (slash = strrchr(exe, '/')); i++)
		*slash = '\0';
	if (strlen(exe) >= sizeof build)
		return 111;
	memcpy(build, exe, strlen(exe) + 1);
	snprintf(pki, sizeof pki, "%s/pki", build);
	snprintf(probe, sizeof probe, "%s/collector", build);
	if (access(probe, X_OK) != 0) {
		fprintf(stderr, "agent_transport: FAIL: no %s (make builds it first)\n", probe);
		return 1;
	}
	snprintf(probe, sizeof probe, "%s/agent.key", pki);
	if (access(probe, R_OK) != 0) {
		fprintf(stderr, "agent_transport: FAIL: no %s (make pki)\n", probe);
		return 1;
	}
	snprintf(scratch, sizeof scratch, "/tmp/agent_transport.XXXXXX");
	if (!mkdtemp(scratch))
		return 111;

	test_init_errors(pki);
	port = free_port();
	good = collector_start(pki, port, "good");
	if (CHECK(good > 0))
		test_delivery(pki, port, &good);
	if (good > 0)
		test_start_at(pki, port, &good);
	if (good > 0) {
		test_time_floor(pki, port);
		test_server_name(pki, port);
	}
	if (make_other_pki(other, sizeof other) == 0) {
		other_port = free_port();
		bad = collector_start(other, other_port, "other-ca");
		if (CHECK(bad > 0))
			test_wrong_server_ca(pki, other_port);
		if (good > 0)
			test_wrong_client_ca(pki, other, port);
	} else {
		check_skip("image/make-pki OTHERDIR failed: no wrong-CA tests");
	}
	other_port = free_port();
	collector_stop(bad);
	bad = collector_start_as(pki, other_port, "agent-cert", "agent");
	if (CHECK(bad > 0))
		test_agent_cert_as_collector(pki, other_port);
	collector_stop(good);
	collector_stop(bad);

	if (check_failed) {
		snprintf(probe, sizeof probe, "tail -n 20 %s/*.log >&2", scratch);
		if (system(probe) != 0)
			fprintf(stderr, "no collector logs in %s\n", scratch);
	}
	snprintf(probe, sizeof probe, "rm -rf %s", scratch);
	if (system(probe) != 0)
		fprintf(stderr, "could not remove %s\n", scratch);
	return check_done();
}
