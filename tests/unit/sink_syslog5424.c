/* A record's JSON line as an RFC 5424 message (sink/syslog5424.c): known
 * answers for each kind and each field's limits, and every message read
 * back by an independent check of RFC 5424's grammar (rfc5424_check.h). */

#include <string.h>

#include "check.h"
#include "rfc5424_check.h"
#include "syslog5424.h"

#define BOOT "3f2a0c1d-9b8e-4f00-a1b2-c3d4e5f60718"
#define HEAD "{\"host\":\"alpha\",\"boot_id\":\"" BOOT "\",\"seq\":17,"
#define SD "[stele@32473 boot=\"" BOOT "\" seq=\"17\"]"

static char out[1 << 16];

static const char *format(const char *line, size_t cap, int *rc, const char **why)
{
	size_t len = 0;

	*why = NULL;
	*rc = syslog5424_format(line, strlen(line), out, cap, &len, why);
	out[len] = '\0';
	if (*rc == 1 && memchr(out, '\0', len) == NULL) {
		const char *bad = rfc5424_check(out, len);

		if (!CHECK(bad == NULL))
			check_print_str("not RFC 5424", bad);
	}
	return out;
}

static void expect_cap(const char *line, size_t cap, const char *want)
{
	const char *why;
	int rc;

	check_what = line;
	CHECK_STR(want, format(line, cap, &rc, &why));
	if (!CHECK_INT(1, rc))
		check_print_str("why", why);
	check_what = NULL;
}

static void expect(const char *line, const char *want)
{
	expect_cap(line, sizeof out, want);
}

static void expect_refused(const char *line, int want_rc, const char *reason)
{
	const char *why;
	int rc;

	check_what = line;
	format(line, sizeof out, &rc, &why);
	CHECK_INT(want_rc, rc);
	if (reason)
		CHECK_HAS(why, reason);
	check_what = NULL;
}

static void test_log(void)
{
	expect(HEAD "\"t\":1764590000123456789,\"kind\":\"log\",\"src\":\"service\",\"app\":\"web\","
		    "\"pid\":212,\"sev\":6,\"fac\":3,\"msg\":\"listening on :80\"}\n",
	       "<30>1 2025-12-01T11:53:20.123456Z alpha web 212 service " SD " listening on :80");
	/* Microseconds cut, not rounded; facility and severity at their ends. */
	expect(HEAD "\"t\":999999,\"kind\":\"log\",\"src\":\"kmsg\",\"app\":\"kernel\","
		    "\"sev\":7,\"fac\":23,\"msg\":\"x\"}",
	       "<191>1 1970-01-01T00:00:00.000999Z alpha kernel - kmsg " SD " x");
	expect(HEAD "\"t\":-5,\"kind\":\"log\",\"sev\":0,\"fac\":0,\"msg\":\"before\"}",
	       "<0>1 1969-12-31T23:59:59.999999Z alpha - - - " SD " before");
	/* Out of range or missing: user.notice, and NILVALUEs. */
	expect(HEAD "\"kind\":\"log\",\"sev\":8,\"fac\":3,\"msg\":\"m\"}",
	       "<13>1 - alpha - - - " SD " m");
	expect(HEAD "\"kind\":\"log\",\"sev\":3,\"fac\":24}", "<13>1 - alpha - - - " SD);
	expect(HEAD "\"kind\":\"log\",\"sev\":-1,\"fac\":1.5,\"t\":1e3,\"pid\":-1,\"msg\":\"\"}",
	       "<13>1 - alpha - - - " SD);
	expect("{\"kind\":\"log\",\"t\":18446744073709551615,\"msg\":\"m\"}",
	       "<13>1 - - - - - [stele@32473] m");
	/* msg_b64: its bytes, as they are. */
	expect(HEAD "\"kind\":\"log\",\"sev\":6,\"fac\":3,\"msg_b64\":\"/25vdCB1dGYtOAo=\"}",
	       "<30>1 - alpha - - - " SD " \xffnot utf-8\n");
	expect(HEAD "\"kind\":\"log\",\"app_b64\":\"d2Vi/w==\",\"msg\":\"m\"}",
	       "<13>1 - alpha web_ - - " SD " m");
	/* Text decoded from its escapes; MSG is any UTF-8. */
	expect(HEAD "\"kind\":\"log\",\"msg\":\"tab\\there \\\"q\\\" \\u00e9 \\ud83d\\ude00 ]\"}",
	       "<13>1 - alpha - - - " SD " tab\there \"q\" \xc3\xa9 \xf0\x9f\x98\x80 ]");
}

static void test_fields(void)
{
	char line[2048], want[2048], longname[301];

	/* Outside PRINTUSASCII: one '_' per character. */
	expect("{\"host\":\"h o\\u0000st\",\"kind\":\"log\",\"app\":\"caf\\u00e9 \\ud83d\\ude00!\","
	       "\"src\":\"a\\tb\",\"msg\":\"m\"}",
	       "<13>1 - h_o_st caf___! - a_b [stele@32473] m");
	expect("{\"host\":\"\",\"kind\":\"log\",\"app\":\"\",\"src\":\"\",\"msg\":\"m\"}",
	       "<13>1 - - - - - [stele@32473] m");
	/* Cut at 255, 48, 32 (PROCID is a number, at most 20). */
	memset(longname, 'a', 300);
	longname[300] = '\0';
	snprintf(line, sizeof line, "{\"host\":\"%s\",\"kind\":\"log\",\"app\":\"%s\",\"src\":\"%s\","
		 "\"pid\":18446744073709551615,\"msg\":\"m\"}", longname, longname, longname);
	snprintf(want, sizeof want, "<13>1 - %.255s %.48s 18446744073709551615 %.32s [stele@32473] m",
		 longname, longname, longname);
	expect(line, want);
	/* PARAM-VALUE: '"' '\' ']' escaped, cut at 64 bytes at a character. */
	expect("{\"boot_id\":\"a\\\"b\\\\c]d=e f\",\"seq\":0,\"kind\":\"log\",\"msg\":\"m\"}",
	       "<13>1 - - - - - [stele@32473 boot=\"a\\\"b\\\\c\\]d=e f\" seq=\"0\"] m");
	snprintf(line, sizeof line, "{\"boot_id\":\"%.63s\\u00e9xyz\",\"kind\":\"log\"}", longname);
	snprintf(want, sizeof want, "<13>1 - - - - - [stele@32473 boot=\"%.63s\"]", longname);
	expect(line, want);
	snprintf(line, sizeof line, "{\"boot_id\":\"%.62s\\u00e9xyz\",\"kind\":\"log\"}", longname);
	snprintf(want, sizeof want, "<13>1 - - - - - [stele@32473 boot=\"%.62s\xc3\xa9\"]", longname);
	expect(line, want);
}

static void test_events(void)
{
	expect(HEAD "\"t\":1700000000000000007,\"kind\":\"event\",\"event\":\"agent_started\"}",
	       "<29>1 2023-11-14T22:13:20.000000Z alpha stele - agent_started " SD " agent_started");
	expect(HEAD "\"t\":1700000000000000007,\"kind\":\"event\",\"event\":\"dropped\",\"app\":\"web\","
		    "\"msg\":\"syslog records over the service's share\",\"count\":12}",
	       "<28>1 2023-11-14T22:13:20.000000Z alpha stele - dropped "
	       "[stele@32473 boot=\"" BOOT "\" seq=\"17\" app=\"web\" count=\"12\"] "
	       "syslog records over the service's share");
	expect(HEAD "\"kind\":\"invalid\",\"reason\":\"record: \\\"t\\\" missing\",\"raw_b64\":\"oA==\"}",
	       "<28>1 - alpha stele - invalid " SD " record: \"t\" missing");
	expect_refused(HEAD "\"t\":1,\"kind\":\"metrics\",\"samples\":[[\"node_load1\",{},0.25]]}", 0, NULL);
	expect_refused(HEAD "\"kind\":\"future\"}", 0, NULL);
}

static void test_refused(void)
{
	expect_refused("", -1, "empty");
	expect_refused("{\"kind\":\"log\"", -1, "object not closed");
	expect_refused("[1]", -1, "not a JSON object");
	expect_refused("{\"host\":\"h\"}", -1, "\"kind\"");
	expect_refused("{\"kind\":7}", -1, "\"kind\"");
	expect_refused("{\"kind\":\"log\",\"msg_b64\":\"abc\"}", -1, "msg_b64");
	expect_refused("{\"kind\":\"log\",\"msg_b64\":\"ab!=\"}", -1, "msg_b64");
	CHECK_INT(-1, syslog5424_format("{}", 2, out, SYSLOG5424_MIN - 1, &(size_t){ 0 },
					&(const char *){ NULL }));
}

static void test_truncated(void)
{
	char line[8192], want[8192];
	char msg[4000];
	size_t room = 100;

	/* 98 'x', then an e-acute that does not fit in the 99 bytes left (one
	 * for json_string's NUL): cut before it. */
	memset(msg, 'x', 98);
	strcpy(msg + 98, "\\u00e9tail");
	snprintf(line, sizeof line, "{\"kind\":\"log\",\"msg\":\"%s\"}", msg);
	snprintf(want, sizeof want, "<13>1 - - - - - [stele@32473 truncated=\"1\"] %.98s", msg);
	expect_cap(line, SYSLOG5424_HEAD_MAX + room, want);
	/* Exactly fits: not cut. */
	msg[99] = '\0';
	memset(msg, 'y', 99);
	snprintf(line, sizeof line, "{\"kind\":\"log\",\"msg\":\"%s\"}", msg);
	snprintf(want, sizeof want, "<13>1 - - - - - [stele@32473] %s", msg);
	expect_cap(line, SYSLOG5424_HEAD_MAX + room, want);
	/* msg_b64: whole groups of what fitted, decoded. 33 groups of "eHh4"
	 * ("xxx") in 99 bytes: 24 groups fit (96 chars), 72 bytes. */
	strcpy(msg, "");
	for (int i = 0; i < 33; i++)
		strcat(msg, "eHh4");
	snprintf(line, sizeof line, "{\"kind\":\"log\",\"msg_b64\":\"%s\"}", msg);
	memset(msg, 'x', 72);
	msg[72] = '\0';
	snprintf(want, sizeof want, "<13>1 - - - - - [stele@32473 truncated=\"1\"] %s", msg);
	expect_cap(line, SYSLOG5424_HEAD_MAX + room, want);
}

/* The grammar check itself refuses what it must. */
static void test_checker(void)
{
	static const char *const bad[] = {
		"<192>1 - - - - - -", "<01>1 - - - - - -", "<1>2 - - - - - -", "<1>1  - - - - -",
		"<1>1 2025-12-01T11:53:20.1234567Z - - - - -", "<1>1 - h\x01 - - - -",
		"<1>1 - - - - - [a b]", "<1>1 - - - - - [a b=\"]\"]", "<1>1 - - - - - [a=b]",
		"<1>1 - - - - - [a", "<1>1 - - - - - x", "<1>1 - - - - - -x",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		check_what = bad[i];
		CHECK(rfc5424_check(bad[i], strlen(bad[i])) != NULL);
	}
	check_what = NULL;
	CHECK(rfc5424_check("<1>1 - - - - - -", 16) == NULL);
	CHECK(rfc5424_check("<1>1 - - - - - [a b=\"\\]\"][c] m", 29) == NULL);
}

int main(void)
{
	test_checker();
	test_log();
	test_fields();
	test_events();
	test_refused();
	test_truncated();
	return check_done();
}
