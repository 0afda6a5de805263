#include "packet.h"

#include <stdio.h>
#include <string.h>

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

void ntp_request_format(unsigned char *out, uint64_t nonce)
{
	memset(out, 0, NTP_PACKET_LEN);
	out[0] = 0 << 6 | 4 << 3 | 3;
	put64(out + 40, nonce);
}

static enum ntp_cause kiss(uint32_t code, char *why)
{
	char s[5];

	for (int i = 0; i < 4; i++) {
		unsigned char c = (unsigned char)(code >> (24 - 8 * i));

		s[i] = c >= 0x21 && c < 0x7f ? (char)c : '?';
	}
	s[4] = '\0';
	snprintf(why, NTP_WHY_MAX, "kiss-o'-death %s", s);
	if (memcmp(s, "DENY", 4) == 0)
		return NTP_KOD_DENY;
	if (memcmp(s, "RSTR", 4) == 0)
		return NTP_KOD_RSTR;
	if (memcmp(s, "RATE", 4) == 0)
		return NTP_KOD_RATE;
	return NTP_KOD_OTHER;
}

enum ntp_cause ntp_reply_check(const unsigned char *p, size_t n, uint64_t nonce,
			       struct ntp_reply *r, char *why)
{
	unsigned mode;

	why[0] = '\0';
	if (n < NTP_PACKET_LEN) {
		snprintf(why, NTP_WHY_MAX, "%zu bytes, fewer than %d", n, NTP_PACKET_LEN);
		return NTP_SHORT;
	}
	r->leap = p[0] >> 6;
	r->version = p[0] >> 3 & 7;
	mode = p[0] & 7;
	r->stratum = p[1];
	r->poll = (signed char)p[2];
	r->precision = (signed char)p[3];
	r->root_delay = be32(p + 4);
	r->root_disp = be32(p + 8);
	r->refid = be32(p + 12);
	r->ref = be64(p + 16);
	r->org = be64(p + 24);
	r->rec = be64(p + 32);
	r->xmt = be64(p + 40);
	if (mode != 4) {
		snprintf(why, NTP_WHY_MAX, "mode %u, not 4 (server)", mode);
		return NTP_BAD_MODE;
	}
	if (r->version != 3 && r->version != 4) {
		snprintf(why, NTP_WHY_MAX, "version %u, not 3 or 4", r->version);
		return NTP_BAD_VERSION;
	}
	if (r->org != nonce) {
		snprintf(why, NTP_WHY_MAX, "origin timestamp is not the one sent");
		return NTP_BAD_ORIGIN;
	}
	if (r->stratum == 0)
		return kiss(r->refid, why);
	if (r->stratum > 15) {
		snprintf(why, NTP_WHY_MAX, "stratum %u, above 15", r->stratum);
		return NTP_BAD_STRATUM;
	}
	if (r->leap == 3) {
		snprintf(why, NTP_WHY_MAX, "leap indicator 3: the server is not synchronized");
		return NTP_UNSYNCED;
	}
	if (r->xmt == 0) {
		snprintf(why, NTP_WHY_MAX, "transmit timestamp is zero");
		return NTP_NO_TRANSMIT;
	}
	return NTP_OK;
}

enum ntp_cause ntp_source_check(const struct sockaddr_in *asked, const struct sockaddr_in *from)
{
	return from->sin_family == AF_INET && from->sin_addr.s_addr == asked->sin_addr.s_addr &&
	       from->sin_port == asked->sin_port ? NTP_OK : NTP_WRONG_SOURCE;
}

uint64_t ntp_from_unix(int64_t sec, long nsec)
{
	uint32_t s = (uint32_t)((uint64_t)sec + NTP_UNIX_EPOCH);
	uint64_t frac = ((uint64_t)nsec << 32) / 1000000000u;

	return (uint64_t)s << 32 | frac;
}

int64_t ntp_diff_ns(uint64_t a, uint64_t b)
{
	uint64_t u = a - b, ns;
	int neg = (int)(u >> 63);

	if (neg)
		u = -u;
	ns = (u >> 32) * 1000000000u + ((u & 0xffffffffu) * 1000000000u >> 32);
	return neg ? -(int64_t)ns : (int64_t)ns;
}

enum ntp_cause ntp_sample_make(const struct ntp_reply *r, uint64_t t1, int64_t rtt_ns,
			       struct ntp_sample *s, char *why)
{
	int64_t server_ns = ntp_diff_ns(r->xmt, r->rec);

	why[0] = '\0';
	s->delay_ns = rtt_ns - server_ns;
	s->offset_ns = (ntp_diff_ns(r->rec, t1) + ntp_diff_ns(r->xmt, t1) - rtt_ns) / 2;
	if (s->delay_ns < 0 || s->delay_ns > NTP_DELAY_MAX_NS) {
		snprintf(why, NTP_WHY_MAX, "round trip %.3f s, not within 0 to %.0f s",
			 (double)s->delay_ns / 1e9, (double)NTP_DELAY_MAX_NS / 1e9);
		return NTP_BAD_DELAY;
	}
	return NTP_OK;
}

const char *ntp_cause_name(enum ntp_cause c)
{
	static const char *const name[NTP_CAUSES] = {
		[NTP_OK] = "ok",
		[NTP_WRONG_SOURCE] = "wrong source",
		[NTP_SHORT] = "short",
		[NTP_BAD_MODE] = "bad mode",
		[NTP_BAD_VERSION] = "bad version",
		[NTP_BAD_ORIGIN] = "bad origin",
		[NTP_KOD_DENY] = "kiss-o'-death DENY",
		[NTP_KOD_RSTR] = "kiss-o'-death RSTR",
		[NTP_KOD_RATE] = "kiss-o'-death RATE",
		[NTP_KOD_OTHER] = "kiss-o'-death",
		[NTP_BAD_STRATUM] = "bad stratum",
		[NTP_UNSYNCED] = "server unsynchronized",
		[NTP_NO_TRANSMIT] = "no transmit timestamp",
		[NTP_BAD_DELAY] = "bad round trip",
	};

	return (unsigned)c < NTP_CAUSES ? name[c] : "?";
}
