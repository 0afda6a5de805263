/* stele-ntp's waits between rounds: doubling from 16 s to 1024 s while
 * answers are good, quick bounded retries while the clock was never set,
 * and a server that kissed RATE left alone longer. */
#include "check.h"
#include "interval.h"

static void test_good(void)
{
	unsigned s = 0, want[] = { 16, 32, 64, 128, 256, 512, 1024, 1024, 1024 };

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		s = ntp_poll_next(s, 1, 1);
		CHECK_INT(want[i], s);
	}
	/* After quick retries, the first good answer: the shortest poll. */
	CHECK_INT(NTP_POLL_MIN_S, ntp_poll_next(4, 1, 0));
	CHECK_INT(NTP_POLL_MIN_S, ntp_poll_next(0, 1, 0));
}

static void test_unsynced(void)
{
	unsigned s = 0, want[] = { 2, 4, 8, 16, 32, 32, 32 };

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		s = ntp_poll_next(s, 0, 0);
		CHECK_INT(want[i], s);
	}
	/* Never below the minimum: no spinning. */
	CHECK(ntp_poll_next(0, 0, 0) >= 1);
	CHECK(ntp_poll_next(0, 0, 1) >= 1);
}

static void test_synced_fail(void)
{
	/* A failed round once synchronized halves the wait, not below 16 s. */
	CHECK_INT(512, ntp_poll_next(1024, 0, 1));
	CHECK_INT(16, ntp_poll_next(16, 0, 1));
	CHECK_INT(16, ntp_poll_next(2, 0, 1));
	/* Huge inputs do not overflow. */
	CHECK_INT(NTP_POLL_MAX_S, ntp_poll_next(~0u, 1, 1));
	CHECK_INT(NTP_POLL_MAX_S, ntp_poll_next(~0u, 0, 1));
	CHECK_INT(NTP_RETRY_MAX_S, ntp_poll_next(~0u, 0, 0));
}

static void test_rate(void)
{
	CHECK_INT(NTP_RATE_MIN_S, ntp_poll_rate(0));
	CHECK_INT(NTP_RATE_MIN_S, ntp_poll_rate(16));
	CHECK_INT(1024, ntp_poll_rate(256));
	CHECK_INT(NTP_RATE_MAX_S, ntp_poll_rate(1024));
	CHECK_INT(NTP_RATE_MAX_S, ntp_poll_rate(~0u));
	/* Harder than the ordinary backoff, always. */
	for (unsigned s = 1; s <= NTP_POLL_MAX_S; s *= 2)
		CHECK(ntp_poll_rate(s) > ntp_poll_next(s, 1, 1) || ntp_poll_rate(s) == NTP_RATE_MAX_S);
}

int main(void)
{
	test_good();
	test_unsynced();
	test_synced_fail();
	test_rate();
	return check_done();
}
