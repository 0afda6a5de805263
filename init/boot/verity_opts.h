#ifndef STELE_VERITY_OPTS_H
#define STELE_VERITY_OPTS_H

/* stele.verity_sig=: whether a root verity signature partition must exist.
 * One that exists is always passed to the kernel, which checks it. */
enum verity_sig_policy { VERITY_SIG_OPTIONAL, VERITY_SIG_REQUIRED };

/* Bits of boot_config.verity_opts (stele.verity=), veritysetup's option
 * names. */
enum {
	VERITY_RESTART_ON_CORRUPTION = 1 << 0,
	VERITY_PANIC_ON_CORRUPTION = 1 << 1,
	VERITY_IGNORE_ZERO_BLOCKS = 1 << 2,
	VERITY_CHECK_AT_MOST_ONCE = 1 << 3,
};

#endif
