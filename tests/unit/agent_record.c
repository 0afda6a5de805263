/* The wire items of DESIGN.md 6 against CBOR bytes checked by hand
 * (RFC 8949 appendix A style: one line per data item in the comments). */
#include <string.h>

#include "check.h"
#include "record.h"

static unsigned char buf[1024];
static unsigned char want[1024];

/* Hex (spaces ignored) into want[]; returns the length. */
static size_t unhex(const char *hex)
{
	size_t n = 0;

	for (const char *p = hex; p[0] && p[1];) {
		unsigned v;

		if (*p == ' ') {
			p++;
			continue;
		}
		sscanf(p, "%2x", &v);
		want[n++] = (unsigned char)v;
		p += 2;
	}
	return n;
}

#define CHECK_CBOR(hex, len) do { \
	size_t wl_ = unhex(hex); \
	CHECK_INT(wl_, (len)); \
	CHECK_MEM(want, buf, wl_); \
} while (0)

static void test_hello(void)
{
	struct hello h = { "h", "b", "a", "00", NULL, NULL, NULL };

	CHECK_CBOR("a5 6176 01 64686f7374 6168 67626f6f745f6964 6162"
		   " 656167656e74 6161 68726f6f7468617368 623030",
		   record_hello(buf, sizeof buf, &h));
	CHECK_INT(0, record_hello(buf, 20, &h));	/* does not fit: 0, not half */

	/* The image's version and PCRs after the roothash; "" is left out. */
	h.version = "1.2";
	h.pcr11 = "";
	h.pcr15 = "ff";
	CHECK_CBOR("a7 6176 01 64686f7374 6168 67626f6f745f6964 6162"
		   " 656167656e74 6161 68726f6f7468617368 623030"
		   " 6776657273696f6e 63312e32 6570637231 35 626666",
		   record_hello(buf, sizeof buf, &h));
}

static void test_log(void)
{
	struct log_fields f = { .sev = 6, .fac = 1, .t_ns = -1, .app = "web", .app_len = 3, .pid = 7,
				.uid = -1, .msg = "hi", .msg_len = 2 };

	/* {"seq":1,"t":1000,"kind":"log","src":"service","app":"web","pid":7,
	 *  "sev":6,"fac":1,"stream":"out","msg":"hi"} */
	CHECK_CBOR("aa 63736571 01 6174 1903e8 646b696e64 636c6f67 63737263 6773657276696365"
		   " 63617070 63776562 63706964 07 63736576 06 63666163 01"
		   " 6673747265616d 636f7574 636d7367 626869",
		   record_log(buf, sizeof buf, 1, 1000, "service", &f, "out"));

	/* No app, no pid, a message that is not UTF-8 (a byte string), the
	 * source's own time, and a negative time would be a negint. */
	f.app_len = 0;
	f.pid = -1;
	f.msg = "\xff";
	f.msg_len = 1;
	f.t_ns = 24;
	CHECK_CBOR("a7 63736571 02 6174 1818 646b696e64 636c6f67 63737263 646b6d7367"
		   " 63736576 06 63666163 01 636d7367 41ff",
		   record_log(buf, sizeof buf, 2, 1000, "kmsg", &f, NULL));
}

static void test_event(void)
{
	/* {"seq":3,"t":-1,"kind":"event","event":"dropped","msg":"x","count":256} */
	CHECK_CBOR("a6 63736571 03 6174 20 646b696e64 656576656e74 656576656e74 6764726f70706564"
		   " 636d7367 6178 65636f756e74 190100",
		   record_event(buf, sizeof buf, 3, -1, "dropped", NULL, "x", 256));
	CHECK_CBOR("a4 63736571 04 6174 00 646b696e64 656576656e74 656576656e74 6161",
		   record_event(buf, sizeof buf, 4, 0, "a", NULL, NULL, -1));
}

static void test_metrics(void)
{
	struct metrics_record m;
	static const char *const cpu[] = { "cpu", "0" };

	/* {"seq":2,"t":0,"kind":"metrics","samples":[["node_load1",{},0.5],
	 *  ["c",{"cpu":"0"},42]]}, the array length in the two-byte form. */
	record_metrics_begin(&m, buf, sizeof buf, 2, 0);
	CHECK_INT(0, record_metrics_sample(&m, "node_load1", NULL, 0, 0.5));
	CHECK_INT(0, record_metrics_sample(&m, "c", cpu, 1, 42));
	CHECK_CBOR("a4 63736571 02 6174 00 646b696e64 676d657472696373 6773616d706c6573 990002"
		   " 83 6a6e6f64655f6c6f616431 a0 fb3fe0000000000000"
		   " 83 6163 a1 63637075 6130 182a",
		   record_metrics_end(&m));

	/* A sample that does not fit is taken back; the record stays valid. */
	record_metrics_begin(&m, buf, 60, 2, 0);
	CHECK_INT(0, record_metrics_sample(&m, "a", NULL, 0, 1));
	CHECK_INT(-1, record_metrics_sample(&m, "a_much_longer_metric_name_that_will_not_fit", NULL, 0, 1));
	CHECK_CBOR("a4 63736571 02 6174 00 646b696e64 676d657472696373 6773616d706c6573 990001"
		   " 83 6161 a0 01",
		   record_metrics_end(&m));
}

static void test_utf8(void)
{
	CHECK(utf8_valid("", 0));
	CHECK(utf8_valid("plain", 5));
	CHECK(utf8_valid("\xc3\xa9t\xc3\xa9", 6));		/* été */
	CHECK(utf8_valid("\xf0\x9f\x98\x80", 4));		/* U+1F600 */
	CHECK(!utf8_valid("\xc0\xaf", 2));			/* overlong '/' */
	CHECK(!utf8_valid("\xed\xa0\x80", 3));			/* surrogate */
	CHECK(!utf8_valid("\xf4\x90\x80\x80", 4));		/* > U+10FFFF */
	CHECK(!utf8_valid("\xe2\x82", 2));			/* truncated */
	CHECK(!utf8_valid("a\x80", 2));
}

int main(void)
{
	test_hello();
	test_log();
	test_event();
	test_metrics();
	test_utf8();
	return check_done();
}
