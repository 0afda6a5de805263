/* DPS partition UUIDs from the root hash, and UUID strings to GPT bytes. */

#include <string.h>

#include "check.h"
#include "partuuid.h"

static void test_from_roothash(void)
{
	unsigned char hash[64];
	char root[UUID_STR_LEN], verity[UUID_STR_LEN];

	for (int i = 0; i < 64; i++)
		hash[i] = (unsigned char)i;

	/* sha256: first and last 128 bits, in string order. */
	partuuid_from_roothash(hash, 32, root, verity);
	CHECK_STR("00010203-0405-0607-0809-0a0b0c0d0e0f", root);
	CHECK_STR("10111213-1415-1617-1819-1a1b1c1d1e1f", verity);

	/* A longer hash: still the first and the last 16 bytes. */
	partuuid_from_roothash(hash, 64, root, verity);
	CHECK_STR("00010203-0405-0607-0809-0a0b0c0d0e0f", root);
	CHECK_STR("30313233-3435-3637-3839-3a3b3c3d3e3f", verity);

	/* Lowercase hex, as systemd writes and compares them. */
	memset(hash, 0xab, 32);
	hash[31] = 0xcd;
	partuuid_from_roothash(hash, 32, root, verity);
	CHECK_STR("abababab-abab-abab-abab-abababababab", root);
	CHECK_STR("abababab-abab-abab-abab-abababababcd", verity);
}

static void test_to_gpt_guid(void)
{
	/* The DPS x86-64 root type, as it lies in a GPT entry: the first three
	 * fields little endian, the last two as written. */
	static const unsigned char root_type[16] = {
		0xe3, 0xbc, 0x68, 0x4f, 0xcd, 0xe8, 0xb1, 0x4d,
		0x96, 0xe7, 0xfb, 0xca, 0xf9, 0x84, 0xb7, 0x09,
	};
	static const unsigned char counting[16] = {
		0x03, 0x02, 0x01, 0x00, 0x05, 0x04, 0x07, 0x06,
		0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
	};
	unsigned char guid[16];

	CHECK_INT(0, uuid_to_gpt_guid("4f68bce3-e8cd-4db1-96e7-fbcaf984b709", guid));
	CHECK_MEM(root_type, guid, 16);
	CHECK_INT(0, uuid_to_gpt_guid("4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709", guid));
	CHECK_MEM(root_type, guid, 16);
	CHECK_INT(0, uuid_to_gpt_guid("00010203-0405-0607-0809-0a0b0c0d0e0f", guid));
	CHECK_MEM(counting, guid, 16);
}

static void test_malformed(void)
{
	static const char *const bad[] = {
		"",
		"4f68bce3-e8cd-4db1-96e7-fbcaf984b70",		/* short */
		"4f68bce3-e8cd-4db1-96e7-fbcaf984b7090",	/* long */
		"4f68bce3-e8cd-4db1-96e7-fbcaf984b709 ",
		" 4f68bce3-e8cd-4db1-96e7-fbcaf984b709",
		"4f68bce3e-8cd-4db1-96e7-fbcaf984b709",		/* misplaced dash */
		"4f68bce3-e8cd4-db1-96e7-fbcaf984b709",
		"4f68bce3-e8cd-4db1-96e7f-bcaf984b709",
		"4f68bce3-e8cd-4db1-96e7-fbcaf984b7-9",
		"4f68bce3ee8cd-4db1-96e7-fbcaf984b709",		/* dash replaced */
		"4f68bce3-e8cd-4db1-96e7-fbcaf984b70g",		/* non-hex */
		"4f68bce3-e8cd-4db1-96e7-fbcaf984b7x9",
		"g f68bce3-e8cd-4db1-96e7-fbcaf984b70",
		"------------------------------------",
		"4f68bce34e8cd44db1496e74fbcaf984b709",
		"{4f68bce3-e8cd-4db1-96e7-fbcaf984b7}",
		"4f68bce3e8cd4db196e7fbcaf984b709",		/* no dashes */
	};
	unsigned char guid[16];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		check_what = bad[i];
		CHECK_INT(-1, uuid_to_gpt_guid(bad[i], guid));
	}
	check_what = NULL;
}

int main(void)
{
	test_from_roothash();
	test_to_gpt_guid();
	test_malformed();
	return check_done();
}
