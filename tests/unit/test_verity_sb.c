/* The veritysetup superblock, the hash tree geometry, and device sizes.
 *
 * The bad superblocks are made from the valid one with a single field
 * changed, so each case shows exactly what is wrong with it. If veritysetup
 * is installed, real superblocks and hash devices are checked too. */

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "cmdline.h"
#include "verity_roothash.h"
#include "verity_sb.h"
#include "hex.h"

/* Field offsets of veritysetup's struct verity_sb (lib/verity/verity.c). */
enum {
	OFF_SIGNATURE = 0, OFF_VERSION = 8, OFF_HASH_TYPE = 12, OFF_UUID = 16,
	OFF_ALGORITHM = 32, OFF_DATA_BLOCK_SIZE = 64, OFF_HASH_BLOCK_SIZE = 68,
	OFF_DATA_BLOCKS = 72, OFF_SALT_SIZE = 80, OFF_SALT = 88,
};

static const unsigned char uuid[16] = {
	0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
	0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
};

static void put_le(unsigned char *p, size_t width, uint64_t v)
{
	for (size_t i = 0; i < width; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void salt_pattern(unsigned char *salt, size_t n)
{
	for (size_t i = 0; i < n; i++)
		salt[i] = (unsigned char)(0xa0 + i);
}

/* A superblock as `veritysetup format --hash=sha256` writes it. */
static void make_sb(unsigned char b[VERITY_SB_SIZE], uint64_t data_blocks)
{
	memset(b, 0, VERITY_SB_SIZE);
	memcpy(b + OFF_SIGNATURE, "verity\0\0", 8);
	put_le(b + OFF_VERSION, 4, 1);
	put_le(b + OFF_HASH_TYPE, 4, 1);
	memcpy(b + OFF_UUID, uuid, 16);
	memcpy(b + OFF_ALGORITHM, "sha256", 6);
	put_le(b + OFF_DATA_BLOCK_SIZE, 4, 4096);
	put_le(b + OFF_HASH_BLOCK_SIZE, 4, 4096);
	put_le(b + OFF_DATA_BLOCKS, 8, data_blocks);
	put_le(b + OFF_SALT_SIZE, 2, 32);
	salt_pattern(b + OFF_SALT, 32);
}

/* Parses len bytes from a heap copy of exactly that size, so that ASan
 * sees any read past the end. */
static int parse_exact(const unsigned char *b, size_t len, struct verity_sb *sb, char *why)
{
	unsigned char *copy = malloc(len ? len : 1);
	int r;

	memcpy(copy, b, len);
	r = verity_sb_parse(copy, len, sb, why);
	free(copy);
	return r;
}

static void test_valid(void)
{
	unsigned char b[VERITY_BLOCK_SIZE], salt[VERITY_SALT_MAX];
	struct verity_sb sb;
	char why[REASON_MAX];

	make_sb(b, 12345);
	salt_pattern(salt, sizeof salt);
	if (!CHECK_INT(0, parse_exact(b, VERITY_SB_SIZE, &sb, why)))
		return;
	CHECK_INT(1, sb.hash_type);
	CHECK_MEM(uuid, sb.uuid, 16);
	CHECK_STR("sha256", sb.algorithm);
	CHECK_INT(32, sb.digest_size);
	CHECK_INT(4096, sb.data_block_size);
	CHECK_INT(4096, sb.hash_block_size);
	CHECK_INT(12345, sb.data_blocks);
	CHECK_INT(32, sb.salt_size);
	CHECK_MEM(salt, sb.salt, 32);

	/* A whole hash block, as stage 1 reads it, parses the same. */
	memset(b + VERITY_SB_SIZE, 0xee, sizeof b - VERITY_SB_SIZE);
	CHECK_INT(0, parse_exact(b, sizeof b, &sb, why));
	CHECK_INT(12345, sb.data_blocks);

	/* The edges of what is accepted. */
	make_sb(b, 1);
	put_le(b + OFF_SALT_SIZE, 2, 0);
	CHECK_INT(0, parse_exact(b, VERITY_SB_SIZE, &sb, why));
	CHECK_INT(1, sb.data_blocks);
	CHECK_INT(0, sb.salt_size);

	make_sb(b, 1ULL << 40);
	put_le(b + OFF_SALT_SIZE, 2, VERITY_SALT_MAX);
	salt_pattern(b + OFF_SALT, VERITY_SALT_MAX);
	CHECK_INT(0, parse_exact(b, VERITY_SB_SIZE, &sb, why));
	CHECK_INT(1ULL << 40, sb.data_blocks);
	CHECK_INT(VERITY_SALT_MAX, sb.salt_size);
	CHECK_MEM(salt, sb.salt, VERITY_SALT_MAX);
}

/* One field changed from the valid superblock. */
struct bad_sb {
	const char *change;
	size_t off;
	size_t width;		/* little-endian integer of this many bytes ... */
	uint64_t value;
	const char *text;	/* ... or, when width is 0, this text, NUL-padded */
	const char *named;	/* what the reason must mention */
};

static const struct bad_sb bad[] = {
	{ "signature Verity", OFF_SIGNATURE, 0, 0, "Verity", "signature" },
	{ "signature without NULs", OFF_SIGNATURE, 0, 0, "verity  ", "signature" },
	{ "version 2", OFF_VERSION, 4, 2, NULL, "version" },
	{ "version 0", OFF_VERSION, 4, 0, NULL, "version" },
	{ "hash type 0 (Chrome OS)", OFF_HASH_TYPE, 4, 0, NULL, "hash type" },
	{ "hash type 2", OFF_HASH_TYPE, 4, 2, NULL, "hash type" },
	{ "algorithm md5", OFF_ALGORITHM, 0, 0, "md5", "algorithm" },
	{ "algorithm sha1", OFF_ALGORITHM, 0, 0, "sha1", "algorithm" },
	{ "algorithm SHA256", OFF_ALGORITHM, 0, 0, "SHA256", "algorithm" },
	{ "algorithm empty", OFF_ALGORITHM, 0, 0, "", "algorithm" },
	{ "algorithm unterminated", OFF_ALGORITHM, 0, 0, "sha256sha256sha256sha256sha256sh", "algorithm" },
	{ "data block size 512", OFF_DATA_BLOCK_SIZE, 4, 512, NULL, "block size" },
	{ "data block size 8192", OFF_DATA_BLOCK_SIZE, 4, 8192, NULL, "block size" },
	{ "hash block size 512", OFF_HASH_BLOCK_SIZE, 4, 512, NULL, "block size" },
	{ "hash block size 8192", OFF_HASH_BLOCK_SIZE, 4, 8192, NULL, "block size" },
	{ "data blocks 0", OFF_DATA_BLOCKS, 8, 0, NULL, "data block count" },
	{ "data blocks 2^40 + 1", OFF_DATA_BLOCKS, 8, (1ULL << 40) + 1, NULL, "data block count" },
	{ "data blocks 2^41", OFF_DATA_BLOCKS, 8, 1ULL << 41, NULL, "data block count" },
	{ "data blocks 2^64 - 1", OFF_DATA_BLOCKS, 8, UINT64_MAX, NULL, "data block count" },
	{ "salt size 257", OFF_SALT_SIZE, 2, 257, NULL, "salt size" },
	{ "salt size 65535", OFF_SALT_SIZE, 2, 65535, NULL, "salt size" },
};

/* A fixed-size text field: text, then NULs up to size (none if it fills it). */
static void pad_text(unsigned char *field, size_t size, const char *text)
{
	memset(field, 0, size);
	memcpy(field, text, strlen(text));
}

static void test_bad_fields(void)
{
	unsigned char b[VERITY_SB_SIZE];
	struct verity_sb sb;
	char why[REASON_MAX];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		make_sb(b, 256);
		if (bad[i].width)
			put_le(b + bad[i].off, bad[i].width, bad[i].value);
		else
			pad_text(b + bad[i].off, bad[i].off == OFF_SIGNATURE ? 8 : 32, bad[i].text);
		check_what = bad[i].change;
		CHECK_INT(-1, parse_exact(b, sizeof b, &sb, why));
		CHECK_HAS(why, bad[i].named);
	}

	check_what = "truncated superblock";
	make_sb(b, 256);
	CHECK_INT(-1, parse_exact(b, VERITY_SB_SIZE - 1, &sb, why));
	CHECK_HAS(why, "truncated");
	CHECK_INT(-1, parse_exact(b, 0, &sb, why));
	CHECK_HAS(why, "truncated");
	check_what = NULL;
}

static void geometry_of(uint64_t data_blocks, struct verity_geometry *g)
{
	unsigned char b[VERITY_SB_SIZE];
	struct verity_sb sb;
	char why[REASON_MAX];

	make_sb(b, data_blocks);
	CHECK_INT(0, verity_sb_parse(b, sizeof b, &sb, why));
	verity_geometry(&sb, g);
}

/* sha256 in 4096-byte blocks: 128 digests per hash block. */
static void test_geometry(void)
{
	static const struct { uint64_t data_blocks; unsigned levels; uint64_t hash_blocks; } cases[] = {
		{ 1, 0, 0 },			/* the root hash is the data block's digest */
		{ 2, 1, 1 },
		{ 128, 1, 1 },
		{ 129, 2, 2 + 1 },
		{ 16384, 2, 128 + 1 },
		{ 16385, 3, 129 + 2 + 1 },
		{ 2097152, 3, 16384 + 128 + 1 },
		{ 2097153, 4, 16385 + 129 + 2 + 1 },
		{ 1ULL << 40, 6, (1ULL << 33) + (1ULL << 26) + (1ULL << 19) + (1ULL << 12) + 32 + 1 },
	};
	char what[64];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct verity_geometry g;

		snprintf(what, sizeof what, "data_blocks %llu", (unsigned long long)cases[i].data_blocks);
		check_what = what;
		geometry_of(cases[i].data_blocks, &g);
		CHECK_INT(cases[i].levels, g.levels);
		CHECK_INT(cases[i].hash_blocks, g.hash_blocks);
	}
	check_what = NULL;
}

static void test_sizes(void)
{
	unsigned char b[VERITY_SB_SIZE];
	struct verity_sb sb;
	char why[REASON_MAX];
	const uint64_t B = VERITY_BLOCK_SIZE;

	/* 129 data blocks: a superblock block and 2 + 1 tree blocks. */
	make_sb(b, 129);
	if (!CHECK_INT(0, verity_sb_parse(b, sizeof b, &sb, why)))
		return;
	CHECK_INT(0, verity_check_sizes(&sb, 129 * B, 4 * B, why));
	CHECK_INT(0, verity_check_sizes(&sb, 129 * B + B - 1, 4 * B, why));
	CHECK_INT(0, verity_check_sizes(&sb, 1000 * B, 100 * B, why));

	CHECK_INT(-1, verity_check_sizes(&sb, 128 * B, 4 * B, why));
	CHECK_HAS(why, "data");
	CHECK_INT(-1, verity_check_sizes(&sb, 129 * B - 1, 4 * B, why));
	CHECK_HAS(why, "data");
	CHECK_INT(-1, verity_check_sizes(&sb, 0, 4 * B, why));
	CHECK_HAS(why, "data");

	CHECK_INT(-1, verity_check_sizes(&sb, 129 * B, 4 * B - 1, why));
	CHECK_HAS(why, "truncated");
	CHECK_INT(-1, verity_check_sizes(&sb, 129 * B, 3 * B, why));
	CHECK_HAS(why, "truncated");
	CHECK_INT(-1, verity_check_sizes(&sb, 129 * B, 0, why));
	CHECK_HAS(why, "truncated");

	/* One data block: no tree, but the superblock's block is still needed. */
	make_sb(b, 1);
	CHECK_INT(0, verity_sb_parse(b, sizeof b, &sb, why));
	CHECK_INT(0, verity_check_sizes(&sb, B, B, why));
	CHECK_INT(-1, verity_check_sizes(&sb, B, B - 1, why));
	CHECK_HAS(why, "truncated");

	/* The largest accepted device, with the tree of the geometry test: no
	 * overflow in the byte counts. */
	make_sb(b, 1ULL << 40);
	CHECK_INT(0, verity_sb_parse(b, sizeof b, &sb, why));
	CHECK_INT(0, verity_check_sizes(&sb, (1ULL << 40) * B,
					 (1 + 8657571873ULL) * B, why));
	CHECK_INT(-1, verity_check_sizes(&sb, (1ULL << 40) * B,
					  (1 + 8657571873ULL) * B - 1, why));
	CHECK_HAS(why, "truncated");
}

/* --- against the real tool ------------------------------------------- */

static long long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long long)st.st_size : -1;
}

#define SALT_HEX "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
#define UUID_TEXT "12345678-9abc-def0-1234-56789abcdef0"

/* The root hash veritysetup printed must match the top of its tree as
 * stage 1 computes it; one bit off must not. */
static void check_roothash(const char *dir, const char *data, const char *hash,
			   const struct verity_sb *sb)
{
	char path[512], line[256], hex[65] = "", why[REASON_MAX];
	unsigned char root[32];
	int dfd, hfd;
	FILE *f;

	snprintf(path, sizeof path, "%s/out", dir);
	if (!CHECK((f = fopen(path, "r")) != NULL))
		return;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "Root hash: %64s", hex) == 1)
			break;
	fclose(f);
	if (!CHECK_INT(0, hex_decode(root, sizeof root, hex)))
		return;
	dfd = open(data, O_RDONLY);
	hfd = open(hash, O_RDONLY);
	if (CHECK(dfd >= 0 && hfd >= 0)) {
		CHECK_INT(0, verity_check_roothash(sb, dfd, hfd, root, sizeof root, why));
		root[31] ^= 1;
		CHECK_INT(-1, verity_check_roothash(sb, dfd, hfd, root, sizeof root, why));
		CHECK_HAS(why, "root hash mismatch");
		CHECK_INT(-1, verity_check_roothash(sb, dfd, hfd, root, 20, why));
		CHECK_HAS(why, "roothash=");
	}
	if (dfd >= 0)
		close(dfd);
	if (hfd >= 0)
		close(hfd);
}

/* veritysetup format over a sparse data file of n blocks, then the
 * superblock it wrote must parse, and its hash device size must be what
 * the geometry says. */
static void check_veritysetup(const char *tool, const char *dir, uint64_t n)
{
	char data[512], hash[512], cmd[2048], what[64];
	unsigned char b[VERITY_SB_SIZE], salt[32];
	struct verity_sb sb;
	struct verity_geometry g;
	char why[REASON_MAX];
	int fd;

	snprintf(what, sizeof what, "veritysetup format, %llu data blocks", (unsigned long long)n);
	check_what = what;
	snprintf(data, sizeof data, "%s/data", dir);
	snprintf(hash, sizeof hash, "%s/hash", dir);
	unlink(hash);
	fd = open(data, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (!CHECK(fd >= 0))
		return;
	CHECK(ftruncate(fd, (off_t)(n * VERITY_BLOCK_SIZE)) == 0);
	close(fd);
	snprintf(cmd, sizeof cmd, "%s format --hash=sha256 --salt=" SALT_HEX " --uuid=" UUID_TEXT
		 " %s %s >%s/out 2>&1", tool, data, hash, dir);
	if (!CHECK(system(cmd) == 0))
		return;

	fd = open(hash, O_RDONLY);
	if (!CHECK(fd >= 0))
		return;
	CHECK(read(fd, b, sizeof b) == (ssize_t)sizeof b);
	close(fd);
	if (!CHECK_INT(0, verity_sb_parse(b, sizeof b, &sb, why)))
		return;
	salt_pattern(salt, sizeof salt);
	CHECK_INT(n, sb.data_blocks);
	CHECK_INT(32, sb.salt_size);
	CHECK_MEM(salt, sb.salt, 32);
	CHECK_MEM(uuid, sb.uuid, 16);
	CHECK_STR("sha256", sb.algorithm);

	verity_geometry(&sb, &g);
	CHECK_INT((1 + g.hash_blocks) * VERITY_BLOCK_SIZE, file_size(hash));
	CHECK_INT(0, verity_check_sizes(&sb, (uint64_t)file_size(data),
					(uint64_t)file_size(hash), why));
	CHECK_INT(-1, verity_check_sizes(&sb, (uint64_t)file_size(data),
					 (uint64_t)file_size(hash) - 1, why));
	check_roothash(dir, data, hash, &sb);
}

static void test_veritysetup(void)
{
	static const uint64_t sizes[] = { 1, 2, 128, 129, 256, 16384, 16385 };
	char tool[256], dir[256], path[512];
	const char *tmp = getenv("TMPDIR");

	if (!check_find_tool("veritysetup", tool, sizeof tool)) {
		check_skip("veritysetup not installed: no cross-check with real superblocks");
		return;
	}
	snprintf(dir, sizeof dir, "%s/stele-verity-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!CHECK(mkdtemp(dir) != NULL))
		return;
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
		check_veritysetup(tool, dir, sizes[i]);
	check_what = NULL;
	snprintf(path, sizeof path, "%s/data", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/hash", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/out", dir);
	unlink(path);
	CHECK(rmdir(dir) == 0);
}

int main(void)
{
	test_valid();
	test_bad_fields();
	test_geometry();
	test_sizes();
	test_veritysetup();
	return check_done();
}
