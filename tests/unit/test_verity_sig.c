/* verity_sig_parse: the DPS root verity signature partition (DESIGN.md §4),
 * as systemd-repart writes it: one JSON object, then NUL padding. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "cmdline.h"
#include "verity_sig.h"

#define RH "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define FP "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static struct verity_sig sig;
static char why[REASON_MAX];
static unsigned char part[2 * 4096];

/* Parses json padded with NULs to a 4096-byte multiple, as on disk. */
static int parse(const char *json)
{
	size_t n = strlen(json), len = (n / 4096 + 1) * 4096;

	check_what = json;
	memset(part, 0, sizeof part);
	memcpy(part, json, n);
	why[0] = '\0';
	return verity_sig_parse(part, len, &sig, why);
}

static void test_valid(void)
{
	static const unsigned char rh[32] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67,
		0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	};

	CHECK_INT(0, parse("{\"rootHash\":\"" RH "\",\"certificateFingerprint\":\"" FP
			   "\",\"signature\":\"AQID\"}"));
	CHECK_STR("", why);
	CHECK_MEM(rh, sig.roothash, 32);
	CHECK_INT(0xfe, sig.fingerprint[0]);
	CHECK_INT(3, sig.sig_len);
	CHECK_MEM("\x01\x02\x03", sig.sig, 3);
	/* Any order, whitespace between tokens, a trailing newline. */
	CHECK_INT(0, parse(" {\n\t\"signature\" : \"AQI=\" ,\r\n \"rootHash\": \"" RH
			   "\", \"certificateFingerprint\" :\"" FP "\" }\n"));
	CHECK_INT(2, sig.sig_len);
	CHECK_MEM(rh, sig.roothash, 32);
}

static void test_invalid(void)
{
	static const char *const bad[] = {
		"",
		"[]",
		"{}",
		"{\"rootHash\":\"" RH "\",\"certificateFingerprint\":\"" FP "\"}",
		"{\"rootHash\":\"" RH "\",\"signature\":\"AQID\"}",
		"{\"certificateFingerprint\":\"" FP "\",\"signature\":\"AQID\"}",
		/* duplicate, unknown, misspelt members */
		"{\"rootHash\":\"" RH "\",\"rootHash\":\"" RH "\",\"certificateFingerprint\":\""
			FP "\",\"signature\":\"AQID\"}",
		"{\"rootHash\":\"" RH "\",\"certificateFingerprint\":\"" FP
			"\",\"signature\":\"AQID\",\"x\":\"y\"}",
		"{\"roothash\":\"" RH "\",\"certificateFingerprint\":\"" FP "\",\"signature\":\"AQID\"}",
		/* bad values */
		"{\"rootHash\":\"" RH "0\",\"certificateFingerprint\":\"" FP "\",\"signature\":\"AQID\"}",
		"{\"rootHash\":\"" RH "\",\"certificateFingerprint\":\"" FP "\",\"signature\":\"\"}",
		"{\"rootHash\":\"" RH "\",\"certificateFingerprint\":\"" FP "\",\"signature\":\"AQI\"}",
		"{\"rootHash\":\"" RH "\",\"certificateFingerprint\":\"" FP "\",\"signature\":\"AQ=D\"}",
		"{\"rootHash\":\"" RH "\",\"certificateFingerprint\":\"xx\",\"signature\":\"AQID\"}",
		"{\"rootHash\":12,\"certificateFingerprint\":\"" FP "\",\"signature\":\"AQID\"}",
		/* escapes, malformed syntax, trailing data */
		"{\"rootHash\":\"" RH "\",\"certificateFingerprint\":\"" FP "\",\"signature\":\"AQ\\u0049D\"}",
		"{\"rootHash\":\"" RH "\",\"certificateFingerprint\":\"" FP "\",\"signature\":\"AQID\",}",
		"{\"rootHash\":\"" RH "\" \"certificateFingerprint\":\"" FP "\",\"signature\":\"AQID\"}",
		"{\"rootHash\":\"" RH "\",\"certificateFingerprint\":\"" FP "\",\"signature\":\"AQID\"",
		"{\"rootHash\":\"" RH "\",\"certificateFingerprint\":\"" FP "\",\"signature\":\"AQID\"}}",
		"{\"rootHash\":\"" RH "\",\"certificateFingerprint\":\"" FP "\",\"signature\":\"AQID}",
		"{\"rootHash\"\"" RH "\",\"certificateFingerprint\":\"" FP "\",\"signature\":\"AQID\"}",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_INT(-1, parse(bad[i]));
		CHECK_HAS(why, "root verity signature");
	}
	CHECK_INT(-1, parse("{\"rootHash\":\"" RH "\",\"x\":\"y\"}"));
	CHECK_HAS(why, "unknown member 'x'");
}

static void test_padding(void)
{
	const char *json = "{\"rootHash\":\"" RH "\",\"certificateFingerprint\":\"" FP
			   "\",\"signature\":\"AQID\"}";
	size_t n = strlen(json);

	CHECK_INT(0, parse(json));
	part[4000] = 'x';		/* not NUL after the JSON */
	CHECK_INT(-1, verity_sig_parse(part, 4096, &sig, why));
	CHECK_HAS(why, "after the NUL padding");
	memset(part, ' ', 4096);	/* no NUL at all */
	memcpy(part, json, n);
	CHECK_INT(-1, verity_sig_parse(part, 4096, &sig, why));
	CHECK_HAS(why, "NUL");
	CHECK_INT(-1, verity_sig_parse(part, VERITY_SIG_READ_MAX + 1, &sig, why));
	/* A signature larger than VERITY_SIG_MAX decoded is refused. */
	{
		static char big[VERITY_SIG_MAX * 2];
		static unsigned char buf[VERITY_SIG_READ_MAX];
		size_t b64 = (VERITY_SIG_MAX + 3) / 3 * 4, at;

		at = (size_t)snprintf(big, sizeof big, "{\"rootHash\":\"" RH
				      "\",\"certificateFingerprint\":\"" FP "\",\"signature\":\"");
		memset(big + at, 'A', b64);
		snprintf(big + at + b64, sizeof big - at - b64, "\"}");
		memset(buf, 0, sizeof buf);
		memcpy(buf, big, strlen(big));
		CHECK_INT(-1, verity_sig_parse(buf, sizeof buf, &sig, why));
		CHECK_HAS(why, "signature");
		/* Exactly VERITY_SIG_MAX bytes (a multiple of 3 is not needed). */
		b64 = VERITY_SIG_MAX / 3 * 4;
		memset(big + at, 'A', b64);
		snprintf(big + at + b64, sizeof big - at - b64, "\"}");
		memset(buf, 0, sizeof buf);
		memcpy(buf, big, strlen(big));
		CHECK_INT(0, verity_sig_parse(buf, sizeof buf, &sig, why));
		CHECK_INT(VERITY_SIG_MAX / 3 * 3, sig.sig_len);
	}
}

int main(void)
{
	test_valid();
	test_invalid();
	test_padding();
	return check_done();
}
