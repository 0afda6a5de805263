#include "dhcp_client.h"

#include <string.h>

#define MS 1000
#define RENEW_RETRY_MIN (60 * MS)	/* RFC 2131 §4.4.5 */

static uint32_t rnd(struct dhcp_client *c)
{
	uint32_t x = c->rng;

	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return c->rng = x;
}

int64_t dhcp_client_backoff(struct dhcp_client *c, unsigned tries)
{
	return (int64_t)(4 * MS) * (1 << (tries < 4 ? tries : 4)) + (int64_t)(rnd(c) % 2001) - MS;
}

/* Half the time left until `until`, at least a minute, never past it. */
static int64_t half_way(int64_t now, int64_t until)
{
	int64_t wait = (until - now) / 2;

	if (wait < RENEW_RETRY_MIN)
		wait = RENEW_RETRY_MIN;
	return until - now < wait ? until : now + wait;
}

static int transmit(struct dhcp_client *c, int64_t now)
{
	int64_t secs = (now - c->began) / MS;

	c->req.secs = (uint16_t)(secs > 0xffff ? 0xffff : secs);
	c->sent = now;
	if (c->state == DHCP_RENEWING)
		c->deadline = half_way(now, c->t2);
	else if (c->state == DHCP_REBINDING)
		c->deadline = half_way(now, c->expiry);
	else
		c->deadline = now + dhcp_client_backoff(c, c->tries);
	c->tries++;
	return DHCP_DO_SEND;
}

/* A new transaction: fresh xid, no retransmissions yet. */
static void begin(struct dhcp_client *c, enum dhcp_state state, enum dhcp_type type, int64_t now)
{
	c->state = state;
	c->xid = rnd(c);
	c->began = now;
	c->tries = 0;
	c->unicast = state == DHCP_RENEWING;
	memset(&c->req, 0, sizeof c->req);
	c->req.type = type;
	c->req.xid = c->xid;
	memcpy(c->req.mac, c->mac, sizeof c->mac);
	if (state != DHCP_SELECTING)
		c->req.ciaddr = c->lease.yiaddr;
}

static void restart(struct dhcp_client *c, int64_t at)
{
	c->state = DHCP_INIT;
	c->deadline = at;
}

static int discover(struct dhcp_client *c, int64_t now)
{
	begin(c, DHCP_SELECTING, DHCPDISCOVER, now);
	return transmit(c, now);
}

static int resend(struct dhcp_client *c, int64_t now)
{
	return transmit(c, now);
}

static int request_again(struct dhcp_client *c, int64_t now)
{
	if (c->tries < DHCP_REQUEST_TRIES)
		return transmit(c, now);
	return discover(c, now);
}

static int renew(struct dhcp_client *c, int64_t now)
{
	begin(c, DHCP_RENEWING, DHCPREQUEST, now);
	return transmit(c, now);
}

static int renew_again(struct dhcp_client *c, int64_t now)
{
	if (now < c->t2)
		return transmit(c, now);
	c->state = DHCP_REBINDING;
	c->unicast = 0;
	return transmit(c, now);
}

static int rebind_again(struct dhcp_client *c, int64_t now)
{
	if (now < c->expiry)
		return transmit(c, now);
	return DHCP_DO_DROP | discover(c, now);
}

/* What the deadline of each state means. */
static int (*const on_tick[])(struct dhcp_client *, int64_t) = {
	[DHCP_INIT] = discover,			/* start */
	[DHCP_SELECTING] = resend,		/* no offer yet: keep asking */
	[DHCP_REQUESTING] = request_again,	/* bounded, then start over */
	[DHCP_BOUND] = renew,			/* T1 */
	[DHCP_RENEWING] = renew_again,		/* then rebind from T2 */
	[DHCP_REBINDING] = rebind_again,	/* until the lease expires */
};

int dhcp_client_tick(struct dhcp_client *c, int64_t now)
{
	if (now < c->deadline)
		return 0;
	return on_tick[c->state](c, now);
}

void dhcp_client_init(struct dhcp_client *c, const unsigned char mac[6], uint32_t seed, int64_t now)
{
	memset(c, 0, sizeof *c);
	memcpy(c->mac, mac, sizeof c->mac);
	c->rng = seed ? seed : 0x9e3779b9u;
	restart(c, now);
}

static int64_t after(int64_t from, uint32_t s)
{
	return s == DHCP_LEASE_INFINITE ? DHCP_NEVER : from + (int64_t)s * MS;
}

/* T1 and T2 default to 1/2 and 7/8 of the lease (RFC 2131 §4.4.5) and are
 * used as given only when they fall in order inside it. */
static void bind(struct dhcp_client *c, const struct dhcp_reply *r)
{
	uint32_t lease = r->lease_s < DHCP_LEASE_MIN_S ? DHCP_LEASE_MIN_S : r->lease_s;
	uint32_t t1 = lease / 2, t2 = (uint32_t)((uint64_t)lease * 7 / 8);

	if (r->t2_s && r->t2_s < lease)
		t2 = r->t2_s;
	if (r->t1_s && r->t1_s < t2)
		t1 = r->t1_s;
	else if (t1 > t2)
		t1 = t2;
	c->lease = *r;
	c->lease.lease_s = lease;
	c->state = DHCP_BOUND;
	c->naks = 0;
	c->t1 = after(c->sent, lease == DHCP_LEASE_INFINITE ? lease : t1);
	c->t2 = after(c->sent, lease == DHCP_LEASE_INFINITE ? lease : t2);
	c->expiry = after(c->sent, lease);
	c->deadline = c->t1;
}

/* 2: the address or route changed, 1: only what resolv.conf or the host
 * name get, 0: nothing. */
static int difference(const struct dhcp_reply *a, const struct dhcp_reply *b)
{
	if (a->yiaddr != b->yiaddr || a->mask != b->mask || a->router != b->router)
		return 2;
	return a->n_dns != b->n_dns || memcmp(a->dns, b->dns, sizeof a->dns) != 0 ||
	       strcmp(a->domain, b->domain) != 0 || strcmp(a->hostname, b->hostname) != 0;
}

int dhcp_client_input(struct dhcp_client *c, int64_t now, const struct dhcp_reply *r)
{
	int had_lease = c->state >= DHCP_BOUND;
	int diff;

	switch (c->state) {
	case DHCP_SELECTING:
		if (r->type != DHCPOFFER)
			return 0;
		c->offer = *r;
		c->state = DHCP_REQUESTING;
		c->tries = 0;
		c->req.type = DHCPREQUEST;
		c->req.requested = r->yiaddr;
		c->req.server = r->server;
		return transmit(c, now);
	case DHCP_REQUESTING:
	case DHCP_RENEWING:
		/* Only the server asked may answer; a NAK need not say who. */
		if ((r->server || r->type == DHCPACK) &&
		    r->server != (c->state == DHCP_REQUESTING ? c->offer.server : c->lease.server))
			return 0;
		break;
	case DHCP_REBINDING:
		break;
	default:
		return 0;
	}
	if (r->type == DHCPNAK) {
		restart(c, now + (c->naks ? dhcp_client_backoff(c, c->naks - 1) : 0));
		c->naks++;
		return had_lease ? DHCP_DO_DROP : 0;
	}
	if (r->type != DHCPACK)
		return 0;
	diff = had_lease ? difference(&c->lease, r) : 2;
	bind(c, r);
	if (diff == 0)
		return DHCP_DO_RENEWED;
	return (had_lease && diff == 2 ? DHCP_DO_DROP : 0) | DHCP_DO_APPLY;
}
