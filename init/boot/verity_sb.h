#ifndef STELE_VERITY_SB_H
#define STELE_VERITY_SB_H

#include <stddef.h>
#include <stdint.h>

/* veritysetup's on-disk superblock: 512 bytes at the start of the hash
 * device, little endian. The kernel never reads it; stage 1 turns it into
 * the dm-verity table. */
#define VERITY_SB_SIZE 512
#define VERITY_BLOCK_SIZE 4096
#define VERITY_SALT_MAX 256

struct verity_sb {
	uint32_t hash_type;
	uint8_t uuid[16];
	char algorithm[32];		/* NUL-terminated, on the allowlist */
	uint32_t data_block_size;
	uint32_t hash_block_size;
	uint64_t data_blocks;
	uint16_t salt_size;
	uint8_t salt[VERITY_SALT_MAX];
	size_t digest_size;		/* of algorithm */
};

/* Parses and validates the superblock in buf[len]. Only what stage 1 can
 * boot is accepted: version 1, hash type 1, 4096-byte blocks, an allowlisted
 * algorithm. Returns 0, or -1 with a one-line reason in why[REASON_MAX]. */
int verity_sb_parse(const unsigned char *buf, size_t len, struct verity_sb *sb, char *why);

/* Hash tree geometry as dm-verity computes it. The tree starts at hash
 * block 1, right after the superblock's block, top level first: so the
 * root hash is the digest of (salt, hash block 1), or of (salt, data
 * block 0) when levels is 0. */
#define VERITY_HASH_START_BLOCK 1

struct verity_geometry {
	unsigned levels;
	uint64_t hash_blocks;		/* blocks of the tree, all levels */
};

void verity_geometry(const struct verity_sb *sb, struct verity_geometry *g);

/* Checks that the superblock's data and tree fit the devices' sizes in
 * bytes. Returns 0, or -1 with a reason in why[REASON_MAX]. */
int verity_check_sizes(const struct verity_sb *sb, uint64_t data_bytes,
		       uint64_t hash_bytes, char *why);

#endif
