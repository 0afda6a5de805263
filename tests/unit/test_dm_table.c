/* dm_verity_params: the dm-verity table line, as known answers. */

#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "check.h"
#include "cmdline.h"
#include "dm_verity.h"

#define ROOTHASH_HEX "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
#define SALT_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define PREFIX "1 254:1 254:2 4096 4096 1234 1 sha256 " ROOTHASH_HEX " "

static struct verity_sb sb;
static unsigned char roothash[ROOTHASH_MAX];
static struct verity_target t;

/* The superblock of a 1234-block image with a 32-byte salt 00..1f, on
 * 254:1 (data) and 254:2 (hash), root hash ff..ff, restart on corruption. */
static void setup(void)
{
	memset(&sb, 0, sizeof sb);
	sb.hash_type = 1;
	strcpy(sb.algorithm, "sha256");
	sb.data_block_size = 4096;
	sb.hash_block_size = 4096;
	sb.data_blocks = 1234;
	sb.salt_size = 32;
	for (int i = 0; i < 32; i++)
		sb.salt[i] = (unsigned char)i;
	sb.digest_size = 32;
	memset(roothash, 0xff, sizeof roothash);

	memset(&t, 0, sizeof t);
	t.data_dev = makedev(254, 1);
	t.hash_dev = makedev(254, 2);
	t.sb = &sb;
	t.roothash = roothash;
	t.roothash_len = 32;
	t.opts = VERITY_RESTART_ON_CORRUPTION;
}

static void check_table(const char *expected)
{
	char buf[DM_TABLE_MAX];

	check_what = expected;
	CHECK_INT(strlen(expected), dm_verity_params(buf, sizeof buf, &t));
	CHECK_STR(expected, buf);
	check_what = NULL;
}

static void test_known_answers(void)
{
	setup();
	check_table(PREFIX SALT_HEX " 1 restart_on_corruption");

	setup();
	sb.salt_size = 0;
	check_table(PREFIX "- 1 restart_on_corruption");

	setup();
	t.opts = VERITY_PANIC_ON_CORRUPTION | VERITY_IGNORE_ZERO_BLOCKS | VERITY_CHECK_AT_MOST_ONCE;
	check_table(PREFIX SALT_HEX " 3 panic_on_corruption ignore_zero_blocks check_at_most_once");

	setup();
	t.opts = VERITY_RESTART_ON_CORRUPTION | VERITY_IGNORE_ZERO_BLOCKS;
	check_table(PREFIX SALT_HEX " 2 restart_on_corruption ignore_zero_blocks");

	/* No option bits: no option count at all. */
	setup();
	t.opts = 0;
	check_table(PREFIX SALT_HEX);

	/* A signature: its key description, counted with the options. */
	setup();
	t.sig = (const unsigned char *)"\x30";
	t.sig_len = 1;
	check_table(PREFIX SALT_HEX " 3 restart_on_corruption root_hash_sig_key_desc stele:roothash-sig");
	t.opts = 0;
	check_table(PREFIX SALT_HEX " 2 root_hash_sig_key_desc stele:roothash-sig");

	/* Device numbers past 8 bits of minor, and other salts. */
	setup();
	t.data_dev = makedev(8, 1048575);
	t.hash_dev = makedev(4095, 0);
	sb.data_blocks = 1;
	sb.salt_size = 1;
	sb.salt[0] = 0xab;
	check_table("1 8:1048575 4095:0 4096 4096 1 1 sha256 " ROOTHASH_HEX " ab 1 restart_on_corruption");
}

static void test_roothash(void)
{
	static const char hex64[] =
		"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
		"202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f";
	char buf[DM_TABLE_MAX];

	setup();
	for (int i = 0; i < ROOTHASH_MAX; i++)
		roothash[i] = (unsigned char)i;
	check_table("1 254:1 254:2 4096 4096 1234 1 sha256 "
		    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f "
		    SALT_HEX " 1 restart_on_corruption");

	t.roothash_len = ROOTHASH_MAX;
	CHECK(dm_verity_params(buf, sizeof buf, &t) > 0);
	CHECK(strstr(buf, hex64) != NULL);

	t.roothash_len = ROOTHASH_MAX + 1;
	CHECK_INT(-1, dm_verity_params(buf, sizeof buf, &t));
}

/* The longest table stage 1 can be asked for fits DM_TABLE_MAX. */
static void test_largest(void)
{
	static const char head[] = "1 4095:1048575 4095:1048575 4096 4096 1099511627776 1 sha256 ";
	char buf[DM_TABLE_MAX];
	int n;

	setup();
	t.data_dev = makedev(4095, 1048575);
	t.hash_dev = makedev(4095, 1048575);
	t.roothash_len = ROOTHASH_MAX;
	t.opts = VERITY_RESTART_ON_CORRUPTION | VERITY_PANIC_ON_CORRUPTION |
		 VERITY_IGNORE_ZERO_BLOCKS | VERITY_CHECK_AT_MOST_ONCE;
	sb.data_blocks = 1ULL << 40;
	sb.salt_size = VERITY_SALT_MAX;
	memset(sb.salt, 0x5a, VERITY_SALT_MAX);
	n = dm_verity_params(buf, sizeof buf, &t);
	CHECK(n > 0 && n < DM_TABLE_MAX);
	CHECK(strncmp(buf, head, strlen(head)) == 0);
	CHECK(strstr(buf, " 4 restart_on_corruption panic_on_corruption ignore_zero_blocks "
			  "check_at_most_once") != NULL);
}

/* Every cap below the length + 1 fails, exactly length + 1 succeeds; each
 * buffer is a heap block of exactly cap bytes so ASan sees any overrun. */
static void test_small_buffers(void)
{
	static const char expected[] = PREFIX SALT_HEX " 1 restart_on_corruption";
	size_t len = strlen(expected);
	unsigned failed_caps = 0;

	setup();
	for (size_t cap = 0; cap <= len + 1; cap++) {
		char *buf = malloc(cap);	/* NULL is fine for cap 0 */
		int n = dm_verity_params(buf, cap, &t);

		if (cap <= len) {
			failed_caps += n == -1;
		} else {
			CHECK_INT(len, n);
			CHECK_STR(expected, buf);
		}
		free(buf);
	}
	CHECK_INT(len + 1, failed_caps);
}

int main(void)
{
	test_known_answers();
	test_roothash();
	test_largest();
	test_small_buffers();
	return check_done();
}
