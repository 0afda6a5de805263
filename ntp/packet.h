#ifndef STELE_NTP_PACKET_H
#define STELE_NTP_PACKET_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

/* The 48-byte NTP header (RFC 5905 7.3) in client mode, and every check an
 * answer must pass before its time is believed (RFC 4330 5, RFC 5905 8).
 * Timestamps are the wire's 32.32 fixed point, seconds since 1900 modulo
 * 2^32 (the era is not on the wire): only differences of them mean
 * anything, and those hold while two clocks are within 68 years. */

#define NTP_PACKET_LEN 48
#define NTP_PORT 123
#define NTP_UNIX_EPOCH 2208988800u	/* 1970-01-01 in NTP seconds (era 0) */
#define NTP_DELAY_MAX_NS 2000000000LL	/* a longer round trip is not believed */
#define NTP_WHY_MAX 96

/* Why an answer was refused; NTP_OK if it was not. Each cause has a bit
 * (1 << cause) so that a caller can say each one once per server. */
enum ntp_cause {
	NTP_OK,
	NTP_WRONG_SOURCE,	/* not from the address and port asked */
	NTP_SHORT,		/* fewer than 48 bytes */
	NTP_BAD_MODE,		/* not mode 4 (server) */
	NTP_BAD_VERSION,	/* not version 3 or 4 */
	NTP_BAD_ORIGIN,		/* origin timestamp is not what was sent */
	NTP_KOD_DENY,		/* kiss-o'-death DENY: stop asking this server */
	NTP_KOD_RSTR,		/* kiss-o'-death RSTR: likewise */
	NTP_KOD_RATE,		/* kiss-o'-death RATE: ask much less often */
	NTP_KOD_OTHER,		/* stratum 0 with another kiss code */
	NTP_BAD_STRATUM,	/* stratum above 15 */
	NTP_UNSYNCED,		/* leap indicator 3: the server has no time */
	NTP_NO_TRANSMIT,	/* transmit timestamp zero */
	NTP_BAD_DELAY,		/* round trip negative or above NTP_DELAY_MAX_NS */
	NTP_CAUSES
};

/* What a checked answer says. */
struct ntp_reply {
	unsigned leap, version, stratum;
	int poll, precision;
	uint32_t root_delay, root_disp;	/* 16.16 seconds */
	uint32_t refid;
	uint64_t ref, org, rec, xmt;	/* 32.32 */
};

/* The measurement from one exchange (RFC 5905 8): T1 sent and T4
 * received by this clock, T2 received and T3 sent by the server's. */
struct ntp_sample {
	int64_t offset_ns;	/* add it to this clock to get the server's */
	int64_t delay_ns;	/* round trip, less the server's own time */
};

/* Writes a client request into out[NTP_PACKET_LEN]: leap 0, version 4,
 * mode 3, everything zero but the transmit timestamp, which is nonce:
 * random, so that an answer proves it saw this request (RFC 5905 9.1 has
 * the origin copied back). The caller keeps nonce for ntp_reply_check. */
void ntp_request_format(unsigned char *out, uint64_t nonce);

/* Checks answer p[n] to the request sent with nonce, in the order RFC 4330
 * and 5905 imply: length, mode, version, origin (a kiss-o'-death counts
 * only from a server that saw the request), stratum 0 (kiss codes),
 * stratum, leap, transmit. Fills *r on NTP_OK; on a refusal, why[NTP_WHY_MAX]
 * says what was wrong in a few words (naming the kiss code). */
enum ntp_cause ntp_reply_check(const unsigned char *p, size_t n, uint64_t nonce,
			       struct ntp_reply *r, char *why);

/* NTP_OK if from is the address and port asked, else NTP_WRONG_SOURCE. */
enum ntp_cause ntp_source_check(const struct sockaddr_in *asked, const struct sockaddr_in *from);

/* Offset and delay from a checked answer: t1 is when this clock sent the
 * request (32.32, ntp_from_unix) and rtt_ns the round trip as this machine
 * measured it on its monotonic clock (so that T4 = T1 + rtt_ns, whatever the
 * realtime clock did meanwhile). NTP_BAD_DELAY, with why, if the round trip
 * less the server's time is negative or above NTP_DELAY_MAX_NS. */
enum ntp_cause ntp_sample_make(const struct ntp_reply *r, uint64_t t1, int64_t rtt_ns,
			       struct ntp_sample *s, char *why);

/* Unix time (seconds, nanoseconds) as a 32.32 NTP timestamp, modulo 2^32
 * seconds: 2036-02-07 and later wrap into era 1 as the wire does. */
uint64_t ntp_from_unix(int64_t sec, long nsec);

/* The signed difference a - b of two timestamps in nanoseconds, modulo
 * the era: correct while they are within 2^31 s (68 years) of each other. */
int64_t ntp_diff_ns(uint64_t a, uint64_t b);

/* A cause in a few words, for the refusal line. */
const char *ntp_cause_name(enum ntp_cause c);

#endif
