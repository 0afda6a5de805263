#include "verity_sb.h"

#include <stdio.h>
#include <string.h>

#include "power.h"
#include "le.h"

static const struct { const char *name; size_t digest; } allowed_algorithms[] = {
	{ "sha256", 32 },
};


static int algorithm_digest(const char *name, size_t *digest)
{
	for (size_t i = 0; i < sizeof allowed_algorithms / sizeof allowed_algorithms[0]; i++) {
		if (strcmp(name, allowed_algorithms[i].name) == 0) {
			*digest = allowed_algorithms[i].digest;
			return 0;
		}
	}
	return -1;
}

int verity_sb_parse(const unsigned char *buf, size_t len, struct verity_sb *sb, char *why)
{
	uint32_t version;

	memset(sb, 0, sizeof *sb);
	if (len < VERITY_SB_SIZE)
		return snprintf(why, REASON_MAX, "verity superblock truncated: %zu of 512 bytes", len), -1;
	if (memcmp(buf, "verity\0\0", 8) != 0)
		return snprintf(why, REASON_MAX, "no verity superblock on the hash device (bad signature)"), -1;
	version = le32(buf + 8);
	if (version != 1)
		return snprintf(why, REASON_MAX, "verity superblock version %u, expected 1", version), -1;
	sb->hash_type = le32(buf + 12);
	if (sb->hash_type != 1)
		return snprintf(why, REASON_MAX, "verity hash type %u, expected 1", sb->hash_type), -1;
	memcpy(sb->uuid, buf + 16, 16);
	if (memchr(buf + 32, '\0', 32) == NULL)
		return snprintf(why, REASON_MAX, "verity algorithm name not terminated"), -1;
	memcpy(sb->algorithm, buf + 32, 32);
	if (algorithm_digest(sb->algorithm, &sb->digest_size))
		return snprintf(why, REASON_MAX, "verity algorithm '%.31s' not allowed", sb->algorithm), -1;
	sb->data_block_size = le32(buf + 64);
	sb->hash_block_size = le32(buf + 68);
	if (sb->data_block_size != VERITY_BLOCK_SIZE || sb->hash_block_size != VERITY_BLOCK_SIZE)
		return snprintf(why, REASON_MAX, "verity block sizes %u/%u, expected 4096/4096",
				sb->data_block_size, sb->hash_block_size), -1;
	sb->data_blocks = le64(buf + 72);
	/* 2^40 blocks is 4 PiB: a bound that also keeps sector counts in range. */
	if (sb->data_blocks == 0 || sb->data_blocks > (1ULL << 40))
		return snprintf(why, REASON_MAX, "verity data block count %llu out of range",
				(unsigned long long)sb->data_blocks), -1;
	sb->salt_size = le16(buf + 80);
	if (sb->salt_size > VERITY_SALT_MAX)
		return snprintf(why, REASON_MAX, "verity salt size %u exceeds 256", sb->salt_size), -1;
	memcpy(sb->salt, buf + 88, sb->salt_size);
	return 0;
}

void verity_geometry(const struct verity_sb *sb, struct verity_geometry *g)
{
	unsigned bits = 0;
	uint64_t per_block = VERITY_BLOCK_SIZE / sb->digest_size;

	while ((1ULL << (bits + 1)) <= per_block)
		bits++;
	/* Same loop as dm-verity's constructor: enough levels that one block
	 * at the top covers every data block. */
	g->levels = 0;
	while (bits * g->levels < 64 && ((sb->data_blocks - 1) >> (bits * g->levels)))
		g->levels++;
	g->hash_blocks = 0;
	for (unsigned i = 0; i < g->levels; i++) {
		unsigned shift = bits * (i + 1);
		uint64_t n = shift >= 64 ? 1 : ((sb->data_blocks - 1) >> shift) + 1;

		g->hash_blocks += n;
	}
}

int verity_check_sizes(const struct verity_sb *sb, uint64_t data_bytes,
		       uint64_t hash_bytes, char *why)
{
	struct verity_geometry g;
	uint64_t need;

	if (sb->data_blocks > data_bytes / VERITY_BLOCK_SIZE)
		return snprintf(why, REASON_MAX,
				"data device holds %llu bytes, verity superblock needs %llu blocks",
				(unsigned long long)data_bytes,
				(unsigned long long)sb->data_blocks), -1;
	verity_geometry(sb, &g);
	need = (VERITY_HASH_START_BLOCK + g.hash_blocks) * VERITY_BLOCK_SIZE;
	if (hash_bytes < need)
		return snprintf(why, REASON_MAX,
				"hash device truncated: %llu bytes, hash tree needs %llu",
				(unsigned long long)hash_bytes, (unsigned long long)need), -1;
	return 0;
}
