/* --expect FILE: the images the fleet should run. Known answers for the
 * format, one fixture per fault (each named with file:line), the bounds,
 * and what matches: "*" anything, "-" not said, hex without case. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "image_expect.h"

#define H64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define P64 "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static struct image_expect x;
static char why[512];

static int parse(const char *text)
{
	why[0] = '\0';
	return image_expect_parse(&x, "fleet.expect", text, strlen(text), why, sizeof why);
}

static void test_good(void)
{
	CHECK_INT(0, parse("# version roothash pcr11\n"
			   "\n"
			   "1.4.2 " H64 " " P64 "\n"
			   "  1.4.2\t" H64 H64 "   -   # no TPM\n"
			   "* - *\n"
			   "2025.01~rc1+g3 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF "
			   "FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210FEDCBA9876543210"));
	CHECK_STR("", why);
	if (!CHECK_INT(4, x.n))
		return;
	CHECK_STR("1.4.2", x.e[0].version);
	CHECK_STR(H64, x.e[0].roothash);
	CHECK_STR(P64, x.e[0].pcr11);
	CHECK_STR(H64 H64, x.e[1].roothash);
	CHECK_STR("-", x.e[1].pcr11);
	CHECK_STR("*", x.e[2].version);
	CHECK_STR("-", x.e[2].roothash);
	CHECK_STR("*", x.e[2].pcr11);
	CHECK_STR("2025.01~rc1+g3", x.e[3].version);
	CHECK_STR(H64, x.e[3].roothash);	/* lowercase, as the agents send them */
	CHECK_STR(P64, x.e[3].pcr11);
}

static void test_bad(void)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "1.0 " H64, "fleet.expect:1: 2 fields, want three: VERSION ROOTHASH PCR11" },
		{ "# c\n1.0\n", "fleet.expect:2: 1 field, want three" },
		{ "1.0 " H64 " - x\n", "fleet.expect:1: more than three fields" },
		{ "\n\n-1 " H64 " -\n", "fleet.expect:3: version '-1': want 1 to 64 of" },
		{ "a/b " H64 " -\n", "fleet.expect:1: version 'a/b'" },
		{ "1.0 " H64 "0 -\n", "fleet.expect:1: roothash '" H64 "0': want 64 or 128 hex digits" },
		{ "1.0 xy -\n", "fleet.expect:1: roothash 'xy'" },
		{ "1.0 " H64 " " P64 "00\n", "fleet.expect:1: pcr11 '" P64 "00': want 64 hex digits" },
		{ "1.0 " H64 " 0x" P64 "\n", "fleet.expect:1: pcr11 '0x" P64 "'" },
		{ "1.0 " H64 " -\r\n", "fleet.expect:1: control character 0x0d at column 71" },
		{ "# \x01\n", "fleet.expect:1: control character 0x01 at column 3" },
		{ "1.0 " H64 " \xc3\xa9\n", "fleet.expect:1: pcr11 '?" "?': want" },
		{ "", "fleet.expect: no image listed" },
		{ "# nothing\n\n   \n", "fleet.expect: no image listed" },
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		check_what = bad[i].text;
		CHECK_INT(-1, parse(bad[i].text));
		CHECK_HAS(why, bad[i].why);
		CHECK_INT(0, x.n);
	}
	check_what = NULL;

	/* A NUL byte is a control character too. */
	CHECK_INT(-1, image_expect_parse(&x, "f", "1.0 - -\n\0", 9, why, sizeof why));
	CHECK_HAS(why, "f:2: control character 0x00 at column 1");
	/* A long version is quoted cut short. */
	CHECK_INT(-1, parse("0123456789012345678901234567890123456789012345678901234567890123456789"
			    "0123456789012345678901234567890123456789 - -\n"));
	CHECK_HAS(why, "version '01234567890123456789012345678901234567890123456789012345678901234567"
		  "890123456789...'");
}

static void test_bounds(void)
{
	static char text[IMAGE_EXPECT_MAX * 10 + 2000];
	size_t n = 0;

	for (int i = 0; i < IMAGE_EXPECT_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, "v%d - -\n", i);
	CHECK_INT(0, image_expect_parse(&x, "f", text, n, why, sizeof why));
	CHECK_INT(IMAGE_EXPECT_MAX, x.n);
	CHECK_STR("v1023", x.e[IMAGE_EXPECT_MAX - 1].version);
	n += (size_t)snprintf(text + n, sizeof text - n, "# more\nv - -\n");
	CHECK_INT(-1, image_expect_parse(&x, "f", text, n, why, sizeof why));
	CHECK_HAS(why, "f:1026: more than 1024 images");

	/* A line of IMAGE_EXPECT_LINE_MAX bytes is one; one more is refused. */
	memset(text, ' ', IMAGE_EXPECT_LINE_MAX);
	memcpy(text, "v - - #", 7);
	CHECK_INT(0, image_expect_parse(&x, "f", text, IMAGE_EXPECT_LINE_MAX, why, sizeof why));
	text[IMAGE_EXPECT_LINE_MAX] = ' ';
	CHECK_INT(-1, image_expect_parse(&x, "f", text, IMAGE_EXPECT_LINE_MAX + 1, why, sizeof why));
	CHECK_HAS(why, "f:1: line longer than 1024 bytes");
}

static void test_match(void)
{
	CHECK_INT(0, parse("1.0 " H64 " " P64 "\n"
			   "1.0 " H64 " -\n"
			   "2.0 * *\n"
			   "- - -\n"));
	CHECK_INT(1, image_expect_match(&x, "1.0", H64, P64));
	CHECK_INT(1, image_expect_match(&x, "1.0", "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"
					"0123456789ABCDEF", P64));	/* hex without case */
	CHECK_INT(1, image_expect_match(&x, "1.0", H64, ""));	/* no TPM */
	CHECK_INT(0, image_expect_match(&x, "1.0", H64, H64));	/* another PCR 11 */
	CHECK_INT(0, image_expect_match(&x, "1.0", P64, P64));	/* another root */
	CHECK_INT(0, image_expect_match(&x, "1.0", "", ""));
	CHECK_INT(0, image_expect_match(&x, "1.0.1", H64, P64));
	CHECK_INT(0, image_expect_match(&x, "1.O", H64, P64));
	CHECK_INT(1, image_expect_match(&x, "2.0", "", ""));	/* * takes nothing said too */
	CHECK_INT(1, image_expect_match(&x, "2.0", P64, H64));
	CHECK_INT(0, image_expect_match(&x, "2.00", P64, H64));
	CHECK_INT(1, image_expect_match(&x, "", "", ""));	/* an old agent, as - - - allows */
	CHECK_INT(0, image_expect_match(&x, "", H64, ""));
}

static void test_load(void)
{
	char path[] = "/tmp/collector_image_expect.XXXXXX";
	int fd = mkstemp(path);
	static char big[IMAGE_EXPECT_FILE_MAX + 1];

	if (!CHECK(fd >= 0))
		return;
	CHECK(write(fd, "1.0 - -\n", 8) == 8);
	CHECK_INT(0, image_expect_load(&x, path, why, sizeof why));
	CHECK_INT(1, x.n);
	CHECK(ftruncate(fd, 0) == 0);
	CHECK(lseek(fd, 0, SEEK_SET) == 0);
	memset(big, '\n', sizeof big);
	CHECK(write(fd, big, sizeof big) == (ssize_t)sizeof big);
	CHECK_INT(-1, image_expect_load(&x, path, why, sizeof why));
	CHECK_HAS(why, "larger than 1048576 bytes");
	close(fd);
	unlink(path);
	CHECK_INT(-1, image_expect_load(&x, path, why, sizeof why));
	CHECK_HAS(why, "No such file or directory");
}

int main(void)
{
	test_good();
	test_bad();
	test_bounds();
	test_match();
	test_load();
	return check_done();
}
