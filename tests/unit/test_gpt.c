/* gpt_find_partition on a real GPT made by sfdisk, then corrupted; and the
 * two helpers it rests on, crc32_update and hex_encode/hex_decode. */

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "crc32.h"
#include "gpt.h"
#include "hex.h"
#include "partuuid.h"

#define ROOT_TYPE "4f68bce3-e8cd-4db1-96e7-fbcaf984b709"
#define VERITY_TYPE "2c7357ed-ebd2-46d9-aec1-23d437ec2bf5"
#define ROOT_UUID "00010203-0405-0607-0809-0a0b0c0d0e0f"
#define VERITY_UUID "10111213-1415-1617-1819-1a1b1c1d1e1f"

/* The disk up to the end of the primary entry array (LBA 0-33): all that
 * gpt_find_partition reads. */
#define IMG_LEN (34 * 512)
#define HDR 512			/* LBA 1 */
#define ENTRIES 1024		/* LBA 2, 128 entries of 128 bytes */

static unsigned char root_type[16], verity_type[16], root_uuid[16], verity_uuid[16];

/* Runs gpt_find_partition over img[len] through a memfd. */
static int find(const unsigned char *img, size_t len, unsigned sector,
		const unsigned char *uuid, const unsigned char *type)
{
	int fd = memfd_create("stele-gpt", 0), r;

	if (fd < 0 || write(fd, img, len) != (ssize_t)len) {
		perror("memfd");
		exit(111);
	}
	r = gpt_find_partition(fd, sector, uuid, type);
	close(fd);
	return r;
}

/* sfdisk writes a two-partition DPS disk; its first IMG_LEN bytes go to img. */
static int make_disk(const char *sfdisk, unsigned char *img)
{
	static const char script[] =
		"label: gpt\n"
		"unit: sectors\n"
		"start=2048, size=2048, type=" ROOT_TYPE ", uuid=" ROOT_UUID ", name=root\n"
		"start=4096, size=2048, type=" VERITY_TYPE ", uuid=" VERITY_UUID ", name=root-verity\n";
	const char *tmp = getenv("TMPDIR");
	char dir[256], disk[512], in[512], cmd[2048];
	FILE *f;
	int fd, ok = 0;

	snprintf(dir, sizeof dir, "%s/stele-gpt-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!CHECK(mkdtemp(dir) != NULL))
		return 0;
	snprintf(disk, sizeof disk, "%s/disk", dir);
	snprintf(in, sizeof in, "%s/script", dir);
	f = fopen(in, "w");
	fd = open(disk, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (CHECK(f && fd >= 0) && CHECK(fputs(script, f) >= 0) &&
	    CHECK(ftruncate(fd, 8 << 20) == 0)) {
		fclose(f);
		f = NULL;
		snprintf(cmd, sizeof cmd, "%s -q --no-reread --no-tell-kernel %s < %s >/dev/null 2>&1",
			 sfdisk, disk, in);
		ok = CHECK(system(cmd) == 0) &&
		     CHECK(pread(fd, img, IMG_LEN, 0) == IMG_LEN);
	}
	if (f)
		fclose(f);
	if (fd >= 0)
		close(fd);
	unlink(in);
	unlink(disk);
	CHECK(rmdir(dir) == 0);
	return ok;
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Makes the header CRC right again over size bytes (the header size
 * field says how many), so that a test exercises a field, not the CRC. */
static void fix_header_crc(unsigned char *img, size_t size)
{
	put_le32(img + HDR + 16, 0);
	put_le32(img + HDR + 16, crc32_update(0, img + HDR, size));
}

static void set_header_field(unsigned char *img, size_t off, uint32_t v)
{
	put_le32(img + HDR + off, v);
	fix_header_crc(img, 92);
}

static void test_find(const unsigned char *disk)
{
	static const unsigned char unknown[16] = { 0x42 };

	CHECK_INT(1, find(disk, IMG_LEN, 512, root_uuid, NULL));
	CHECK_INT(1, find(disk, IMG_LEN, 512, root_uuid, root_type));
	CHECK_INT(2, find(disk, IMG_LEN, 512, verity_uuid, NULL));
	CHECK_INT(2, find(disk, IMG_LEN, 512, verity_uuid, verity_type));

	CHECK_INT(0, find(disk, IMG_LEN, 512, unknown, NULL));
	CHECK_INT(0, find(disk, IMG_LEN, 512, root_uuid, verity_type));
	CHECK_INT(0, find(disk, IMG_LEN, 512, verity_uuid, root_type));
	CHECK_INT(0, find(disk, IMG_LEN, 512, root_type, NULL));	/* a type is no uuid */

	/* By type alone (the root verity signature partition is found so). */
	CHECK_INT(1, find(disk, IMG_LEN, 512, NULL, root_type));
	CHECK_INT(2, find(disk, IMG_LEN, 512, NULL, verity_type));
	CHECK_INT(0, find(disk, IMG_LEN, 512, NULL, unknown));

	/* The wrong logical sector size finds no header. */
	CHECK_INT(0, find(disk, IMG_LEN, 4096, root_uuid, NULL));
	CHECK_INT(0, find(disk, IMG_LEN, 0, root_uuid, NULL));
	CHECK_INT(0, find(disk, IMG_LEN, 256, root_uuid, NULL));
	CHECK_INT(0, find(disk, IMG_LEN, 8192, root_uuid, NULL));
}

/* sfdisk and uuid_to_gpt_guid agree on the on-disk byte order. */
static void test_entry_bytes(const unsigned char *disk)
{
	CHECK_MEM(root_type, disk + ENTRIES, 16);
	CHECK_MEM(root_uuid, disk + ENTRIES + 16, 16);
	CHECK_MEM(verity_type, disk + ENTRIES + 128, 16);
	CHECK_MEM(verity_uuid, disk + ENTRIES + 128 + 16, 16);
}

/* The scan is bounded at 1024 entries, even for a table whose CRCs are
 * right: a larger one is refused. */
static void test_entry_count_bound(const unsigned char *disk)
{
	static unsigned char img[ENTRIES + 1025 * 128];

	memset(img, 0, sizeof img);
	memcpy(img, disk, IMG_LEN);
	put_le32(img + HDR + 88, crc32_update(0, img + ENTRIES, 1024 * 128));
	set_header_field(img, 80, 1024);
	CHECK_INT(1, find(img, sizeof img, 512, root_uuid, NULL));

	/* An entry far into the array (the entries are read in chunks). */
	memcpy(img + ENTRIES + 500 * 128, img + ENTRIES, 128);
	memset(img + ENTRIES, 0, 128);
	put_le32(img + HDR + 88, crc32_update(0, img + ENTRIES, 1024 * 128));
	set_header_field(img, 80, 1024);
	CHECK_INT(501, find(img, sizeof img, 512, root_uuid, NULL));
	memcpy(img + ENTRIES, img + ENTRIES + 500 * 128, 128);
	memset(img + ENTRIES + 500 * 128, 0, 128);

	put_le32(img + HDR + 88, crc32_update(0, img + ENTRIES, 1025 * 128));
	set_header_field(img, 80, 1025);
	CHECK_INT(0, find(img, sizeof img, 512, root_uuid, NULL));
}

static void test_corruption(const unsigned char *disk)
{
	static const struct { const char *where; size_t off; } flips[] = {
		{ "header signature", HDR + 0 },
		{ "header revision", HDR + 8 },
		{ "header CRC", HDR + 16 },
		{ "header first usable LBA", HDR + 40 },
		{ "header disk GUID", HDR + 56 },
		{ "header entry array CRC", HDR + 88 },
		{ "entry 1 type", ENTRIES + 0 },
		{ "entry 1 name", ENTRIES + 56 },
		{ "entry 2 first LBA", ENTRIES + 128 + 32 },
		{ "unused entry 128", ENTRIES + 127 * 128 + 100 },
	};
	unsigned char img[IMG_LEN];

	for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
		memcpy(img, disk, IMG_LEN);
		img[flips[i].off] ^= 0x01;
		check_what = flips[i].where;
		CHECK_INT(0, find(img, IMG_LEN, 512, root_uuid, NULL));
		CHECK_INT(0, find(img, IMG_LEN, 512, verity_uuid, verity_type));
	}
	check_what = NULL;

	/* Bounds from the header are checked even when its CRC is right. */
	memcpy(img, disk, IMG_LEN);
	set_header_field(img, 80, 2000);	/* entry count */
	CHECK_INT(0, find(img, IMG_LEN, 512, root_uuid, NULL));
	memcpy(img, disk, IMG_LEN);
	set_header_field(img, 84, 64);		/* entry size */
	CHECK_INT(0, find(img, IMG_LEN, 512, root_uuid, NULL));
	memcpy(img, disk, IMG_LEN);		/* 192 is not 128 * 2^n ... */
	put_le32(img + HDR + 88, crc32_update(0, img + ENTRIES, 2 * 192));
	put_le32(img + HDR + 80, 2);		/* ... even with both CRCs right */
	set_header_field(img, 84, 192);
	CHECK_INT(0, find(img, IMG_LEN, 512, root_uuid, NULL));
	memcpy(img, disk, IMG_LEN);
	set_header_field(img, 72, 1000000);	/* entry array LBA, past the end */
	CHECK_INT(0, find(img, IMG_LEN, 512, root_uuid, NULL));
	memcpy(img, disk, IMG_LEN);		/* 2^55 + 2: LBA * 512 wraps to byte 1024 */
	put_le32(img + HDR + 76, 1u << 23);
	set_header_field(img, 72, 2);
	CHECK_INT(0, find(img, IMG_LEN, 512, root_uuid, NULL));
	memcpy(img, disk, IMG_LEN);
	put_le32(img + HDR + 12, 513);		/* header size larger than a sector */
	fix_header_crc(img, 513);
	CHECK_INT(0, find(img, IMG_LEN, 512, root_uuid, NULL));
	memcpy(img, disk, IMG_LEN);
	put_le32(img + HDR + 12, 91);		/* smaller than the defined fields */
	fix_header_crc(img, 91);
	CHECK_INT(0, find(img, IMG_LEN, 512, root_uuid, NULL));
	memcpy(img, disk, IMG_LEN);
	put_le32(img + HDR + 12, 96);		/* larger is allowed: covered by the CRC */
	fix_header_crc(img, 96);
	CHECK_INT(1, find(img, IMG_LEN, 512, root_uuid, NULL));

	/* A consistent smaller table is fine: the array CRC covers count
	 * entries, no more. */
	memcpy(img, disk, IMG_LEN);
	put_le32(img + HDR + 88, crc32_update(0, img + ENTRIES, 2 * 128));
	set_header_field(img, 80, 2);
	CHECK_INT(1, find(img, IMG_LEN, 512, root_uuid, NULL));
	CHECK_INT(2, find(img, IMG_LEN, 512, verity_uuid, verity_type));
	set_header_field(img, 80, 1);
	CHECK_INT(0, find(img, IMG_LEN, 512, root_uuid, NULL));

	test_entry_count_bound(disk);

	/* A disk that ends inside the entry array. */
	CHECK_INT(0, find(disk, ENTRIES + 2 * 128, 512, root_uuid, NULL));
	CHECK_INT(0, find(disk, HDR + 92, 512, root_uuid, NULL));

	memset(img, 0, IMG_LEN);
	CHECK_INT(0, find(img, IMG_LEN, 512, root_uuid, NULL));
	CHECK_INT(0, find(img, 0, 512, root_uuid, NULL));
}

/* The same table laid out with 4096-byte sectors: header at byte 4096,
 * entries at LBA 2 = byte 8192. */
static void test_4k_sectors(const unsigned char *disk)
{
	static unsigned char img[2 * 4096 + 128 * 128];

	memset(img, 0, sizeof img);
	memcpy(img + 4096, disk + HDR, 512);
	memcpy(img + 8192, disk + ENTRIES, 128 * 128);
	CHECK_INT(1, find(img, sizeof img, 4096, root_uuid, root_type));
	CHECK_INT(2, find(img, sizeof img, 4096, verity_uuid, NULL));
	CHECK_INT(0, find(img, sizeof img, 512, root_uuid, NULL));

	/* A header that claims to be larger than its sector, CRC and all: it
	 * must be refused before the CRC is taken over bytes never read. */
	put_le32(img + 4096 + 12, 4097);
	put_le32(img + 4096 + 16, 0);
	put_le32(img + 4096 + 16, crc32_update(0, img + 4096, 4097));
	CHECK_INT(0, find(img, sizeof img, 4096, root_uuid, NULL));
}

static void test_gpt(void)
{
	static unsigned char disk[IMG_LEN];
	char sfdisk[256];

	CHECK_INT(0, uuid_to_gpt_guid(ROOT_TYPE, root_type));
	CHECK_INT(0, uuid_to_gpt_guid(VERITY_TYPE, verity_type));
	CHECK_INT(0, uuid_to_gpt_guid(ROOT_UUID, root_uuid));
	CHECK_INT(0, uuid_to_gpt_guid(VERITY_UUID, verity_uuid));

	if (!check_find_tool("sfdisk", sfdisk, sizeof sfdisk)) {
		check_skip("sfdisk not installed: no GPT tests on a real disk");
		return;
	}
	if (!make_disk(sfdisk, disk))
		return;
	test_find(disk);
	test_entry_bytes(disk);
	test_corruption(disk);
	test_4k_sectors(disk);
}

/* --- crc32 ------------------------------------------------------------ */

static void test_crc32(void)
{
	static const char fox[] = "The quick brown fox jumps over the lazy dog";
	unsigned char bytes[256] = { 0 };

	CHECK_INT(0xCBF43926u, crc32_update(0, "123456789", 9));
	CHECK_INT(0x414FA339u, crc32_update(0, fox, strlen(fox)));
	CHECK_INT(0x190A55ADu, crc32_update(0, bytes, 32));
	CHECK_INT(0, crc32_update(0, "", 0));

	for (int i = 0; i < 256; i++)
		bytes[i] = (unsigned char)i;
	CHECK_INT(0x29058C73u, crc32_update(0, bytes, 256));
	/* Continuing over several buffers gives the CRC of the whole. */
	CHECK_INT(0x29058C73u, crc32_update(crc32_update(0, bytes, 100), bytes + 100, 156));
	CHECK_INT(0xCBF43926u, crc32_update(crc32_update(crc32_update(0, "1", 1), "2345", 4),
					    "6789", 4));
}

/* --- hex -------------------------------------------------------------- */

/* hex_decode over a heap copy of s, sized to its NUL, so ASan sees any
 * read past the end of the string. */
static int decode(unsigned char *out, size_t n, const char *s)
{
	char *copy = strdup(s);
	int r = hex_decode(out, n, copy);

	free(copy);
	return r;
}

static void test_hex(void)
{
	static const unsigned char some[5] = { 0x00, 0x7f, 0x80, 0xff, 0x0a };
	static const unsigned char beef[4] = { 0xde, 0xad, 0xbe, 0xef };
	static const char *const bad[] = {
		"", "0", "0g", "g0", "0 ", " 0", "-1", "0x", "+1", "1\n", "\xc3\xa9",
	};
	unsigned char all[256], back[256], out[4];
	char text[2 * 256 + 1], *exact;

	hex_encode(text, some, sizeof some);
	CHECK_STR("007f80ff0a", text);
	hex_encode(text, some, 0);
	CHECK_STR("", text);
	exact = malloc(2 * 4 + 1);
	hex_encode(exact, beef, 4);
	CHECK_STR("deadbeef", exact);
	free(exact);

	CHECK_INT(0, decode(out, 4, "deadbeef"));
	CHECK_MEM(beef, out, 4);
	CHECK_INT(0, decode(out, 4, "DEADBEEF"));
	CHECK_MEM(beef, out, 4);
	CHECK_INT(0, decode(out, 4, "DeAdBeEf"));
	CHECK_MEM(beef, out, 4);
	CHECK_INT(0, decode(out, 2, "deadbeef"));	/* exactly 2*n digits read */
	CHECK_MEM(beef, out, 2);
	CHECK_INT(0, decode(out, 0, ""));

	for (int i = 0; i < 256; i++)
		all[i] = (unsigned char)i;
	hex_encode(text, all, sizeof all);
	memset(back, 0, sizeof back);
	CHECK_INT(0, decode(back, sizeof back, text));
	CHECK_MEM(all, back, sizeof all);
	for (char *p = text; *p; p++)
		if (*p >= 'a')
			*p = (char)(*p - 'a' + 'A');
	memset(back, 0, sizeof back);
	CHECK_INT(0, decode(back, sizeof back, text));
	CHECK_MEM(all, back, sizeof all);

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		check_what = bad[i];
		CHECK_INT(-1, decode(out, 1, bad[i]));
	}
	check_what = "a bad digit late in the string";
	CHECK_INT(-1, decode(out, 4, "deadbeeg"));
	CHECK_INT(-1, decode(out, 4, "deadbe"));
	check_what = NULL;
}

int main(void)
{
	test_crc32();
	test_hex();
	test_gpt();
	return check_done();
}
