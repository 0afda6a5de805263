#ifndef STELE_DHCP_CLIENT_H
#define STELE_DHCP_CLIENT_H

#include <stdint.h>

#include "dhcp_msg.h"

/* The DHCPv4 client of RFC 2131 §4.4 as a state machine without I/O: the
 * caller owns the socket and the clock (milliseconds of CLOCK_BOOTTIME),
 * calls dhcp_client_tick when c->deadline has come and dhcp_client_input
 * for each reply dhcp_msg_parse accepted (with c->xid and c->mac), and then
 * does what the returned DHCP_DO_* bits say, in the order listed. */

enum dhcp_state {
	DHCP_INIT, DHCP_SELECTING, DHCP_REQUESTING, DHCP_BOUND, DHCP_RENEWING, DHCP_REBINDING,
};

enum {
	DHCP_DO_DROP = 1 << 0,		/* remove the address last applied */
	DHCP_DO_APPLY = 1 << 1,		/* apply c->lease: address, route,
					 * resolv.conf, host name; may repeat */
	DHCP_DO_RENEWED = 1 << 2,	/* c->lease was extended, nothing changed */
	DHCP_DO_SEND = 1 << 3,		/* send c->req: to c->lease.server if
					 * c->unicast, else broadcast; from
					 * c->req.ciaddr */
};

#define DHCP_REQUEST_TRIES 4		/* REQUESTs for one offer, then start over */
#define DHCP_LEASE_MIN_S 60		/* shorter leases are taken as this long */
#define DHCP_NEVER INT64_MAX

struct dhcp_client {
	enum dhcp_state state;
	unsigned char mac[6];
	uint32_t rng;			/* xorshift32: xids and jitter */
	uint32_t xid;
	int64_t deadline;		/* next tick; DHCP_NEVER when none */
	int64_t began, sent;		/* first and last transmission */
	int64_t t1, t2, expiry;		/* of the lease, from when it was requested */
	unsigned tries;			/* transmissions of the current request */
	unsigned naks;			/* in a row; each one waits longer */
	int unicast;
	struct dhcp_req req;
	struct dhcp_reply offer;	/* the one being requested */
	struct dhcp_reply lease;	/* valid from DHCP_BOUND on */
};

/* seed: any random value (xids and jitter); the first tick is at now. */
void dhcp_client_init(struct dhcp_client *c, const unsigned char mac[6], uint32_t seed, int64_t now);
int dhcp_client_tick(struct dhcp_client *c, int64_t now);
int dhcp_client_input(struct dhcp_client *c, int64_t now, const struct dhcp_reply *r);

/* The wait before retransmission number tries (0 = the first wait):
 * 4, 8, 16, 32, then 64 s, each with a random ±1 s (RFC 2131 §4.1). */
int64_t dhcp_client_backoff(struct dhcp_client *c, unsigned tries);

#endif
