/* The network service, stele-net: loopback up, then the first Ethernet
 * interface by ip= or DHCPv4. PID 1 starts it as user net with
 * CAP_NET_ADMIN and CAP_NET_RAW only, prints each line of its stdout on
 * the console, and applies the host name, resolv.conf and NTP servers it
 * reports (report.h): this process may not set them itself.
 *
 * DHCP runs over a packet socket with IPv4 and UDP headers built here, so
 * that no UDP port is ever bound (DESIGN.md 5: nothing listens). Setup
 * errors end the service (PID 1 restarts it); once the DHCP loop runs,
 * errors are logged and retried on the client's timers, never in a spin. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dhcp_client.h"
#include "dhcp_msg.h"
#include "ip_param.h"
#include "netlink.h"
#include "cmdline_word.h"
#include "net_report.h"
#include "note.h"
#include "read_small.h"
#include "report.h"

#define CMDLINE_LEN 2048
#define LINK_WAIT_MS 10000		/* a late driver still counts as booting */
#define COMPLAINTS_MAX 10		/* bad replies logged per lease */
#define EXIT_SYSTEM 111

struct net {
	int nl, pkt;
	struct nl_link link;
	struct ip_param ip;
	uint32_t applied;		/* address configured; 0: none */
	int prefix;
	unsigned char server_mac[6];	/* whence the last ACK came */
	unsigned complaints;
	unsigned apply_fails;		/* in a row */
	struct dhcp_client c;
};

/* Leases run on CLOCK_BOOTTIME: monotonic, and counting a suspended VM's
 * sleep, which the server's clock counts too. */
static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	poll(NULL, 0, ms);
}

/* What PID 1 applies for this service (lib/net_report.h). It decides:
 * a host name given on the command line or by a credential stays. */
static void report_lease(const uint32_t *dns, size_t n_dns, const struct dhcp_reply *l)
{
	struct net_report r;

	if (l->hostname[0]) {
		r = (struct net_report){ .kind = NET_REPORT_HOSTNAME };
		snprintf(r.name, sizeof r.name, "%s", l->hostname);
		report_send(&r);
	}
	if (l->n_ntp) {
		r = (struct net_report){ .kind = NET_REPORT_NTP, .n_addr = l->n_ntp };
		memcpy(r.addr, l->ntp, l->n_ntp * sizeof l->ntp[0]);
		report_send(&r);
	}
	/* Last: a service that waits for resolv.conf finds the rest in place. */
	r = (struct net_report){ .kind = NET_REPORT_RESOLV, .n_addr = n_dns };
	snprintf(r.name, sizeof r.name, "%s", l->domain);
	memcpy(r.addr, dns, n_dns * sizeof dns[0]);
	report_send(&r);
}

/* Address, default route, then what PID 1 applies; then one line that
 * says what is in place, "bound ..." for DHCP (the QEMU tests grep it). */
static int apply(struct net *n, const char *verb, const struct dhcp_reply *l)
{
	const uint32_t *dns = n->ip.n_dns ? n->ip.dns : l->dns;
	size_t n_dns = n->ip.n_dns ? n->ip.n_dns : l->n_dns;
	int prefix = ip4_prefix(l->mask);
	char line[192], a[16];
	int k;

	if (nl_addr_set(n->nl, 1, n->link.index, l->yiaddr, prefix) < 0) {
		note("cannot add address %s/%d: %s", ip4_format(a, l->yiaddr), prefix, strerror(errno));
		return -1;
	}
	n->applied = l->yiaddr;
	n->prefix = prefix;
	if (l->router && nl_route_default(n->nl, n->link.index, l->router) < 0)
		note("cannot add default route via %s: %s", ip4_format(a, l->router), strerror(errno));
	report_lease(dns, n_dns, l);

	k = snprintf(line, sizeof line, "%s %s/%d", verb, ip4_format(a, l->yiaddr), prefix);
	if (l->router)
		k += snprintf(line + k, sizeof line - (size_t)k, " via %s", ip4_format(a, l->router));
	for (size_t i = 0; i < n_dns; i++)
		k += snprintf(line + k, sizeof line - (size_t)k, "%s%s", i ? "," : " dns ",
			      ip4_format(a, dns[i]));
	if (l->lease_s == DHCP_LEASE_INFINITE)
		snprintf(line + k, sizeof line - (size_t)k, " lease infinite");
	else if (l->lease_s)
		snprintf(line + k, sizeof line - (size_t)k, " lease %lus", (unsigned long)l->lease_s);
	note("%s", line);
	return 0;
}

static void drop(struct net *n)
{
	char a[16];

	if (!n->applied)
		return;
	if (nl_addr_set(n->nl, 0, n->link.index, n->applied, n->prefix) < 0 && errno != EADDRNOTAVAIL)
		note("cannot remove address %s/%d: %s", ip4_format(a, n->applied), n->prefix, strerror(errno));
	else
		note("removed %s/%d", ip4_format(a, n->applied), n->prefix);
	n->applied = 0;
}

static void complain(struct net *n, const char *what, const char *why)
{
	if (n->complaints < COMPLAINTS_MAX)
		note("%s: %s%s", what, why, ++n->complaints == COMPLAINTS_MAX ? " (no more shown)" : "");
}

static void transmit(struct net *n)
{
	static const unsigned char broadcast[6] = { 255, 255, 255, 255, 255, 255 };
	unsigned char frame[DHCP_FRAME_HDR + DHCP_MSG_MIN];
	struct dhcp_client *c = &n->c;
	uint32_t dst = c->unicast ? c->lease.server : 0xffffffffu;
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP),
		.sll_ifindex = n->link.index, .sll_halen = 6,
	};
	size_t len = dhcp_msg_build(frame + DHCP_FRAME_HDR, sizeof frame - DHCP_FRAME_HDR, &c->req);

	/* A renewal goes to the server's address at the MAC its ACK came
	 * from: the server's, or the relay's that will forward it. */
	memcpy(to.sll_addr, c->unicast ? n->server_mac : broadcast, 6);
	len = dhcp_frame_build(frame, sizeof frame, c->req.ciaddr, dst, frame + DHCP_FRAME_HDR, len);
	if (len && sendto(n->pkt, frame, len, 0, (struct sockaddr *)&to, sizeof to) < 0)
		complain(n, "cannot send DHCP request", strerror(errno));
}

/* Does what the client asked, and says what changed. */
static void act(struct net *n, enum dhcp_state was, int todo)
{
	struct dhcp_client *c = &n->c;
	char a[16], b[16];

	if (was == DHCP_SELECTING && c->state == DHCP_REQUESTING)
		note("offer %s from %s", ip4_format(a, c->offer.yiaddr), ip4_format(b, c->offer.server));
	else if (c->state == DHCP_SELECTING && c->tries == 5 && (todo & DHCP_DO_SEND))
		note("no DHCP offer yet, still asking");
	else if (was == DHCP_RENEWING && c->state == DHCP_REBINDING)
		note("no answer from %s, rebinding", ip4_format(a, c->lease.server));
	else if (was == DHCP_REQUESTING && c->state == DHCP_SELECTING)
		note("no ACK from %s, starting over", ip4_format(a, c->offer.server));
	else if (was >= DHCP_REQUESTING && c->state == DHCP_INIT)
		note("NAK, starting over");
	else if (was == DHCP_REBINDING && c->state == DHCP_SELECTING)
		note("lease expired");
	if (todo & DHCP_DO_DROP)
		drop(n);
	if (todo & DHCP_DO_APPLY) {
		n->complaints = 0;
		if (apply(n, "bound", &c->lease) < 0) {
			/* Not left unused until T1: the lease is asked for
			 * again, later each time. */
			int64_t at = now_ms() + dhcp_client_backoff(c, n->apply_fails++);

			dhcp_client_init(c, n->link.mac, c->rng, at);
			return;
		}
		n->apply_fails = 0;
	} else if (todo & DHCP_DO_RENEWED)
		note("renewed lease %lus", (unsigned long)c->lease.lease_s);
	if (todo & DHCP_DO_SEND)
		transmit(n);
}

static void receive(struct net *n)
{
	unsigned char frame[DHCP_FRAME_MAX];
	union {
		struct cmsghdr h;
		char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	} ctl;
	struct sockaddr_ll from;
	struct iovec iov = { frame, sizeof frame };
	struct msghdr msg = {
		.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = &ctl, .msg_controllen = sizeof ctl,
	};
	struct dhcp_reply r;
	char why[DHCP_REASON_MAX];
	size_t off, len;
	int check_udp = 1, rc, todo;
	enum dhcp_state was = n->c.state;
	ssize_t got = recvmsg(n->pkt, &msg, MSG_TRUNC | MSG_DONTWAIT);

	if (got < 0) {
		if (errno != EAGAIN && errno != EINTR) {
			complain(n, "cannot receive", strerror(errno));
			sleep_ms(1000);
		}
		return;
	}
	if ((size_t)got > sizeof frame || from.sll_pkttype == PACKET_OUTGOING)
		return;
	for (struct cmsghdr *h = CMSG_FIRSTHDR(&msg); h; h = CMSG_NXTHDR(&msg, h)) {
		struct tpacket_auxdata aux;

		if (h->cmsg_level != SOL_PACKET || h->cmsg_type != PACKET_AUXDATA ||
		    h->cmsg_len < CMSG_LEN(sizeof aux))
			continue;
		memcpy(&aux, CMSG_DATA(h), sizeof aux);
		check_udp = !(aux.tp_status & TP_STATUS_CSUMNOTREADY);
	}
	if (!(off = dhcp_frame_open(frame, (size_t)got, check_udp, &len, why))) {
		complain(n, "bad DHCP packet", why);
		return;
	}
	rc = dhcp_msg_parse(frame + off, len, n->c.xid, n->link.mac, &r, why);
	if (rc == DHCP_MSG_BAD)
		complain(n, "bad DHCP reply", why);
	if (rc != DHCP_MSG_OK)
		return;
	todo = dhcp_client_input(&n->c, now_ms(), &r);
	if ((todo & (DHCP_DO_APPLY | DHCP_DO_RENEWED)) && from.sll_halen == 6)
		memcpy(n->server_mac, from.sll_addr, 6);
	act(n, was, todo);
}

/* Only UDP to port 68 that is not a later fragment reaches the socket
 * (busybox udhcpc's filter); receive() checks everything again. */
static int packet_open(int index)
{
	static const struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 9),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 17, 0, 6),
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 6),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 0x1fff, 4, 0),
		BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		BPF_STMT(BPF_LD | BPF_H | BPF_IND, 2),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, DHCP_CLIENT_PORT, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { sizeof code / sizeof code[0], (struct sock_filter *)code };
	struct sockaddr_ll sa = {
		.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IP), .sll_ifindex = index,
	};
	int on = 1;
	/* Protocol 0 receives nothing until bind(), by which time the filter
	 * is in place. */
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &on, sizeof on) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static uint32_t seed(const unsigned char *mac)
{
	uint32_t s;

	if (getrandom(&s, sizeof s, GRND_NONBLOCK) == (ssize_t)sizeof s)
		return s;
	s = (uint32_t)now_ms() ^ (uint32_t)getpid() << 16;
	for (int i = 0; i < 6; i++)
		s = s * 31 + mac[i];
	return s;
}

static _Noreturn void dhcp_run(struct net *n)
{
	dhcp_client_init(&n->c, n->link.mac, seed(n->link.mac), now_ms());
	for (;;) {
		struct pollfd p = { n->pkt, POLLIN, 0 };
		enum dhcp_state was = n->c.state;
		int64_t now = now_ms(), wait;

		act(n, was, dhcp_client_tick(&n->c, now));
		wait = n->c.deadline - now;
		if (poll(&p, 1, n->c.deadline == DHCP_NEVER ? -1 : wait < 0 ? 0 :
			 wait > INT_MAX ? INT_MAX : (int)wait) > 0)
			receive(n);
	}
}

/* The interface asked for, or the first Ethernet one. A missing one is
 * reported after LINK_WAIT_MS and then still awaited: a service that
 * ended would only be restarted into the same search, and a hot-plugged
 * NIC is still configured. */
static void link_wait(struct net *n)
{
	int ev = nl_open(RTMGRP_LINK);
	int64_t give_up = now_ms() + LINK_WAIT_MS;
	int said = 0, errors = 0;

	for (;;) {
		char junk[4096];
		struct pollfd p = { ev, POLLIN, 0 };
		int64_t left = give_up - now_ms();
		int found = nl_link_find(n->nl, n->ip.device, &n->link);

		if (found > 0)
			break;
		if (found < 0 && errors++ == 0)
			note("cannot list interfaces: %s", strerror(errno));
		if (!said && left <= 0) {
			note("no Ethernet interface%s%s", n->ip.device[0] ? " " : "", n->ip.device);
			said = 1;
		}
		if (ev < 0 || found < 0)
			sleep_ms(1000);
		else if (poll(&p, 1, said ? -1 : (int)left) > 0)
			while (recv(ev, junk, sizeof junk, MSG_DONTWAIT) > 0)
				;
	}
	if (ev >= 0)
		close(ev);
}

/* Nothing more to do. Ending would have PID 1 (restart = always) start
 * the service again, so it stays, asleep. */
static _Noreturn void idle(void)
{
	for (;;)
		pause();
}

/* ip= from the kernel command line; 0, or -1 when it is unusable, said
 * on stdout. */
static int configure(struct net *n)
{
	char line[CMDLINE_LEN], val[IP_VALUE_MAX], why[IP_REASON_MAX];
	int found;

	if (!read_small("/proc/cmdline", line, sizeof line))
		note("nothing read from /proc/cmdline; using DHCP");
	found = cmdline_find(line, "ip", val, sizeof val);
	if (found < 0) {
		note("ip= is longer than %d bytes", IP_VALUE_MAX - 1);
		return -1;
	}
	if (found && ip_param_parse(val, &n->ip, why) < 0) {
		note("%s", why);
		return -1;
	}
	return 0;
}

int main(void)
{
	static struct net n;		/* large: off the stack */
	sigset_t pipe;

	/* A write to a closed stdout fails with EPIPE instead of killing. */
	sigemptyset(&pipe);
	sigaddset(&pipe, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe, NULL);
	if (configure(&n) < 0)
		return 1;
	if ((n.nl = nl_open(0)) < 0) {
		note("cannot open rtnetlink: %s", strerror(errno));
		return EXIT_SYSTEM;
	}
	/* The kernel gives lo 127.0.0.1/8 as it comes up (inetdev_event();
	 * seen in the guest's /proc/net/fib_trie), so only up is asked. */
	if (nl_link_up(n.nl, NL_LOOPBACK_INDEX) < 0)
		note("cannot bring up lo: %s", strerror(errno));
	if (n.ip.mode == IP_OFF) {
		note("ip=off: loopback only");
		idle();
	}
	link_wait(&n);
	if (nl_link_up(n.nl, n.link.index) < 0) {
		note("cannot bring up %s: %s", n.link.name, strerror(errno));
		return EXIT_SYSTEM;
	}
	if (n.ip.mode == IP_STATIC) {
		struct dhcp_reply s = { .yiaddr = n.ip.client, .mask = n.ip.mask, .router = n.ip.gw,
					.ntp = { n.ip.ntp }, .n_ntp = n.ip.ntp != 0 };

		snprintf(s.hostname, sizeof s.hostname, "%s", n.ip.hostname);

		if (apply(&n, "static", &s) < 0)
			return EXIT_SYSTEM;
		idle();
	}
	if ((n.pkt = packet_open(n.link.index)) < 0) {
		note("cannot open packet socket on %s: %s", n.link.name, strerror(errno));
		return EXIT_SYSTEM;
	}
	note("dhcp on %s %02x:%02x:%02x:%02x:%02x:%02x", n.link.name, n.link.mac[0], n.link.mac[1],
	     n.link.mac[2], n.link.mac[3], n.link.mac[4], n.link.mac[5]);
	dhcp_run(&n);
}
