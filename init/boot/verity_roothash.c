#include "verity_roothash.h"

#include <bearssl_hash.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "power.h"

int verity_check_roothash(const struct verity_sb *sb, int data_fd, int hash_fd,
			  const unsigned char *roothash, size_t len, char *why)
{
	unsigned char block[VERITY_BLOCK_SIZE], digest[br_sha256_SIZE];
	struct verity_geometry g;
	br_sha256_context ctx;
	int fd;
	ssize_t n;

	if (len != sb->digest_size)
		return snprintf(why, REASON_MAX, "roothash= has %zu bytes, %s digests have %zu",
				len, sb->algorithm, sb->digest_size), -1;
	verity_geometry(sb, &g);
	fd = g.levels ? hash_fd : data_fd;
	n = pread(fd, block, sizeof block,
		  (off_t)(g.levels ? VERITY_HASH_START_BLOCK : 0) * VERITY_BLOCK_SIZE);
	if (n != (ssize_t)sizeof block)
		return snprintf(why, REASON_MAX, "cannot read the top of the hash tree: %s",
				n < 0 ? strerror(errno) : "short read"), -1;

	/* Format version 1: the salt comes before the block. */
	br_sha256_init(&ctx);
	br_sha256_update(&ctx, sb->salt, sb->salt_size);
	br_sha256_update(&ctx, block, sizeof block);
	br_sha256_out(&ctx, digest);
	if (memcmp(digest, roothash, len) != 0)
		return snprintf(why, REASON_MAX, "root hash mismatch: roothash= does not match the hash tree"), -1;
	return 0;
}
