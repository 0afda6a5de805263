#ifndef STELE_VERITY_ROOTHASH_H
#define STELE_VERITY_ROOTHASH_H

#include <stddef.h>

#include "verity_sb.h"

/* Checks the root hash against the top of the hash tree before the kernel
 * is handed the table, so a wrong roothash= is refused with a reason rather
 * than found by dm-verity at the first read. Returns 0, or -1 with a reason
 * in why[REASON_MAX]. */
int verity_check_roothash(const struct verity_sb *sb, int data_fd, int hash_fd,
			  const unsigned char *roothash, size_t len, char *why);

#endif
