#ifndef STELE_NTP_INTERVAL_H
#define STELE_NTP_INTERVAL_H

/* How long to wait before the next round, in seconds. A good answer
 * doubles the interval from NTP_POLL_MIN_S up to NTP_POLL_MAX_S (RFC 5905's
 * 2^4 to 2^10); a round without one retries sooner: from NTP_RETRY_MIN_S
 * doubling to NTP_RETRY_MAX_S while the clock was never set, else half the
 * interval, not below NTP_POLL_MIN_S. With no server at all, NTP_IDLE_S. */

#define NTP_POLL_MIN_S 16u
#define NTP_POLL_MAX_S 1024u
#define NTP_RETRY_MIN_S 2u
#define NTP_RETRY_MAX_S 32u
#define NTP_IDLE_S 30u
/* A server that kissed RATE is left alone this long at least. */
#define NTP_RATE_MIN_S 256u
#define NTP_RATE_MAX_S 4096u

unsigned ntp_poll_next(unsigned cur, int good, int synced);

/* How long a server that answered kiss-o'-death RATE is not asked: four
 * times what it was asked at, within NTP_RATE_MIN_S to NTP_RATE_MAX_S. */
unsigned ntp_poll_rate(unsigned cur);

#endif
