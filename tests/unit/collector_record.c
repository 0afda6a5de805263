/* The collector's reading of the wire (DESIGN §6): the resumable CBOR
 * scanner, hello and record parsing, and each record's JSON line, as
 * known answers. Items are built with libcbor's encoders, as the agent
 * builds them. */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cbor_in.h"
#include "check.h"
#include "collector_cbor.h"
#include "json.h"
#include "record_json.h"

#define PREFIX "{\"host\":\"h1\",\"boot_id\":\"b1\",\"seq\":"

static char out[1 << 20];

/* The JSON line of item, or "" with *rc set when it is refused. */
static const char *json(const struct cb *item, int *rc, const char **why)
{
	struct record r;
	struct jbuf b = { out, 0, sizeof out - 1, 0 };

	*why = NULL;
	*rc = record_parse(item->b, item->n, &r, why);
	if (*rc == 0)
		*rc = record_json(item->b, item->n, &r, PREFIX, strlen(PREFIX), &b, why);
	out[*rc == 0 ? b.len : 0] = '\0';
	return out;
}

static void expect(const struct cb *item, const char *want)
{
	const char *why;
	int rc;

	check_what = want;
	CHECK_STR(want, json(item, &rc, &why));
	CHECK_INT(0, rc);
	check_what = NULL;
}

static void expect_refused(const struct cb *item, int want_rc, const char *reason)
{
	const char *why;
	int rc;

	check_what = reason;
	json(item, &rc, &why);
	CHECK_INT(want_rc, rc);
	CHECK_HAS(why, reason);
	check_what = NULL;
}

static void test_log_record(void)
{
	struct cb c = { .n = 0 };

	cb_map(&c, 9);
	cb_ku(&c, "seq", 1);
	cb_text(&c, "t");
	cb_uint(&c, 1700000000123456789ull);
	cb_kv(&c, "kind", "log");
	cb_kv(&c, "src", "kmsg");
	cb_kv(&c, "app", "kernel");
	cb_ku(&c, "pid", 0);
	cb_ku(&c, "sev", 4);
	cb_ku(&c, "fac", 0);
	cb_kv(&c, "msg", "usb 1-1: new device");
	expect(&c, PREFIX "1,\"t\":1700000000123456789,\"kind\":\"log\",\"src\":\"kmsg\",\"app\":\"kernel\","
		   "\"pid\":0,\"sev\":4,\"fac\":0,\"msg\":\"usb 1-1: new device\"}\n");

	/* seq, t, kind first whatever their place; the rest in order;
	 * a record's own host and boot_id are not the line's. */
	c.n = 0;
	cb_map(&c, 7);
	cb_kv(&c, "event", "boot");
	cb_kv(&c, "kind", "event");
	cb_kv(&c, "host", "spoofed");
	cb_text(&c, "t");
	cb_neg(&c, 4);
	cb_ku(&c, "count", 3);
	cb_ku(&c, "seq", 18446744073709551615ull);
	cb_kv(&c, "boot_id", "spoofed");
	expect(&c, PREFIX "18446744073709551615,\"t\":-5,\"kind\":\"event\",\"event\":\"boot\",\"count\":3}\n");

	/* A message that was not UTF-8 comes as bytes: msg_b64. */
	c.n = 0;
	cb_map(&c, 5);
	cb_ku(&c, "seq", 2);
	cb_ku(&c, "t", 0);
	cb_kv(&c, "kind", "log");
	cb_text(&c, "msg");
	cb_bytes(&c, "\x00\xff\x10", 3);
	cb_kv(&c, "stream", "stderr");
	expect(&c, PREFIX "2,\"t\":0,\"kind\":\"log\",\"msg_b64\":\"AP8Q\",\"stream\":\"stderr\"}\n");
}

static void test_text_escapes(void)
{
	static const char msg[] = "a\"b\\c\n\t\r\b\f\x01\x1f\x7f \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
				  "|\xff|\xc3\xed\xa0\x80|\xc0\xaf|\xf4\x90\x80\x80|\xe2\x82";
	struct cb c = { .n = 0 };

	cb_map(&c, 4);
	cb_ku(&c, "seq", 1);
	cb_ku(&c, "t", 1);
	cb_kv(&c, "kind", "log\n");
	cb_textn(&c, "msg", 3);
	cb_textn(&c, msg, sizeof msg - 1);
	expect(&c, PREFIX "1,\"t\":1,\"kind\":\"log\\n\",\"msg\":\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f\x7f "
		   "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80|\\ufffd|\\ufffd\\ufffd\\ufffd\\ufffd|"
		   "\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd\\ufffd|\\ufffd\\ufffd\"}\n");

	/* Keys are escaped like values. */
	c.n = 0;
	cb_map(&c, 4);
	cb_ku(&c, "seq", 1);
	cb_ku(&c, "t", 1);
	cb_kv(&c, "kind", "x");
	cb_kv(&c, "k\"\x01", "v");
	expect(&c, PREFIX "1,\"t\":1,\"kind\":\"x\",\"k\\\"\\u0001\":\"v\"}\n");
}

static void test_values(void)
{
	static const uint64_t u[] = { 0, 23, 24, 255, 256, 65535, 65536, 4294967295ull,
				      4294967296ull, 18446744073709551615ull };
	static const uint64_t n[] = { 0, 23, 24, 255, 256, 18446744073709551615ull };
	struct cb c = { .n = 0 };

	cb_map(&c, 8);
	cb_ku(&c, "seq", 3);
	cb_ku(&c, "t", 1);
	cb_kv(&c, "kind", "x");
	cb_text(&c, "a");
	cb_array(&c, sizeof u / sizeof u[0]);
	for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
		cb_uint(&c, u[i]);
	cb_text(&c, "b");
	cb_array(&c, sizeof n / sizeof n[0]);
	for (size_t i = 0; i < sizeof n / sizeof n[0]; i++)
		cb_neg(&c, n[i]);
	cb_text(&c, "f");
	cb_array(&c, 9);
	cb_double(&c, 0.1);
	cb_half(&c, 1.5f);
	cb_double(&c, 1e300);
	cb_double(&c, -0.0);
	cb_double(&c, NAN);
	cb_double(&c, -INFINITY);
	cb_single(&c, 100000.0f);
	cb_half(&c, 5.9604644775390625e-08f);	/* the least subnormal */
	cb_single(&c, 0.1f);
	cb_text(&c, "z");
	cb_array(&c, 5);
	cb_bool(&c, true);
	cb_bool(&c, false);
	cb_null(&c);
	cb_undef(&c);
	cb_raw(&c, "\xf8\x20", 2);	/* simple value 32 */
	cb_text(&c, "m");
	cb_map(&c, 2);
	cb_text(&c, "k");
	cb_map(&c, 1);
	cb_text(&c, "j");
	cb_array(&c, 0);
	cb_text(&c, "bytes");
	cb_array(&c, 7);
	cb_bytes(&c, "", 0);
	cb_bytes(&c, "f", 1);
	cb_bytes(&c, "fo", 2);
	cb_bytes(&c, "foo", 3);
	cb_bytes(&c, "foob", 4);
	cb_bytes(&c, "fooba", 5);
	cb_bytes(&c, "foobar", 6);
	expect(&c, PREFIX "3,\"t\":1,\"kind\":\"x\","
		   "\"a\":[0,23,24,255,256,65535,65536,4294967295,4294967296,18446744073709551615],"
		   "\"b\":[-1,-24,-25,-256,-257,-18446744073709551616],"
		   "\"f\":[0.1,1.5,1e+300,-0,null,null,100000,5.9604644775390625e-08,0.10000000149011612],"
		   "\"z\":[true,false,null,null,null],"
		   "\"m\":{\"k\":{\"j\":[]},\"bytes\":[\"\",\"Zg==\",\"Zm8=\",\"Zm9v\",\"Zm9vYg==\","
		   "\"Zm9vYmE=\",\"Zm9vYmFy\"]}}\n");
}

static void test_refused(void)
{
	struct cb c = { .n = 0 };

	cb_array(&c, 0);
	expect_refused(&c, -1, "record: not a map");

	c.n = 0;
	cb_map(&c, 2);
	cb_ku(&c, "t", 1);
	cb_kv(&c, "kind", "log");
	expect_refused(&c, -1, "\"seq\" missing");

	c.n = 0;
	cb_map(&c, 3);
	cb_text(&c, "seq");
	cb_neg(&c, 0);
	cb_ku(&c, "t", 1);
	cb_kv(&c, "kind", "log");
	expect_refused(&c, -1, "\"seq\" not unsigned");

	c.n = 0;
	cb_map(&c, 4);
	cb_ku(&c, "seq", 1);
	cb_ku(&c, "seq", 2);
	cb_ku(&c, "t", 1);
	cb_kv(&c, "kind", "log");
	expect_refused(&c, -1, "\"seq\" twice");

	c.n = 0;
	cb_map(&c, 3);
	cb_ku(&c, "seq", 1);
	cb_kv(&c, "t", "now");
	cb_kv(&c, "kind", "log");
	expect_refused(&c, -1, "\"t\" not an integer");

	c.n = 0;
	cb_map(&c, 2);
	cb_ku(&c, "seq", 1);
	cb_kv(&c, "kind", "log");
	expect_refused(&c, -1, "\"t\" missing");

	c.n = 0;
	cb_map(&c, 3);
	cb_ku(&c, "seq", 1);
	cb_ku(&c, "t", 1);
	cb_ku(&c, "kind", 1);
	expect_refused(&c, -1, "\"kind\" not text");

	c.n = 0;
	cb_map(&c, 4);
	cb_ku(&c, "seq", 1);
	cb_ku(&c, "t", 1);
	cb_kv(&c, "kind", "log");
	cb_uint(&c, 7);
	cb_uint(&c, 7);
	expect_refused(&c, -2, "record: key not text");	/* after the three: record_json's */

	c.n = 0;
	cb_map(&c, 4);
	cb_ku(&c, "seq", 1);
	cb_ku(&c, "t", 1);
	cb_kv(&c, "kind", "log");
	cb_text(&c, "m");
	cb_map(&c, 1);
	cb_uint(&c, 1);
	cb_uint(&c, 2);
	expect_refused(&c, -2, "map key not text");

	/* Nesting: RECORD_DEPTH_MAX levels are written, one more is not. */
	for (int depth = RECORD_DEPTH_MAX - 1; depth <= RECORD_DEPTH_MAX; depth++) {
		const char *why;
		int rc;

		c.n = 0;
		cb_map(&c, 4);
		cb_ku(&c, "seq", 1);
		cb_ku(&c, "t", 1);
		cb_kv(&c, "kind", "log");
		cb_text(&c, "deep");
		for (int i = 0; i < depth; i++)
			cb_array(&c, 1);
		cb_uint(&c, 0);
		json(&c, &rc, &why);
		CHECK_INT(depth < RECORD_DEPTH_MAX ? 0 : -2, rc);
	}
}

/* A full buffer: -1, nothing written, full set; the same line fits once
 * there is room. */
static void test_full(void)
{
	struct cb c = { .n = 0 };
	struct record r;
	const char *why;
	char small[64];
	struct jbuf b = { small, 10, sizeof small, 0 };

	cb_map(&c, 4);
	cb_ku(&c, "seq", 1);
	cb_ku(&c, "t", 1);
	cb_kv(&c, "kind", "log");
	cb_kv(&c, "msg", "0123456789012345678901234567890123456789");
	CHECK_INT(0, record_parse(c.b, c.n, &r, &why));
	CHECK_INT(-1, record_json(c.b, c.n, &r, PREFIX, strlen(PREFIX), &b, &why));
	CHECK_INT(10, b.len);
	CHECK(b.full);
	b = (struct jbuf){ out, 0, sizeof out, 0 };
	CHECK_INT(0, record_json(c.b, c.n, &r, PREFIX, strlen(PREFIX), &b, &why));
	CHECK(!b.full);
}

/* The hello in c is refused, why naming reason (also what a failure says). */
static void hello_refused(const struct cb *c, const char *reason)
{
	struct hello h;
	const char *why = NULL;

	check_what = reason;
	CHECK_INT(-1, hello_parse(c->b, c->n, &h, &why));
	CHECK_HAS(why, reason);
	check_what = NULL;
}

static void test_hello(void)
{
	struct cb c = { .n = 0 };
	struct hello h;
	const char *why = NULL;
	char host65[66];

	cb_map(&c, 6);
	cb_ku(&c, "v", 1);
	cb_kv(&c, "host", "stele-5f3a");
	cb_kv(&c, "boot_id", "0f3b1c9e-1d2a-4c5b-8e7f-001122334455");
	cb_kv(&c, "agent", "stele-agent 0.1\n");
	cb_kv(&c, "roothash", "ab12");
	cb_text(&c, "future");
	cb_array(&c, 2);
	cb_uint(&c, 1);
	cb_map(&c, 0);
	CHECK_INT(0, hello_parse(c.b, c.n, &h, &why));
	CHECK_STR("stele-5f3a", h.host);
	CHECK_STR("0f3b1c9e-1d2a-4c5b-8e7f-001122334455", h.boot_id);
	CHECK_STR("stele-agent 0.1?", h.agent);
	CHECK_STR("ab12", h.roothash);

	memset(host65, 'h', 65);
	host65[65] = '\0';
	{
		static const struct {
			const char *v, *host, *boot, *reason;
			int drop_agent;
		} bad[] = {
			{ "2", "h", "b", "\"v\" is not 1", 0 },
			{ "1", "a/b", "b", "\"host\" not a safe name", 0 },
			{ "1", "", "b", "\"host\" not a safe name", 0 },
			{ "1", ".hidden", "b", "\"host\" not a safe name", 0 },
			{ "1", NULL, "b", "\"host\" not a safe name", 0 },	/* 65 characters */
			{ "1", "h", "..", "\"boot_id\" not a safe name", 0 },
			{ "1", "h", "b c", "\"boot_id\" not a safe name", 0 },
			{ "1", "h", "b", "\"agent\" missing", 1 },
		};

		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			c.n = 0;
			cb_map(&c, bad[i].drop_agent ? 4 : 5);
			cb_ku(&c, "v", (uint64_t)atoi(bad[i].v));
			cb_kv(&c, "host", bad[i].host ? bad[i].host : host65);
			cb_kv(&c, "boot_id", bad[i].boot);
			if (!bad[i].drop_agent)
				cb_kv(&c, "agent", "a");
			cb_kv(&c, "roothash", "");
			hello_refused(&c, bad[i].reason);
		}
	}
	c.n = 0;
	cb_map(&c, 2);
	cb_ku(&c, "v", 1);
	cb_kv(&c, "host", "h");
	CHECK_INT(-1, hello_parse(c.b, c.n, &h, &why));
	CHECK_HAS(why, "\"boot_id\" missing");
	c.n = 0;
	cb_array(&c, 0);
	CHECK_INT(-1, hello_parse(c.b, c.n, &h, &why));
	CHECK_HAS(why, "hello: not a map");
}

#define PCR_UPPER "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
#define PCR_LOWER "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* A hello with one more key than DESIGN §6's five. */
static void hello_with(struct cb *c, const char *key, const char *val)
{
	c->n = 0;
	cb_map(c, 6);
	cb_ku(c, "v", 1);
	cb_kv(c, "host", "h");
	cb_kv(c, "boot_id", "b");
	cb_kv(c, "agent", "a");
	cb_kv(c, "roothash", "ab");
	cb_kv(c, key, val);
}

/* version, pcr11, pcr15: optional (older agents), checked when there. */
static void test_hello_image(void)
{
	static struct cb c;
	struct hello h;
	const char *why = NULL;

	c.n = 0;
	cb_map(&c, 8);
	cb_ku(&c, "v", 1);
	cb_kv(&c, "host", "h");
	cb_kv(&c, "boot_id", "b");
	cb_kv(&c, "agent", "a");
	cb_kv(&c, "roothash", "ab");
	cb_kv(&c, "version", "2025.1~rc2+g1_x-y");
	cb_kv(&c, "pcr11", PCR_UPPER);
	cb_kv(&c, "pcr15", PCR_LOWER);
	CHECK_INT(0, hello_parse(c.b, c.n, &h, &why));
	CHECK_STR("2025.1~rc2+g1_x-y", h.version);
	CHECK_STR(PCR_LOWER, h.pcr11);
	CHECK_STR(PCR_LOWER, h.pcr15);

	hello_with(&c, "other", "x");
	CHECK_INT(0, hello_parse(c.b, c.n, &h, &why));
	CHECK_STR("", h.version);
	CHECK_STR("", h.pcr11);
	CHECK_STR("", h.pcr15);

	{
		static const struct {
			const char *key, *val, *reason;
		} bad[] = {
			{ "version", "", "\"version\" not an image version" },
			{ "version", "-", "\"version\" not an image version" },
			{ "version", "1 2", "\"version\" not an image version" },
			{ "version", "a/b", "\"version\" not an image version" },
			{ "version", "a\"b", "\"version\" not an image version" },
			{ "version", "0123456789012345678901234567890123456789012345678901234567890123x",
			  "\"version\" not an image version" },
			{ "pcr11", "", "\"pcr11\" not 64 hex digits" },
			{ "pcr11", PCR_LOWER "0", "\"pcr11\" not 64 hex digits" },
			{ "pcr11", PCR_LOWER "\n", "\"pcr11\" not 64 hex digits" },
			{ "pcr11", "g123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
			  "\"pcr11\" not 64 hex digits" },
			{ "pcr15", "00", "\"pcr15\" not 64 hex digits" },
		};

		for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
			hello_with(&c, bad[i].key, bad[i].val);
			hello_refused(&c, bad[i].reason);
		}
	}
	/* Not text at all. */
	c.n = 0;
	cb_map(&c, 6);
	cb_ku(&c, "v", 1);
	cb_kv(&c, "host", "h");
	cb_kv(&c, "boot_id", "b");
	cb_kv(&c, "agent", "a");
	cb_kv(&c, "roothash", "ab");
	cb_ku(&c, "version", 3);
	CHECK_INT(-1, hello_parse(c.b, c.n, &h, &why));
	CHECK_HAS(why, "\"version\" not an image version");
}

/* Fed one byte more each time, the scanner finds each item's end exactly
 * once, at its length, and agrees with cbor_skip. */
static void test_scan_resumable(void)
{
	static struct cb s;
	struct cbor_scan sc;
	size_t ends[8], n_ends = 0, start = 0, found = 0;

	s.n = 0;
	for (int i = 0; i < 5; i++) {
		cb_map(&s, 4);
		cb_ku(&s, "seq", (uint64_t)i * 1000000);
		cb_ku(&s, "t", 1);
		cb_kv(&s, "kind", "log");
		cb_text(&s, "x");
		cb_array(&s, 3);
		cb_bytes(&s, "0123456789012345678901234567890", (size_t)i * 6);
		cb_double(&s, 2.5);
		cb_map(&s, 0);
		ends[n_ends++] = s.n;
	}
	cbor_scan_reset(&sc);
	for (size_t avail = 1; avail <= s.n; avail++) {
		const char *why = NULL;
		long k = cbor_scan_item(&sc, s.b + start, avail - start, &why);

		if (!CHECK(k >= 0))
			break;
		if (k == 0)
			continue;
		if (!CHECK(found < n_ends))
			break;
		CHECK_INT(ends[found], start + (size_t)k);
		CHECK_INT(k, cbor_skip(s.b + start, (size_t)k));
		CHECK_INT(0, cbor_skip(s.b + start, (size_t)k - 1));
		start += (size_t)k;
		found++;
	}
	CHECK_INT(n_ends, found);
}

static void test_scan_refused(void)
{
	static const struct {
		const char *bytes;
		size_t len;
		const char *reason;	/* NULL: incomplete, 0 returned */
	} cases[] = {
		{ "\x1c", 1, "reserved additional information" },
		{ "\xff", 1, "unexpected break" },
		{ "\x9f\xff", 2, "indefinite length" },
		{ "\x5f\xff", 2, "indefinite length" },
		{ "\xc1\x00", 2, "tag" },
		{ "\xf8\x10", 2, "two-byte simple value below 32" },
		{ "\x5a\x00\x01\x00\x00", 5, "larger than 64 KiB" },
		{ "\x9b\xff\xff\xff\xff\xff\xff\xff\xff", 9, "larger than 64 KiB" },
		{ "\x99\xff\xfe", 3, "larger than 64 KiB" },
		{ "\xbb\x00\x00\x00\x00\x00\x00\x80\x00", 9, "larger than 64 KiB" },
		{ "\x19\x01", 2, NULL },
		{ "\x82\x01", 2, NULL },
		{ "\x63" "ab", 3, NULL },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct cbor_scan sc;
		const char *why = NULL;
		long k;

		cbor_scan_reset(&sc);
		k = cbor_scan_item(&sc, (const unsigned char *)cases[i].bytes, cases[i].len, &why);
		check_what = cases[i].reason ? cases[i].reason : cases[i].bytes;
		CHECK_INT(cases[i].reason ? -1 : 0, k);
		if (cases[i].reason)
			CHECK_HAS(why, cases[i].reason);
	}
	check_what = NULL;

	/* 64 KiB exactly is an item; one byte more is not. */
	{
		static unsigned char big[CBOR_ITEM_MAX + 1];
		struct cbor_scan sc;
		const char *why;
		size_t body = CBOR_ITEM_MAX - 5;

		big[0] = 0x5a;
		big[1] = (unsigned char)(body >> 24);
		big[2] = (unsigned char)(body >> 16);
		big[3] = (unsigned char)(body >> 8);
		big[4] = (unsigned char)body;
		cbor_scan_reset(&sc);
		CHECK_INT(0, cbor_scan_item(&sc, big, 1000, &why));
		CHECK_INT(CBOR_ITEM_MAX, cbor_scan_item(&sc, big, CBOR_ITEM_MAX, &why));
		body++;
		big[4] = (unsigned char)body;
		big[3] = (unsigned char)(body >> 8);
		big[2] = (unsigned char)(body >> 16);
		cbor_scan_reset(&sc);
		CHECK_INT(-1, cbor_scan_item(&sc, big, 5, &why));
	}
}

static void test_read_floats(void)
{
	static const struct {
		const char *bytes;
		size_t len;
		double want;
	} cases[] = {
		{ "\xf9\x3c\x00", 3, 1.0 },
		{ "\xf9\x00\x01", 3, 5.9604644775390625e-08 },
		{ "\xf9\x7b\xff", 3, 65504.0 },
		{ "\xf9\xc4\x00", 3, -4.0 },
		{ "\xf9\x7c\x00", 3, INFINITY },
		{ "\xf9\xfc\x00", 3, -INFINITY },
		{ "\xfa\x47\xc3\x50\x00", 5, 100000.0 },
		{ "\xfb\x3f\xb9\x99\x99\x99\x99\x99\x9a", 9, 0.1 },
	};
	struct cbor_val v;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK_INT(cases[i].len, cbor_read((const unsigned char *)cases[i].bytes, cases[i].len, &v));
		CHECK_INT(CBV_FLOAT, v.type);
		CHECK(v.f == cases[i].want);
		CHECK_INT(0, cbor_read((const unsigned char *)cases[i].bytes, cases[i].len - 1, &v));
	}
	CHECK_INT(3, cbor_read((const unsigned char *)"\xf9\x7e\x00", 3, &v));
	CHECK(isnan(v.f));
}

static void test_ack(void)
{
	static const struct {
		uint64_t seq;
		const char *bytes;
		size_t len;
	} cases[] = {
		{ 0, "\xa1\x63" "ack" "\x00", 6 },
		{ 23, "\xa1\x63" "ack" "\x17", 6 },
		{ 24, "\xa1\x63" "ack" "\x18\x18", 7 },
		{ 256, "\xa1\x63" "ack" "\x19\x01\x00", 8 },
		{ 65536, "\xa1\x63" "ack" "\x1a\x00\x01\x00\x00", 10 },
		{ 4294967296ull, "\xa1\x63" "ack" "\x1b\x00\x00\x00\x01\x00\x00\x00\x00", 14 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned char buf[RECORD_ACK_MAX];
		struct cbor_load_result res;
		cbor_item_t *item;
		size_t n = record_ack(buf, cases[i].seq);

		CHECK_INT(cases[i].len, n);
		CHECK_MEM(cases[i].bytes, buf, cases[i].len);
		/* And libcbor, the agent's decoder, reads it back. */
		item = cbor_load(buf, n, &res);
		if (CHECK(item && cbor_isa_map(item) && cbor_map_size(item) == 1)) {
			struct cbor_pair *p = cbor_map_handle(item);

			CHECK(cbor_isa_string(p->key) && cbor_string_length(p->key) == 3);
			CHECK(cbor_isa_uint(p->value) && cbor_get_int(p->value) == cases[i].seq);
		}
		if (item)
			cbor_decref(&item);
	}
}

int main(void)
{
	test_log_record();
	test_text_escapes();
	test_values();
	test_refused();
	test_full();
	test_hello();
	test_hello_image();
	test_scan_resumable();
	test_scan_refused();
	test_read_floats();
	test_ack();
	return check_done();
}
