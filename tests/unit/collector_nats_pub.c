/* The publisher against a scripted server (a child process on loopback)
 * for what a real one rarely does: refusing the handshake (-ERR, TLS,
 * no headers, silence), PINGing, answering on subjects not ours, a
 * permissions error that keeps the connection, garbage that ends it,
 * the reconnect after the pause, and a connection gone quiet found dead
 * by its PINGs (time passed in, not waited for). tests/fleet/nats-pub
 * runs it against nats-server. */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "clock.h"
#include "nats_pub.h"

#define INFO_OK "INFO {\"server_name\":\"fake\",\"version\":\"0.0\",\"headers\":true," \
		"\"max_payload\":600} \r\n"

/* ---- the server, in the child: exits 0 if the client did as expected */

struct peer {
	int fd;
	char buf[8192];
	size_t len;
};

static void die(const char *what)
{
	fprintf(stderr, "fake server: %s\n", what);
	_exit(1);
}

static void say(struct peer *c, const char *s)
{
	if (write(c->fd, s, strlen(s)) != (ssize_t)strlen(s))
		die("write");
}

/* The next line (CRLF taken off) into line; -1 at EOF. */
static int line_in(struct peer *c, char *line, size_t cap)
{
	for (;;) {
		char *nl = memmem(c->buf, c->len, "\r\n", 2);
		ssize_t n;

		if (nl) {
			size_t k = (size_t)(nl - c->buf);

			if (k >= cap)
				die("line too long");
			memcpy(line, c->buf, k);
			line[k] = '\0';
			memmove(c->buf, nl + 2, c->len - k - 2);
			c->len -= k + 2;
			return 0;
		}
		if (c->len == sizeof c->buf)
			die("buffer full");
		n = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
		if (n <= 0)
			return -1;
		c->len += (size_t)n;
	}
}

static void expect(struct peer *c, const char *prefix, char *line, size_t cap)
{
	if (line_in(c, line, cap) < 0 || strncmp(line, prefix, strlen(prefix)) != 0) {
		fprintf(stderr, "fake server: wanted %s, got '%s'\n", prefix, line);
		_exit(1);
	}
}

/* The handshake as the client must make it; its inbox into inbox. */
static void welcome(struct peer *c, char *inbox, size_t cap)
{
	char line[1024];

	say(c, INFO_OK);
	expect(c, "CONNECT {", line, sizeof line);
	if (!strstr(line, "\"headers\":true") || !strstr(line, "\"no_responders\":true") ||
	    !strstr(line, "\"verbose\":false") || !strstr(line, "\"name\":\"unit\""))
		die("CONNECT lacks an option");
	expect(c, "SUB _INBOX.", line, sizeof line);
	if (strlen(line) != 4 + 24 + 3 || strcmp(line + 28, "* 1") != 0)
		die("SUB not _INBOX.<16 hex>.* 1");
	snprintf(inbox, cap, "%.24s", line + 4);
	expect(c, "PING", line, sizeof line);
	say(c, "PONG\r\n");
}

/* n bytes more, thrown away. */
static void skip(struct peer *c, size_t n)
{
	while (n) {
		size_t k = c->len < n ? c->len : n;
		ssize_t r;

		memmove(c->buf, c->buf + k, c->len - k);
		c->len -= k;
		n -= k;
		if (n && (r = read(c->fd, c->buf, sizeof c->buf)) <= 0)
			die("HPUB payload");
		if (n)
			c->len = (size_t)r;
	}
}

/* An HPUB: answered by token: 2 a duplicate, the rest stored at 10 x token. */
static void answer(struct peer *c, const char *inbox)
{
	char line[1024], reply[96], msg[256], body[128];
	unsigned hdr, tot, token;

	expect(c, "HPUB stele.log.h ", line, sizeof line);
	if (sscanf(line, "HPUB stele.log.h %95s %u %u", reply, &hdr, &tot) != 3 ||
	    strncmp(reply, inbox, strlen(inbox)) != 0 || sscanf(reply + strlen(inbox), "%u", &token) != 1)
		die("HPUB line");
	skip(c, tot + 2);
	snprintf(body, sizeof body, "{\"stream\":\"STELE\", \"seq\":%u%s}", token * 10,
		 token == 2 ? ",\"duplicate\": true" : "");
	snprintf(msg, sizeof msg, "MSG %s 1  %zu\r\n%s\r\n", reply, strlen(body), body);
	say(c, msg);
}

static struct peer accept_one(int lfd)
{
	struct peer c = { .fd = accept(lfd, NULL, NULL) };

	if (c.fd < 0)
		die("accept");
	return c;
}

static void session(int lfd)
{
	struct peer c = accept_one(lfd), d;
	char inbox[64], line[1024], msg[256];

	welcome(&c, inbox, sizeof inbox);
	for (int i = 0; i < 3; i++)
		answer(&c, inbox);
	say(&c, "PING\r\n");
	expect(&c, "PONG", line, sizeof line);
	say(&c, "MSG _INBOX.someoneelse.1 1 2\r\nhi\r\n");
	snprintf(msg, sizeof msg, "HMSG %s5 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\n", inbox);
	say(&c, msg);
	say(&c, "-ERR 'Permissions Violation for Publish to \"x\"'\r\nPING\r\n");
	expect(&c, "PONG", line, sizeof line);	/* still connected */
	say(&c, "FOO\r\n");
	if (line_in(&c, line, sizeof line) != -1)
		die("the client did not close after garbage");
	close(c.fd);
	d = accept_one(lfd);
	welcome(&d, line, sizeof line);
	if (strcmp(line, inbox) != 0)
		die("another inbox after the reconnect");
	while (line_in(&d, line, sizeof line) == 0)	/* PINGs, unanswered */
		if (strcmp(line, "PING") != 0)
			die("not a PING");
	_exit(0);
}

static void refuse_err(int lfd)
{
	struct peer c = accept_one(lfd);
	char line[1024];

	say(&c, INFO_OK);
	expect(&c, "CONNECT", line, sizeof line);
	say(&c, "-ERR 'Authorization Violation'\r\n");
	_exit(0);
}

static void refuse_tls(int lfd)
{
	struct peer c = accept_one(lfd);

	say(&c, "INFO {\"headers\":true,\"tls_required\":true}\r\n");
	_exit(0);
}

static void refuse_headers(int lfd)
{
	struct peer c = accept_one(lfd);

	say(&c, "INFO {\"headers\":false}\r\n");
	_exit(0);
}

static void silent(int lfd)
{
	struct peer c = accept_one(lfd);
	char line[64];

	line_in(&c, line, sizeof line);	/* until the client gives up */
	_exit(0);
}

/* ---- the client, in the test ---------------------------------------- */

static pid_t child;

static int serve(void (*script)(int), int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(lfd, 4) < 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &len) < 0)
		return -1;
	*port = ntohs(a.sin_port);
	child = fork();
	if (child == 0)
		script(lfd);
	close(lfd);
	return child > 0 ? 0 : -1;
}

static int served_ok(void)
{
	int status = 0;

	if (waitpid(child, &status, 0) != child)
		return 0;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* A port nothing listens on (bound, never listened, closed). */
static int dead_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = 0;

	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static struct {
	struct nats_pub_ack ack[8];
	char why[8][NATS_WHY_MAX];
	int acks, losses, ups;
	char lost_why[256];
} got;

static void on_ack(void *arg, const struct nats_pub_ack *a)
{
	(void)arg;
	if (got.acks < 8) {
		got.ack[got.acks] = *a;
		snprintf(got.why[got.acks], sizeof got.why[0], "%s", a->why);
	}
	got.acks++;
}

static void on_conn(void *arg, int up, const char *why)
{
	(void)arg;
	if (up)
		got.ups++;
	else {
		got.losses++;
		snprintf(got.lost_why, sizeof got.lost_why, "%s", why);
	}
}

/* The loop, until *count reaches want or ms pass. */
static void run(struct nats_pub *p, const int *count, int want, int ms)
{
	uint64_t end = clock_ms() + (uint64_t)ms;

	while (*count < want && clock_ms() < end) {
		struct pollfd pfd;
		int timeout = 50;

		nats_pub_pollfd(p, &pfd, clock_ms(), &timeout);
		if (poll(&pfd, 1, timeout) < 0 && errno != EINTR)
			return;
		nats_pub_handle(p, pfd.revents, clock_ms());
	}
}

static void refused(void (*script)(int), const char *want)
{
	static struct nats_pub p;
	char url[64], why[512];
	int port;

	check_what = want;
	if (!CHECK(serve(script, &port) == 0))
		return;
	snprintf(url, sizeof url, "nats://127.0.0.1:%d", port);
	CHECK_INT(-1, nats_pub_open(&p, url, "unit", on_ack, on_conn, NULL, why, sizeof why));
	CHECK_HAS(why, "no server answered");
	CHECK_HAS(why, want);
	CHECK(served_ok());
	check_what = NULL;
}

static const struct nats_header hdrs[] = { { "Nats-Msg-Id", "b:1" }, { "Stele-Seq", "1" } };

static void sends(struct nats_pub *p)
{
	static char big[600];

	CHECK_INT(-2, nats_pub_send(p, "stele.log.h", hdrs, 2, big, sizeof big, 9));	/* > max_payload */
	CHECK_INT(-2, nats_pub_send(p, "stele log", hdrs, 2, "x", 1, 9));
	for (uint64_t t = 1; t <= 3; t++)
		CHECK_INT(0, nats_pub_send(p, "stele.log.h", hdrs, 2, "{}", 2, t));
	run(p, &got.acks, 3, 3000);
	if (!CHECK(got.acks >= 3))
		return;
	CHECK(got.ack[0].token == 1 && got.ack[0].outcome == NATS_ACK_STORED && got.ack[0].seq == 10);
	CHECK(got.ack[1].token == 2 && got.ack[1].outcome == NATS_ACK_DUPLICATE && got.ack[1].seq == 20);
	CHECK(got.ack[2].token == 3 && got.ack[2].outcome == NATS_ACK_STORED && got.ack[2].seq == 30);
}

static void keepalive(struct nats_pub *p)
{
	uint64_t now = clock_ms();

	nats_pub_handle(p, 0, now + NATS_PUB_PING_MS);
	nats_pub_handle(p, 0, now + 2 * NATS_PUB_PING_MS);
	CHECK_INT(1, got.losses);
	nats_pub_handle(p, 0, now + 3 * NATS_PUB_PING_MS);
	CHECK_INT(2, got.losses);
	CHECK_HAS(got.lost_why, "no PONG to 2 PINGs");
}

static void session_run(void)
{
	static struct nats_pub p;
	char url[128], why[512];
	int port;
	uint64_t t0;

	if (!CHECK(serve(session, &port) == 0))
		return;
	/* The first URL answers nothing: the second is taken. */
	snprintf(url, sizeof url, "nats://127.0.0.1:%d,nats://127.0.0.1:%d", dead_port(), port);
	if (!CHECK_INT(0, nats_pub_open(&p, url, "unit", on_ack, on_conn, NULL, why, sizeof why)))
		return;
	CHECK(nats_pub_up(&p) && p.cur == 1 && p.max_payload == 600);
	CHECK_STR("fake", p.info.server_name);
	sends(&p);
	run(&p, &got.losses, 1, 3000);	/* the 503, the foreign MSG, the -ERR, the garbage */
	CHECK_INT(4, got.acks);	/* not the foreign subject */
	CHECK(got.ack[3].token == 5 && got.ack[3].outcome == NATS_ACK_NO_RESPONDERS);
	CHECK_HAS(got.why[3], "503");
	CHECK_INT(1, got.losses);
	CHECK_HAS(got.lost_why, "protocol error: unknown operation");
	CHECK_INT(-1, nats_pub_send(&p, "stele.log.h", hdrs, 2, "{}", 2, 7));	/* down */
	/* The dead one after 250 ms, then this one after 500 more. */
	t0 = clock_ms();
	run(&p, &got.ups, 1, 5000);
	CHECK_INT(1, got.ups);
	CHECK(clock_ms() - t0 >= 3 * NATS_PUB_BACKOFF_MS - 10);
	CHECK(nats_pub_up(&p));
	keepalive(&p);
	nats_pub_close(&p);
	CHECK(served_ok());
}

static void bad_urls(void)
{
	static const char *const bad[] = {
		"127.0.0.1:4222", "nats://127.0.0.1", "nats://127.0.0.1:0", "nats://127.0.0.1:65536",
		"nats://:4222", "nats://127.0.0.1:1,,nats://127.0.0.1:2", "nats://127.0.0.1:42x",
	};
	static struct nats_pub p;
	char why[256];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		check_what = bad[i];
		CHECK_INT(-1, nats_pub_open(&p, bad[i], "unit", on_ack, on_conn, NULL, why, sizeof why));
		CHECK_HAS(why, "is not nats://HOST:PORT");
	}
	check_what = NULL;
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	bad_urls();
	refused(refuse_err, "Authorization Violation");
	refused(refuse_tls, "requires TLS");
	refused(refuse_headers, "does not take headers");
	refused(silent, "no INFO in 2000 ms");
	session_run();
	return check_done();
}
