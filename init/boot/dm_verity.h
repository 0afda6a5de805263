#ifndef STELE_DM_VERITY_H
#define STELE_DM_VERITY_H

#include <stddef.h>
#include <sys/types.h>

#include "dm_ioctl.h"
#include "verity_sb.h"

struct verity_target {
	dev_t data_dev;
	dev_t hash_dev;
	const struct verity_sb *sb;
	const unsigned char *roothash;
	size_t roothash_len;
	unsigned opts;			/* VERITY_* bits of verity_opts.h */
	/* A PKCS#7 signature of the root hash (hex text), or NULL: passed
	 * as the user key VERITY_SIG_KEY_DESC, which the kernel checks
	 * against its trusted keys when it loads the table. */
	const unsigned char *sig;
	size_t sig_len;
};

/* Formats the dm-verity target parameters for t into buf[cap]:
 * "1 DATA HASH 4096 4096 BLOCKS 1 ALG ROOTHASH SALT [N OPT...]", the
 * options ending "root_hash_sig_key_desc KEY" when t->sig is set.
 * Returns the length, or -1 if cap is too small. */
int dm_verity_params(char *buf, size_t cap, const struct verity_target *t);

/* Creates the read-only device-mapper device NAME with a single verity
 * target over the data blocks, and resumes it. On success *dev is its
 * device number. Returns 0, or -1 with a reason in why[REASON_MAX]; a
 * half-made device is removed again. With t->sig, the signature is in the
 * calling process's keyring only while the table loads. */
int dm_verity_create(const char *name, const struct verity_target *t, dev_t *dev, char *why);

#endif
