/* The DHCP client's state machine on a simulated clock: what it sends and
 * when (RFC 2131 §4.1 backoff, §4.4.5 renewal), and what it asks the
 * caller to apply or drop. */
#include <string.h>

#include "check.h"
#include "dhcp_client.h"

#define A(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))
#define S 1000			/* ms */

static const unsigned char mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static struct dhcp_client c;

static struct dhcp_reply answer(enum dhcp_type type, uint32_t server, uint32_t lease_s)
{
	struct dhcp_reply r = {
		.type = type, .yiaddr = A(10, 0, 2, 15), .server = server,
		.mask = A(255, 255, 255, 0), .router = A(10, 0, 2, 2),
		.dns = { A(10, 0, 2, 3) }, .n_dns = 1, .lease_s = lease_s,
	};

	return r;
}

/* From INIT at time 0 to BOUND with a lease of lease_s. */
static void get_bound(uint32_t lease_s)
{
	struct dhcp_reply offer = answer(DHCPOFFER, A(10, 0, 2, 2), 0);
	struct dhcp_reply ack = answer(DHCPACK, A(10, 0, 2, 2), lease_s);

	dhcp_client_init(&c, mac, 42, 0);
	CHECK_INT(DHCP_DO_SEND, dhcp_client_tick(&c, 0));
	CHECK_INT(DHCP_DO_SEND, dhcp_client_input(&c, 100, &offer));
	CHECK_INT(DHCP_DO_APPLY, dhcp_client_input(&c, 200, &ack));
	CHECK_INT(DHCP_BOUND, c.state);
}

static void test_discover_backoff(void)
{
	static const int64_t base[] = { 4 * S, 8 * S, 16 * S, 32 * S, 64 * S, 64 * S, 64 * S };
	int64_t now = 0;
	uint32_t xid;

	dhcp_client_init(&c, mac, 1, 0);
	CHECK_INT(DHCP_INIT, c.state);
	CHECK_INT(DHCP_DO_SEND, dhcp_client_tick(&c, 0));
	CHECK_INT(DHCP_SELECTING, c.state);
	CHECK_INT(DHCPDISCOVER, c.req.type);
	CHECK_INT(0, c.unicast);
	CHECK_INT(0, c.req.ciaddr);
	CHECK_MEM(mac, c.req.mac, 6);
	xid = c.xid;
	CHECK_INT(xid, c.req.xid);
	for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) {
		int64_t wait = c.deadline - now;

		check_what = "retransmission wait";
		CHECK(wait >= base[i] - S && wait <= base[i] + S);
		CHECK_INT(0, dhcp_client_tick(&c, c.deadline - 1));
		now = c.deadline;
		CHECK_INT(DHCP_DO_SEND, dhcp_client_tick(&c, now));
		CHECK_INT(xid, c.req.xid);
		CHECK_INT(now / S, c.req.secs);
	}
	check_what = NULL;

	/* Jitter differs between waits and stays within ±1 s. */
	{
		int64_t lo = 1 << 30, hi = 0;

		for (int i = 0; i < 1000; i++) {
			int64_t w = dhcp_client_backoff(&c, 0);

			lo = w < lo ? w : lo;
			hi = w > hi ? w : hi;
		}
		CHECK(lo >= 3 * S && lo < 3 * S + 50);
		CHECK(hi <= 5 * S && hi > 5 * S - 50);
	}
}

static void test_offer_request(void)
{
	struct dhcp_reply offer = answer(DHCPOFFER, A(10, 0, 2, 2), 0);
	struct dhcp_reply ack = answer(DHCPACK, A(10, 0, 2, 9), 3600);
	uint32_t xid;

	dhcp_client_init(&c, mac, 7, 0);
	CHECK_INT(DHCP_DO_SEND, dhcp_client_tick(&c, 0));
	xid = c.xid;
	/* An ACK or NAK before any offer means nothing. */
	CHECK_INT(0, dhcp_client_input(&c, 10, &ack));
	CHECK_INT(DHCP_DO_SEND, dhcp_client_input(&c, 100, &offer));
	CHECK_INT(DHCP_REQUESTING, c.state);
	CHECK_INT(DHCPREQUEST, c.req.type);
	CHECK_INT(xid, c.req.xid);		/* the offer's transaction */
	CHECK_INT(A(10, 0, 2, 15), c.req.requested);
	CHECK_INT(A(10, 0, 2, 2), c.req.server);
	CHECK_INT(0, c.req.ciaddr);
	CHECK(c.deadline >= 100 + 3 * S && c.deadline <= 100 + 5 * S);

	/* Another server's ACK, or a second offer: ignored. */
	CHECK_INT(0, dhcp_client_input(&c, 150, &ack));
	CHECK_INT(0, dhcp_client_input(&c, 150, &offer));
	CHECK_INT(DHCP_REQUESTING, c.state);

	/* Bounded: DHCP_REQUEST_TRIES requests in all, then a new DISCOVER. */
	for (int i = 1; i < DHCP_REQUEST_TRIES; i++) {
		CHECK_INT(DHCP_DO_SEND, dhcp_client_tick(&c, c.deadline));
		CHECK_INT(DHCPREQUEST, c.req.type);
	}
	CHECK_INT(DHCP_DO_SEND, dhcp_client_tick(&c, c.deadline));
	CHECK_INT(DHCP_SELECTING, c.state);
	CHECK_INT(DHCPDISCOVER, c.req.type);
	CHECK(c.xid != xid);
	CHECK_INT(0, c.req.requested);
}

static void test_bound_renew(void)
{
	struct dhcp_reply ack = answer(DHCPACK, A(10, 0, 2, 2), 86400);
	struct dhcp_reply other = answer(DHCPACK, A(10, 0, 2, 99), 86400);
	uint32_t xid;

	get_bound(86400);
	CHECK_INT(86400, c.lease.lease_s);
	/* Times count from when the REQUEST went out (100 ms). */
	CHECK_INT(100 + 43200 * (int64_t)S, c.t1);
	CHECK_INT(100 + 75600 * (int64_t)S, c.t2);
	CHECK_INT(100 + 86400 * (int64_t)S, c.expiry);
	CHECK_INT(c.t1, c.deadline);
	CHECK_INT(0, dhcp_client_tick(&c, c.t1 - 1));

	/* T1: a REQUEST to the server, from the address, in a new transaction. */
	xid = c.xid;
	CHECK_INT(DHCP_DO_SEND, dhcp_client_tick(&c, c.t1));
	CHECK_INT(DHCP_RENEWING, c.state);
	CHECK_INT(1, c.unicast);
	CHECK_INT(DHCPREQUEST, c.req.type);
	CHECK_INT(A(10, 0, 2, 15), c.req.ciaddr);
	CHECK_INT(0, c.req.requested);
	CHECK_INT(0, c.req.server);
	CHECK(c.xid != xid);
	CHECK_INT(c.t1 + (c.t2 - c.t1) / 2, c.deadline);

	/* Only the lease's server may answer a renewal. */
	CHECK_INT(0, dhcp_client_input(&c, c.t1 + S, &other));
	CHECK_INT(DHCP_DO_RENEWED, dhcp_client_input(&c, c.t1 + S, &ack));
	CHECK_INT(DHCP_BOUND, c.state);
	CHECK_INT(c.t1, c.deadline);
	CHECK_INT(c.sent + 43200 * (int64_t)S, c.t1);
}

static void test_rebind_expire(void)
{
	struct dhcp_reply ack = answer(DHCPACK, A(10, 0, 2, 7), 3600);
	int64_t now;
	int todo = 0;

	get_bound(3600);
	now = c.t1;
	CHECK_INT(DHCP_DO_SEND, dhcp_client_tick(&c, now));
	/* Retransmissions: half the time to T2, at least 60 s, not past T2. */
	while (c.state == DHCP_RENEWING) {
		int64_t wait = c.deadline - now;

		CHECK(wait >= 60 * S || c.deadline == c.t2);
		CHECK(c.deadline <= c.t2);
		now = c.deadline;
		todo = dhcp_client_tick(&c, now);
		CHECK_INT(DHCP_DO_SEND, todo);
	}
	CHECK_INT(DHCP_REBINDING, c.state);
	CHECK_INT(c.t2, now);
	CHECK_INT(0, c.unicast);
	CHECK_INT(A(10, 0, 2, 15), c.req.ciaddr);
	while (c.state == DHCP_REBINDING) {
		CHECK(c.deadline <= c.expiry);
		now = c.deadline;
		todo = dhcp_client_tick(&c, now);
	}
	CHECK_INT(c.expiry, now);
	CHECK_INT(DHCP_DO_DROP | DHCP_DO_SEND, todo);
	CHECK_INT(DHCP_SELECTING, c.state);
	CHECK_INT(DHCPDISCOVER, c.req.type);
	CHECK_INT(0, c.req.ciaddr);

	/* While rebinding any server may answer. */
	get_bound(3600);
	dhcp_client_tick(&c, c.t1);
	dhcp_client_tick(&c, c.t2);
	CHECK_INT(DHCP_REBINDING, c.state);
	CHECK_INT(DHCP_DO_RENEWED, dhcp_client_input(&c, c.t2 + 1, &ack));
}

static void test_nak(void)
{
	struct dhcp_reply nak = { .type = DHCPNAK };
	struct dhcp_reply offer = answer(DHCPOFFER, A(10, 0, 2, 2), 0);
	int64_t at;

	/* While renewing: the address goes, discovery starts at once. */
	get_bound(3600);
	dhcp_client_tick(&c, c.t1);
	at = c.t1 + 5;
	CHECK_INT(DHCP_DO_DROP, dhcp_client_input(&c, at, &nak));
	CHECK_INT(DHCP_INIT, c.state);
	CHECK_INT(at, c.deadline);
	CHECK_INT(DHCP_DO_SEND, dhcp_client_tick(&c, at));
	CHECK_INT(DHCPDISCOVER, c.req.type);

	/* A second NAK in a row (to a REQUEST, no lease held) waits. */
	CHECK_INT(DHCP_DO_SEND, dhcp_client_input(&c, at + 10, &offer));
	CHECK_INT(0, dhcp_client_input(&c, at + 20, &nak));
	CHECK_INT(DHCP_INIT, c.state);
	CHECK(c.deadline >= at + 20 + 3 * S && c.deadline <= at + 20 + 5 * S);

	/* A NAK from a server other than the one asked: ignored. */
	dhcp_client_tick(&c, c.deadline);
	dhcp_client_input(&c, c.deadline, &offer);
	nak.server = A(10, 9, 9, 9);
	CHECK_INT(0, dhcp_client_input(&c, c.deadline, &nak));
	CHECK_INT(DHCP_REQUESTING, c.state);
}

static void test_changes(void)
{
	struct dhcp_reply ack = answer(DHCPACK, A(10, 0, 2, 2), 3600);

	get_bound(3600);
	dhcp_client_tick(&c, c.t1);
	ack.dns[0] = A(1, 1, 1, 1);
	CHECK_INT(DHCP_DO_APPLY, dhcp_client_input(&c, c.t1 + 1, &ack));
	dhcp_client_tick(&c, c.t1);
	ack.yiaddr = A(10, 0, 2, 16);
	CHECK_INT(DHCP_DO_DROP | DHCP_DO_APPLY, dhcp_client_input(&c, c.t1 + 1, &ack));
	CHECK_INT(A(10, 0, 2, 16), c.lease.yiaddr);
	dhcp_client_tick(&c, c.t1);
	CHECK_INT(A(10, 0, 2, 16), c.req.ciaddr);
}

static void test_lease_times(void)
{
	struct dhcp_reply offer = answer(DHCPOFFER, A(10, 0, 2, 2), 0);
	struct dhcp_reply ack = answer(DHCPACK, A(10, 0, 2, 2), 300);

	/* T1 and T2 as given, when in order inside the lease. */
	ack.t1_s = 100;
	ack.t2_s = 200;
	dhcp_client_init(&c, mac, 3, 0);
	dhcp_client_tick(&c, 0);
	dhcp_client_input(&c, 0, &offer);
	CHECK_INT(DHCP_DO_APPLY, dhcp_client_input(&c, 0, &ack));
	CHECK_INT(100 * S, c.t1);
	CHECK_INT(200 * S, c.t2);
	CHECK_INT(300 * S, c.expiry);

	/* Out of order: the defaults. */
	ack.t1_s = 280;
	ack.t2_s = 400;
	dhcp_client_init(&c, mac, 3, 0);
	dhcp_client_tick(&c, 0);
	dhcp_client_input(&c, 0, &offer);
	dhcp_client_input(&c, 0, &ack);
	CHECK_INT(150 * S, c.t1);
	CHECK_INT(262 * S, c.t2);

	/* Too short a lease would spin: it counts as DHCP_LEASE_MIN_S. */
	get_bound(0);
	CHECK_INT(DHCP_LEASE_MIN_S, c.lease.lease_s);
	CHECK_INT(100 + 30 * S, c.t1);

	/* Infinite: nothing more to do, ever. */
	get_bound(DHCP_LEASE_INFINITE);
	CHECK_INT(DHCP_NEVER, c.deadline);
	CHECK_INT(0, dhcp_client_tick(&c, INT64_MAX - 1));
}

int main(void)
{
	test_discover_backoff();
	test_offer_request();
	test_bound_renew();
	test_rebind_expire();
	test_nak();
	test_changes();
	test_lease_times();
	return check_done();
}
