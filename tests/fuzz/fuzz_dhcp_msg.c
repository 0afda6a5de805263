/* libFuzzer target: any bytes as a received IPv4 packet, and the same bytes
 * as a bare BOOTP message. The message is parsed with the xid and MAC it
 * carries itself, so that fuzzing reaches the options rather than stopping
 * at the transaction check. Neither layer may crash or read past the
 * input; what is accepted must satisfy the parser's contract, and must
 * drive the client without breaking its timers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp_client.h"
#include "dhcp_msg.h"

static void check_reply(const struct dhcp_reply *r, const char *why, int rc)
{
	if (rc == DHCP_MSG_BAD && strnlen(why, DHCP_REASON_MAX) == DHCP_REASON_MAX)
		abort();
	if (rc != DHCP_MSG_OK)
		return;
	if (r->type != DHCPOFFER && r->type != DHCPACK && r->type != DHCPNAK)
		abort();
	if (r->n_dns > DHCP_DNS_MAX || strnlen(r->hostname, sizeof r->hostname) == sizeof r->hostname ||
	    strnlen(r->domain, sizeof r->domain) == sizeof r->domain)
		abort();
	if (r->hostname[0] && !dns_name_ok(r->hostname, strlen(r->hostname), IP_HOSTNAME_MAX))
		abort();
	if (r->type != DHCPNAK && (!r->yiaddr || !r->server || ip4_prefix(r->mask) < 0))
		abort();
}

/* An offer then the reply itself: the client must end with a deadline in
 * the future (or none), never one it has already passed. */
static void drive_client(const struct dhcp_reply *r)
{
	static const unsigned char mac[6] = { 2, 0, 0, 0, 0, 1 };
	struct dhcp_client c;
	struct dhcp_reply offer = *r;
	int64_t now = 1000;

	dhcp_client_init(&c, mac, 1, now);
	dhcp_client_tick(&c, now);
	offer.type = DHCPOFFER;
	dhcp_client_input(&c, now, &offer);
	dhcp_client_input(&c, now, r);
	if (c.deadline != DHCP_NEVER && c.deadline < now)
		abort();
	if (c.state == DHCP_BOUND && !(c.t1 <= c.t2 && c.t2 <= c.expiry && c.t1 > now))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dhcp_reply r;
	char why[DHCP_REASON_MAX];
	size_t off, len;
	int rc;

	off = dhcp_frame_open(data, size, 1, &len, why);
	if (off) {
		if (off + len > size)
			abort();
		data += off;
		size = len;
	}
	if (size < 34)
		return 0;
	rc = dhcp_msg_parse(data, size, (uint32_t)data[4] << 24 | (uint32_t)data[5] << 16 |
			    (uint32_t)data[6] << 8 | data[7], data + 28, &r, why);
	check_reply(&r, why, rc);
	if (rc == DHCP_MSG_OK && r.type != DHCPNAK)
		drive_client(&r);
	return 0;
}
