/* stele-ntp: this machine's clock from NTP servers (RFC 4330 / RFC 5905
 * client mode).
 *
 * PID 1 starts it as the built-in service "ntp": user ntp, no_new_privs,
 * CAP_SYS_TIME as its one (ambient) capability, after the network. Each
 * round it picks its servers again (servers.h), asks them in order until
 * one gives an answer that passes every check (packet.h), and believes
 * that one: the first time the offset is large it steps the clock, else it
 * slews it, and it tells the kernel the clock is synchronized. Then it
 * waits (interval.h). What it has to say is one line on stdout, which PID 1
 * shows on the console and the agent ships; a refusal is said once per
 * server and cause, until that server answers well again. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "clock_set.h"
#include "note.h"
#include "packet.h"
#include "interval.h"
#include "servers.h"
#include "read_small.h"

#define CMDLINE_MAX 4096
#define REPLY_WAIT_MS 2000
#define DATAGRAMS_MAX 8		/* read per exchange, at most */
#define DATAGRAM_MAX 512
#define PEERS_MAX 8
#define EXIT_USAGE 100

/* Per-server failures that are not a refused answer: bits above the
 * refusal causes in struct peer's said. */
enum { NO_NAME = NTP_CAUSES, NO_ANSWER, NO_SEND };

struct peer {
	char name[NTP_NAME_MAX];
	unsigned said;		/* 1 << cause, for each cause said */
	int dead;		/* kissed DENY or RSTR: never asked again */
	uint64_t hold_until_ms;	/* kissed RATE: not asked before */
	unsigned rate_s;
};

static struct peer peers[PEERS_MAX];
static size_t peers_next;
static int stepped, synced, unreachable;
/* What believe() could not do, each said once: 1 step, 2 slew, 4 mark. */
static unsigned clock_said;

static int clock_failed(unsigned what)
{
	int said = (clock_said & what) != 0;

	clock_said |= what;
	return !said;
}

static struct peer *peer_of(const char *name)
{
	struct peer *p;

	for (size_t i = 0; i < PEERS_MAX; i++)
		if (strcmp(peers[i].name, name) == 0)
			return &peers[i];
	p = &peers[peers_next++ % PEERS_MAX];
	memset(p, 0, sizeof *p);
	snprintf(p->name, sizeof p->name, "%s", name);
	return p;
}

/* 1 the first time p has cause to complain of, else 0. */
static int first(struct peer *p, unsigned cause)
{
	if (p->said & 1u << cause)
		return 0;
	p->said |= 1u << cause;
	return 1;
}

static int64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void refuse(struct peer *p, enum ntp_cause c, const char *why)
{
	if (!first(p, c))
		return;
	if (c == NTP_KOD_DENY || c == NTP_KOD_RSTR)
		note("%s: answer refused: %s; not asking it again", p->name, why);
	else if (c == NTP_KOD_RATE)
		note("%s: answer refused: %s; not asking it for %u s", p->name, why, p->rate_s);
	else
		note("%s: answer refused: %s", p->name, why);
}

/* Causes a stranger could send without having seen the request: the real
 * answer may still come. */
static int stranger(enum ntp_cause c)
{
	return c == NTP_WRONG_SOURCE || c == NTP_SHORT || c == NTP_BAD_MODE ||
	       c == NTP_BAD_VERSION || c == NTP_BAD_ORIGIN;
}

static void kissed(struct peer *p, enum ntp_cause c, unsigned poll_s)
{
	if (c == NTP_KOD_DENY || c == NTP_KOD_RSTR)
		p->dead = 1;
	if (c == NTP_KOD_RATE) {
		p->rate_s = ntp_poll_rate(p->rate_s > poll_s ? p->rate_s : poll_s);
		p->hold_until_ms = clock_ms() + (uint64_t)p->rate_s * 1000;
	}
}

/* One request to p at to, its answer checked into *r and *s. NTP_OK, a
 * refusal cause (said), or -1 (no answer, said). */
static int exchange(struct peer *p, const struct sockaddr_in *to, unsigned poll_s,
		    struct ntp_reply *r, struct ntp_sample *s)
{
	unsigned char req[NTP_PACKET_LEN], buf[DATAGRAM_MAX];
	char why[NTP_WHY_MAX];
	struct timespec rt;
	uint64_t nonce, t1;
	int64_t t0, left_ms;
	int fd, ret = -1;

	if (getrandom(&nonce, sizeof nonce, 0) != (ssize_t)sizeof nonce) {
		note("getrandom: %s", strerror(errno));
		return -1;
	}
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0) {
		if (first(p, NO_SEND))
			note("%s: socket: %s", p->name, strerror(errno));
		return -1;
	}
	ntp_request_format(req, nonce);
	clock_gettime(CLOCK_REALTIME, &rt);
	t1 = ntp_from_unix(rt.tv_sec, rt.tv_nsec);
	t0 = mono_ns();
	if (sendto(fd, req, sizeof req, 0, (const struct sockaddr *)to, sizeof *to) != sizeof req) {
		/* Before DHCP has an address, every server is unreachable: once. */
		if (errno == ENETUNREACH && !unreachable)
			note("cannot send yet: %s", strerror(errno));
		else if (errno != ENETUNREACH && first(p, NO_SEND))
			note("%s: cannot send: %s", p->name, strerror(errno));
		unreachable = errno == ENETUNREACH;
		goto out;
	}
	unreachable = 0;
	for (int k = 0; k < DATAGRAMS_MAX; k++) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		struct sockaddr_in from;
		socklen_t flen = sizeof from;
		ssize_t n;
		int64_t rtt;
		enum ntp_cause c;

		left_ms = REPLY_WAIT_MS - (mono_ns() - t0) / 1000000;
		if (left_ms <= 0 || poll(&pfd, 1, (int)left_ms) <= 0)
			break;
		memset(&from, 0, sizeof from);
		n = recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &flen);
		rtt = mono_ns() - t0;
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR && first(p, NO_ANSWER))
				note("%s: no answer: %s", p->name, strerror(errno));
			if (errno == EAGAIN || errno == EINTR)
				continue;
			break;
		}
		c = ntp_source_check(to, &from);
		if (c != NTP_OK) {
			char a[INET_ADDRSTRLEN] = "?";

			inet_ntop(AF_INET, &from.sin_addr, a, sizeof a);
			snprintf(why, sizeof why, "from %s:%u, not the address asked", a,
				 (unsigned)ntohs(from.sin_port));
		} else {
			c = ntp_reply_check(buf, (size_t)n, nonce, r, why);
		}
		if (c == NTP_OK)
			c = ntp_sample_make(r, t1, rtt, s, why);
		if (c == NTP_OK) {
			ret = NTP_OK;
			break;
		}
		kissed(p, c, poll_s);
		refuse(p, c, why);
		if (!stranger(c)) {
			ret = (int)c;
			break;
		}
	}
	if (ret == -1 && first(p, NO_ANSWER))
		note("%s: no answer within %d s", p->name, REPLY_WAIT_MS / 1000);
out:
	close(fd);
	return ret;
}

static int resolve(struct peer *p, const struct ntp_server *sv, struct sockaddr_in *to)
{
	struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_DGRAM }, *res;
	int e = getaddrinfo(sv->host, NULL, &hints, &res);

	if (e != 0) {
		if (first(p, NO_NAME))
			note("%s: cannot resolve: %s", p->name, gai_strerror(e));
		return -1;
	}
	memcpy(to, res->ai_addr, sizeof *to);
	to->sin_port = htons(sv->port);
	freeaddrinfo(res);
	return 0;
}

static void believe(struct peer *p, const struct ntp_reply *r, const struct ntp_sample *s)
{
	/* Root distance (RFC 5905 A.5.5.2), to the microsecond that matters. */
	int64_t half = s->delay_ns / 2;
	int64_t maxerr = half + (int64_t)r->root_delay * 1000000000 / 65536 / 2 +
			 (int64_t)r->root_disp * 1000000000 / 65536;

	if (!stepped && (s->offset_ns > CLOCK_STEP_NS || s->offset_ns < -CLOCK_STEP_NS)) {
		if (clock_step(s->offset_ns) < 0) {
			if (clock_failed(1))
				note("cannot step the clock by %+.1f s: %s", (double)s->offset_ns / 1e9,
				     strerror(errno));
			return;
		}
		note("stepped the clock by %+.1f s from %s", (double)s->offset_ns / 1e9, p->name);
	} else if (clock_slew(s->offset_ns) < 0) {
		if (clock_failed(2))
			note("cannot slew the clock: %s", strerror(errno));
		return;
	}
	stepped = 1;
	if (clock_mark_synced(maxerr, half) < 0) {
		if (clock_failed(4))
			note("cannot mark the clock synchronized: %s", strerror(errno));
		return;
	}
	if (!synced)
		note("synchronized to %s, stratum %u: offset %+.6f s, round trip %.1f ms", p->name,
		     r->stratum, (double)s->offset_ns / 1e9, (double)s->delay_ns / 1e6);
	synced = 1;
}

/* Asks the servers in order until one answers well. 1 if one did. */
static int round_trip(const struct ntp_server *sv, size_t n, unsigned poll_s)
{
	char name[NTP_NAME_MAX];

	for (size_t i = 0; i < n; i++) {
		struct peer *p = peer_of(ntp_server_name(&sv[i], name));
		struct sockaddr_in to;
		struct ntp_reply r;
		struct ntp_sample s;

		if (p->dead || clock_ms() < p->hold_until_ms || resolve(p, &sv[i], &to) < 0)
			continue;
		if (exchange(p, &to, poll_s, &r, &s) == NTP_OK) {
			p->said = 0;
			believe(p, &r, &s);
			return 1;
		}
	}
	return 0;
}

static void pause_s(unsigned s)
{
	struct timespec ts = { (time_t)s, 0 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void list_line(enum ntp_from from, const struct ntp_server *sv, size_t n, char *out, size_t cap)
{
	char name[NTP_NAME_MAX];
	size_t len = (size_t)snprintf(out, cap, "servers from %s:", ntp_from_name(from));

	for (size_t i = 0; i < n && len < cap; i++)
		len += (size_t)snprintf(out + len, cap - len, " %s", ntp_server_name(&sv[i], name));
}

int main(void)
{
	static char cmdline[CMDLINE_MAX], image[NTP_LIST_MAX + 2], dhcp[NTP_LIST_MAX + 2];
	char why[NTP_SERVERS_WHY_MAX], said_why[NTP_SERVERS_WHY_MAX] = "", line[400], said_line[400] = "";
	struct ntp_server sv[NTP_SERVERS_MAX];
	size_t image_len, n;
	unsigned poll_s = 0;

	if (getuid() == 0 || geteuid() == 0) {
		note("refusing to run as uid 0");
		return EXIT_USAGE;
	}
	note("running as uid %u, gid %u", (unsigned)getuid(), (unsigned)getgid());
	read_small("/proc/cmdline", cmdline, sizeof cmdline);
	image_len = read_small(NTP_IMAGE_PATH, image, sizeof image);
	for (;;) {
		size_t dhcp_len = read_small(NTP_DHCP_PATH, dhcp, sizeof dhcp);
		enum ntp_from from = ntp_servers_pick(dhcp, dhcp_len, cmdline, image, image_len, sv, &n, why);

		if (why[0] && strcmp(why, said_why) != 0)
			note("servers skipped: %s", why);
		memcpy(said_why, why, sizeof why);
		if (from == NTP_FROM_NONE) {
			snprintf(line, sizeof line, "no NTP server: none from DHCP, stele.ntp= or "
				 NTP_IMAGE_PATH "; looking again every %u s", NTP_IDLE_S);
		} else {
			list_line(from, sv, n, line, sizeof line);
		}
		if (strcmp(line, said_line) != 0)
			note("%s", line);
		memcpy(said_line, line, sizeof line);
		if (from == NTP_FROM_NONE) {
			pause_s(NTP_IDLE_S);
			continue;
		}
		poll_s = ntp_poll_next(poll_s, round_trip(sv, n, poll_s), synced);
		pause_s(poll_s);
	}
}
