#ifndef STELE_CMDLINE_H
#define STELE_CMDLINE_H

#include <stddef.h>

#include "power.h"
#include "verity_opts.h"

/* PID 1's own parameters of the kernel command line, for both stages.
 * Longest kernel command line stage 1 accepts (x86 COMMAND_LINE_SIZE). */
#define CMDLINE_MAX 2048
#define DEVSPEC_MAX 128
#define ROOTHASH_MAX 64		/* bytes: sha512 would fit, sha256 is used */

struct boot_config {
	unsigned char roothash[ROOTHASH_MAX];
	size_t roothash_len;		/* 0: no roothash= given */
	enum verity_sig_policy verity_sig;
	char data_dev[DEVSPEC_MAX];	/* "" means: find by PARTUUID */
	char hash_dev[DEVSPEC_MAX];
	unsigned verity_opts;
	enum power_action on_failure;
	unsigned device_timeout_s;
	unsigned watchdog_s;		/* hardware watchdog timeout; 0: not armed */
	char hostname[64];
	/* Interactive-login requests seen, space separated, for one log line. */
	char refused[REASON_MAX];
};

/* Parses a kernel command line (as in /proc/cmdline) into cfg, which is
 * first set to the defaults. Unknown parameters are ignored: they belong to
 * the kernel or to later stages. Returns 0, or -1 with a one-line reason in
 * why (at least REASON_MAX bytes) naming the offending parameter.
 * on_failure is valid even when -1 is returned, so a bad command line is
 * refused with the action it asked for where that part parsed. A missing
 * roothash= is not an error here: stage 1 may take it from a signature. */
int cmdline_parse(const char *line, struct boot_config *cfg, char *why);

#endif
