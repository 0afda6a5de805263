/* SMBIOS type 11 strings and systemd-style credentials in them. */
#include <string.h>

#include "check.h"
#include "smbios_cred.h"

static char seen[8][128];
static unsigned n_seen;

static void collect(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	if (n_seen < 8)
		snprintf(seen[n_seen++], sizeof seen[0], "%.*s", (int)n, s);
}

static int strings(const void *raw, size_t len)
{
	n_seen = 0;
	return smbios_strings(raw, len, collect, NULL);
}

static void test_strings(void)
{
	/* type 11, length 5, handle 0x1234, count 2, then the string set. */
	static const unsigned char two[] = "\x0b\x05\x34\x12\x02" "abc\0io.x=1\0";
	static const unsigned char none[] = "\x0b\x05\x34\x12\x00\0";
	static const unsigned char unterminated[] = { 0x0b, 5, 0, 0, 1, 'a', 'b' };
	static const unsigned char short_hdr[] = { 0x0b, 3, 0, 0 };

	CHECK_INT(2, strings(two, sizeof two));	/* sizeof counts the final NUL */
	CHECK_STR("abc", seen[0]);
	CHECK_STR("io.x=1", seen[1]);
	CHECK_INT(0, strings(none, sizeof none));
	CHECK_INT(-1, strings(unterminated, sizeof unterminated));
	CHECK_INT(-1, strings(short_hdr, sizeof short_hdr));
	CHECK_INT(-1, strings(two, 3));
	/* The formatted area claims more than there is. */
	CHECK_INT(-1, strings("\x0b\x40\0\0", 4));
}

static unsigned n_structs;
static size_t struct_len[4];

static void count(void *ctx, const unsigned char *s, size_t n)
{
	(void)ctx;
	(void)s;
	if (n_structs < 4)
		struct_len[n_structs] = n;
	n_structs++;
}

static void test_table(void)
{
	/* type 1 with one string, type 11 with two, type 11 with none, end. */
	static const unsigned char table[] =
		"\x01\x05\x00\x00\x01" "x\0\0"
		"\x0b\x05\x01\x00\x02" "a\0bc\0\0"
		"\x0b\x05\x02\x00\x00" "\0\0"
		"\x7f\x04\x03\x00" "\0\0";

	n_structs = 0;
	CHECK_INT(2, smbios_structures(table, sizeof table - 1, 11, count, NULL));
	CHECK_INT(11, struct_len[0]);
	CHECK_INT(7, struct_len[1]);
	/* Cut inside a string set, or a header claiming too much. */
	CHECK_INT(-1, smbios_structures(table, 12, 11, count, NULL));
	CHECK_INT(-1, smbios_structures((const unsigned char *)"\x0b\x40\0\0\0\0", 6, 11, count, NULL));
	CHECK_INT(0, smbios_structures(table, 0, 11, count, NULL));
}

static char name[CRED_NAME_MAX], why[160];
static unsigned char value[CRED_VALUE_MAX];
static size_t vlen;

static int parse(const char *s)
{
	check_what = s;
	vlen = 0;
	return cred_parse(s, strlen(s), name, value, &vlen, why);
}

static void test_creds(void)
{
	CHECK_INT(1, parse("io.systemd.credential:stele.collector=10.0.2.2:7514/collector"));
	CHECK_STR("stele.collector", name);
	CHECK_INT(23, vlen);
	CHECK_MEM("10.0.2.2:7514/collector", value, 23);
	CHECK_INT(1, parse("io.systemd.credential:empty="));
	CHECK_INT(0, vlen);
	CHECK_INT(1, parse("io.systemd.credential:a=b=c"));
	CHECK_MEM("b=c", value, 3);
	/* Binary: base64 of "hi\n\0x" and of "a", "ab", "abc". */
	CHECK_INT(1, parse("io.systemd.credential.binary:k=aGkKAHg="));
	CHECK_STR("k", name);
	CHECK_INT(5, vlen);
	CHECK_MEM("hi\n\0x", value, 5);
	CHECK_INT(1, parse("io.systemd.credential.binary:k=YQ=="));
	CHECK_INT(1, vlen);
	CHECK_INT(1, parse("io.systemd.credential.binary:k=YWI="));
	CHECK_INT(2, vlen);
	CHECK_INT(1, parse("io.systemd.credential.binary:k=YWJj"));
	CHECK_INT(3, vlen);
	CHECK_MEM("abc", value, 3);

	/* Not credentials at all. */
	CHECK_INT(0, parse("vendor string"));
	CHECK_INT(0, parse("io.systemd.credentialX:a=b"));
	CHECK_INT(0, parse(""));

	/* Malformed ones. */
	CHECK_INT(-1, parse("io.systemd.credential:noequals"));
	CHECK_HAS(why, "not NAME=VALUE");
	CHECK_INT(-1, parse("io.systemd.credential:=value"));
	CHECK_INT(-1, parse("io.systemd.credential:../etc/passwd=x"));
	CHECK_INT(-1, parse("io.systemd.credential:a/b=x"));
	CHECK_INT(-1, parse("io.systemd.credential:.hidden=x"));
	CHECK_INT(-1, parse("io.systemd.credential.binary:k=YQ="));
	CHECK_HAS(why, "bad base64");
	CHECK_INT(-1, parse("io.systemd.credential.binary:k=Y===") );
	CHECK_INT(-1, parse("io.systemd.credential.binary:k=YQ==YQ=="));
	CHECK_INT(-1, parse("io.systemd.credential.binary:k=Y Q=="));
}

/* Instance metadata: the same strings, one per line, LF or CR LF, blank
 * lines skipped, the last line with or without its LF. */
static void test_lines(void)
{
	static const char text[] = "a=1\r\n\n\nio.x=2\nlast";

	n_seen = 0;
	CHECK_INT(3, cred_lines(text, sizeof text - 1, collect, NULL));
	CHECK_STR("a=1", seen[0]);
	CHECK_STR("io.x=2", seen[1]);
	CHECK_STR("last", seen[2]);
	n_seen = 0;
	CHECK_INT(0, cred_lines("\r\n\n", 3, collect, NULL));
	CHECK_INT(0, cred_lines("\r", 1, collect, NULL));	/* a lone CR is an empty line */
	CHECK_INT(0, n_seen);
	CHECK_INT(0, cred_lines("", 0, collect, NULL));
}

int main(void)
{
	test_strings();
	test_table();
	test_creds();
	test_lines();
	return check_done();
}
