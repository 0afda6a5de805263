/* stele-ntp's packets: the request it sends, every check an answer must
 * pass (each refusal cause), and the offset and delay arithmetic across
 * the 2036 wrap of the 32-bit seconds. */
#include <arpa/inet.h>
#include <string.h>

#include "check.h"
#include "packet.h"

#define NONCE 0x0123456789abcdefull
/* 2025-06-01T00:00:00Z and 2036-02-07T06:28:16Z (NTP era 1 starts). */
#define T2025 1748736000LL
#define T2036 2085978496LL

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

static void put64(unsigned char *p, uint64_t v)
{
	put32(p, (uint32_t)(v >> 32));
	put32(p + 4, (uint32_t)v);
}

/* A good answer: leap 0, version 4, mode 4, stratum 2. */
static void good(unsigned char *p)
{
	memset(p, 0, NTP_PACKET_LEN);
	p[0] = 0 << 6 | 4 << 3 | 4;
	p[1] = 2;
	p[2] = 6;
	p[3] = (unsigned char)-20;
	put32(p + 4, 0x00000800);		/* root delay 1/32 s */
	put32(p + 8, 0x00000400);		/* root dispersion 1/64 s */
	put32(p + 12, 0x0a000202);
	put64(p + 16, ntp_from_unix(T2025, 0));
	put64(p + 24, NONCE);
	put64(p + 32, ntp_from_unix(T2025 + 1, 0));
	put64(p + 40, ntp_from_unix(T2025 + 1, 1000));
}

static enum ntp_cause check(const unsigned char *p, size_t n, char *why)
{
	struct ntp_reply r;

	return ntp_reply_check(p, n, NONCE, &r, why);
}

static void test_request(void)
{
	unsigned char out[NTP_PACKET_LEN], want[NTP_PACKET_LEN] = { 0x23 };

	put64(want + 40, NONCE);
	memset(out, 0xff, sizeof out);
	ntp_request_format(out, NONCE);
	CHECK_MEM(want, out, NTP_PACKET_LEN);
}

static void test_good(void)
{
	unsigned char p[NTP_PACKET_LEN + 20];
	struct ntp_reply r;
	char why[NTP_WHY_MAX];

	good(p);
	CHECK_INT(NTP_OK, ntp_reply_check(p, NTP_PACKET_LEN, NONCE, &r, why));
	CHECK_STR("", why);
	CHECK_INT(2, r.stratum);
	CHECK_INT(4, r.version);
	CHECK_INT(0, r.leap);
	CHECK_INT(6, r.poll);
	CHECK_INT(-20, r.precision);
	CHECK_INT(0x800, r.root_delay);
	CHECK_INT(0x400, r.root_disp);
	CHECK_INT(NONCE, r.org);
	CHECK_INT(ntp_from_unix(T2025 + 1, 0), r.rec);
	/* Longer is fine (extension fields, a MAC): only 48 bytes are read. */
	memset(p + NTP_PACKET_LEN, 0xee, 20);
	CHECK_INT(NTP_OK, check(p, sizeof p, why));
	/* Version 3 servers are answered too. */
	p[0] = 3 << 3 | 4;
	CHECK_INT(NTP_OK, check(p, NTP_PACKET_LEN, why));
	/* Leap 1 and 2 announce a leap second; the time is still good. */
	p[0] = 1 << 6 | 4 << 3 | 4;
	CHECK_INT(NTP_OK, check(p, NTP_PACKET_LEN, why));
	p[1] = 15;
	CHECK_INT(NTP_OK, check(p, NTP_PACKET_LEN, why));
	p[1] = 1;
	CHECK_INT(NTP_OK, check(p, NTP_PACKET_LEN, why));
}

static void test_refusals(void)
{
	unsigned char p[NTP_PACKET_LEN];
	char why[NTP_WHY_MAX];
	static const struct {
		const char *code;
		enum ntp_cause cause;
	} kod[] = {
		{ "DENY", NTP_KOD_DENY }, { "RSTR", NTP_KOD_RSTR }, { "RATE", NTP_KOD_RATE },
		{ "INIT", NTP_KOD_OTHER }, { "STEP", NTP_KOD_OTHER },
	};

	good(p);
	CHECK_INT(NTP_SHORT, check(p, NTP_PACKET_LEN - 1, why));
	CHECK_HAS(why, "47 bytes");
	CHECK_INT(NTP_SHORT, check(p, 0, why));

	for (unsigned mode = 0; mode < 8; mode++) {
		if (mode == 4)
			continue;
		good(p);
		p[0] = (unsigned char)(4 << 3 | mode);
		CHECK_INT(NTP_BAD_MODE, check(p, NTP_PACKET_LEN, why));
	}
	CHECK_HAS(why, "mode 7");
	for (unsigned v = 0; v < 8; v++) {
		if (v == 3 || v == 4)
			continue;
		good(p);
		p[0] = (unsigned char)(v << 3 | 4);
		CHECK_INT(NTP_BAD_VERSION, check(p, NTP_PACKET_LEN, why));
	}
	CHECK_HAS(why, "version 7");

	good(p);
	p[31] ^= 1;
	CHECK_INT(NTP_BAD_ORIGIN, check(p, NTP_PACKET_LEN, why));
	CHECK_HAS(why, "origin");
	good(p);
	put64(p + 24, 0);
	CHECK_INT(NTP_BAD_ORIGIN, check(p, NTP_PACKET_LEN, why));

	for (size_t i = 0; i < sizeof kod / sizeof kod[0]; i++) {
		good(p);
		p[0] = 3 << 6 | 4 << 3 | 4;	/* what servers send with a kiss */
		p[1] = 0;
		memcpy(p + 12, kod[i].code, 4);
		check_what = kod[i].code;
		CHECK_INT(kod[i].cause, check(p, NTP_PACKET_LEN, why));
		CHECK_HAS(why, kod[i].code);
		/* A kiss with a wrong origin is a stranger's: not believed. */
		p[30] ^= 1;
		CHECK_INT(NTP_BAD_ORIGIN, check(p, NTP_PACKET_LEN, why));
	}
	check_what = NULL;
	good(p);
	p[1] = 0;
	memcpy(p + 12, "\x01\xff\x20Z", 4);
	CHECK_INT(NTP_KOD_OTHER, check(p, NTP_PACKET_LEN, why));
	CHECK_HAS(why, "???Z");

	for (unsigned s = 16; s < 256; s += 47) {
		good(p);
		p[1] = (unsigned char)s;
		CHECK_INT(NTP_BAD_STRATUM, check(p, NTP_PACKET_LEN, why));
	}
	CHECK_HAS(why, "stratum");

	good(p);
	p[0] = 3 << 6 | 4 << 3 | 4;
	CHECK_INT(NTP_UNSYNCED, check(p, NTP_PACKET_LEN, why));
	CHECK_HAS(why, "leap indicator 3");

	good(p);
	put64(p + 40, 0);
	CHECK_INT(NTP_NO_TRANSMIT, check(p, NTP_PACKET_LEN, why));
	CHECK_HAS(why, "transmit");
	/* Only a zero transmit timestamp is refused, not a zero second. */
	put64(p + 40, 1);
	CHECK_INT(NTP_OK, check(p, NTP_PACKET_LEN, why));
}

static void test_source(void)
{
	struct sockaddr_in asked = { .sin_family = AF_INET, .sin_port = htons(1234) }, from;

	asked.sin_addr.s_addr = htonl(0x0a000202);
	from = asked;
	CHECK_INT(NTP_OK, ntp_source_check(&asked, &from));
	from.sin_port = htons(1235);
	CHECK_INT(NTP_WRONG_SOURCE, ntp_source_check(&asked, &from));
	from = asked;
	from.sin_addr.s_addr = htonl(0x0a000203);
	CHECK_INT(NTP_WRONG_SOURCE, ntp_source_check(&asked, &from));
	from = asked;
	from.sin_family = AF_INET6;
	CHECK_INT(NTP_WRONG_SOURCE, ntp_source_check(&asked, &from));
}

static void test_timestamps(void)
{
	/* RFC 5905 figure 4: 1970 is 2208988800 s into era 0. */
	CHECK_INT(0x83aa7e80ull << 32, ntp_from_unix(0, 0));
	CHECK_INT((uint64_t)(0x83aa7e80u + 1) << 32 | 0x80000000u, ntp_from_unix(1, 500000000));
	/* Era 1 starts at 2036-02-07T06:28:16Z: seconds 0 again. */
	CHECK_INT(0, ntp_from_unix(T2036, 0));
	CHECK_INT(0xffffffffull << 32, ntp_from_unix(T2036 - 1, 0));

	CHECK_INT(0, ntp_diff_ns(ntp_from_unix(T2025, 0), ntp_from_unix(T2025, 0)));
	CHECK_INT(1500000000, ntp_diff_ns(ntp_from_unix(T2025 + 1, 500000000), ntp_from_unix(T2025, 0)));
	CHECK_INT(-1500000000, ntp_diff_ns(ntp_from_unix(T2025, 0), ntp_from_unix(T2025 + 1, 500000000)));
	/* Across the wrap, either way. */
	CHECK_INT(2000000000, ntp_diff_ns(ntp_from_unix(T2036 + 1, 0), ntp_from_unix(T2036 - 1, 0)));
	CHECK_INT(-2000000000, ntp_diff_ns(ntp_from_unix(T2036 - 1, 0), ntp_from_unix(T2036 + 1, 0)));
	/* A year apart: the guest whose clock is a year behind. */
	CHECK_INT(31536000LL * 1000000000, ntp_diff_ns(ntp_from_unix(T2025 + 31536000, 0),
						       ntp_from_unix(T2025, 0)));
	/* The largest difference the wire can tell: 68 years. */
	CHECK_INT(2147483647LL * 1000000000, ntp_diff_ns(0x7fffffffull << 32, 0));
	CHECK_INT(-2147483648LL * 1000000000, ntp_diff_ns(0x80000000ull << 32, 0));
}

static struct ntp_reply at(int64_t rec_s, long rec_ns, int64_t xmt_s, long xmt_ns)
{
	struct ntp_reply r = { .stratum = 2, .version = 4 };

	r.rec = ntp_from_unix(rec_s, rec_ns);
	r.xmt = ntp_from_unix(xmt_s, xmt_ns);
	return r;
}

/* |a - b| within the rounding of 32-bit fractions (a few ns). */
static int near(int64_t a, int64_t b)
{
	return a - b < 5 && b - a < 5;
}

static void test_sample(void)
{
	struct ntp_sample s;
	char why[NTP_WHY_MAX];
	struct ntp_reply r;
	uint64_t t1 = ntp_from_unix(T2025, 0);

	/* Server 10 s ahead, 40 ms each way, 2 ms inside: T2 = T1 + 10.040,
	 * T3 = T2 + 0.002, T4 = T1 + 0.082. */
	r = at(T2025 + 10, 40000000, T2025 + 10, 42000000);
	CHECK_INT(NTP_OK, ntp_sample_make(&r, t1, 82000000, &s, why));
	CHECK(near(10000000000LL, s.offset_ns));
	CHECK(near(80000000, s.delay_ns));
	/* Server a year behind. */
	r = at(T2025 - 31536000, 10000000, T2025 - 31536000, 10000000);
	CHECK_INT(NTP_OK, ntp_sample_make(&r, t1, 20000000, &s, why));
	CHECK(near(-31536000LL * 1000000000, s.offset_ns));
	CHECK(near(20000000, s.delay_ns));
	/* This clock in era 0 a second before the wrap, the server's in era 1. */
	t1 = ntp_from_unix(T2036 - 1, 0);
	r = at(T2036 + 4, 5000000, T2036 + 4, 5000000);
	CHECK_INT(NTP_OK, ntp_sample_make(&r, t1, 10000000, &s, why));
	CHECK(near(5000000000LL, s.offset_ns));
	CHECK(near(10000000, s.delay_ns));
	/* And the other way round: this clock past the wrap, the server before. */
	t1 = ntp_from_unix(T2036 + 3, 0);
	r = at(T2036 - 2, 0, T2036 - 2, 0);
	CHECK_INT(NTP_OK, ntp_sample_make(&r, t1, 0, &s, why));
	CHECK(near(-5000000000LL, s.offset_ns));

	/* Round trips: negative (the server claims more time inside than the
	 * whole exchange took) and too long are refused; the bound is kept. */
	t1 = ntp_from_unix(T2025, 0);
	r = at(T2025, 0, T2025, 50000000);
	CHECK_INT(NTP_BAD_DELAY, ntp_sample_make(&r, t1, 10000000, &s, why));
	CHECK_HAS(why, "round trip -0.040 s");
	r = at(T2025, 0, T2025, 0);
	CHECK_INT(NTP_BAD_DELAY, ntp_sample_make(&r, t1, NTP_DELAY_MAX_NS + 1, &s, why));
	CHECK_HAS(why, "round trip 2.000 s");
	CHECK_INT(NTP_OK, ntp_sample_make(&r, t1, NTP_DELAY_MAX_NS, &s, why));
	CHECK_INT(NTP_OK, ntp_sample_make(&r, t1, 0, &s, why));
}

static void test_names(void)
{
	for (int c = 0; c < NTP_CAUSES; c++)
		CHECK(ntp_cause_name((enum ntp_cause)c) && ntp_cause_name((enum ntp_cause)c)[0]);
	CHECK_STR("?", ntp_cause_name(NTP_CAUSES));
}

int main(void)
{
	test_request();
	test_good();
	test_refusals();
	test_source();
	test_timestamps();
	test_sample();
	test_names();
	return check_done();
}
