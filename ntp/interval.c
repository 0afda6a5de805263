#include "interval.h"

static unsigned clamp(unsigned v, unsigned lo, unsigned hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

unsigned ntp_poll_next(unsigned cur, int good, int synced)
{
	if (cur > NTP_RATE_MAX_S)
		cur = NTP_RATE_MAX_S;	/* no doubling overflows */
	if (good)
		return cur < NTP_POLL_MIN_S ? NTP_POLL_MIN_S : clamp(cur * 2, NTP_POLL_MIN_S, NTP_POLL_MAX_S);
	if (synced)
		return clamp(cur / 2, NTP_POLL_MIN_S, NTP_POLL_MAX_S);
	return cur < NTP_RETRY_MIN_S ? NTP_RETRY_MIN_S : clamp(cur * 2, NTP_RETRY_MIN_S, NTP_RETRY_MAX_S);
}

unsigned ntp_poll_rate(unsigned cur)
{
	return clamp((cur > NTP_RATE_MAX_S ? NTP_RATE_MAX_S : cur) * 4, NTP_RATE_MIN_S, NTP_RATE_MAX_S);
}
