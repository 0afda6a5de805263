/* libFuzzer: whatever answers stele-ntp's request. The first 8 bytes are
 * the nonce it sent and the next 8 the round trip it measured; the rest is
 * the datagram. An answer that passes must be what the checks promise:
 * mode 4, version 3 or 4, the nonce as origin, stratum 1 to 15, leap not
 * 3, a transmit timestamp, and a round trip within bounds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ntp_reply r;
	struct ntp_sample s;
	char why[NTP_WHY_MAX];
	uint64_t nonce, rtt;
	enum ntp_cause c;

	if (size < 16 || size > 1024)
		return 0;
	memcpy(&nonce, data, 8);
	memcpy(&rtt, data + 8, 8);
	c = ntp_reply_check(data + 16, size - 16, nonce, &r, why);
	if (strlen(why) >= NTP_WHY_MAX || (c != NTP_OK && !why[0]))
		abort();
	if (c != NTP_OK)
		return 0;
	if (size - 16 < NTP_PACKET_LEN || (data[16] & 7) != 4 || (r.version != 3 && r.version != 4) ||
	    r.org != nonce || r.stratum < 1 || r.stratum > 15 || r.leap == 3 || r.xmt == 0)
		abort();
	c = ntp_sample_make(&r, ntp_from_unix(1748736000, 0), (int64_t)(rtt % 4000000000u), &s, why);
	if (c == NTP_OK && (s.delay_ns < 0 || s.delay_ns > NTP_DELAY_MAX_NS))
		abort();
	if (c != NTP_OK && c != NTP_BAD_DELAY)
		abort();
	return 0;
}
