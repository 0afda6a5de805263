#include "dm_verity.h"

#include <stdio.h>
#include <sys/sysmacros.h>

#include "cmdline.h"
#include "hex.h"
#include "verity_sig.h"

static const struct { unsigned bit; const char *arg; } target_options[] = {
	{ VERITY_RESTART_ON_CORRUPTION, "restart_on_corruption" },
	{ VERITY_PANIC_ON_CORRUPTION, "panic_on_corruption" },
	{ VERITY_IGNORE_ZERO_BLOCKS, "ignore_zero_blocks" },
	{ VERITY_CHECK_AT_MOST_ONCE, "check_at_most_once" },
};

#define N_OPTIONS (sizeof target_options / sizeof target_options[0])

/* Writes " N opt..." for the options set in bits and the signature key,
 * or "" when there are none. */
static void format_options(char *out, size_t cap, unsigned bits, int sig)
{
	size_t n = sig ? 2 : 0, len;

	for (size_t i = 0; i < N_OPTIONS; i++)
		n += !!(bits & target_options[i].bit);
	out[0] = '\0';
	if (n == 0)
		return;
	len = (size_t)snprintf(out, cap, " %zu", n);
	for (size_t i = 0; i < N_OPTIONS && len < cap; i++)
		if (bits & target_options[i].bit)
			len += (size_t)snprintf(out + len, cap - len, " %s", target_options[i].arg);
	if (sig && len < cap)
		snprintf(out + len, cap - len, " root_hash_sig_key_desc " VERITY_SIG_KEY_DESC);
}

int dm_verity_params(char *buf, size_t cap, const struct verity_target *t)
{
	char root[2 * ROOTHASH_MAX + 1], salt[2 * VERITY_SALT_MAX + 1] = "-";
	char opts[128];
	int n;

	if (t->roothash_len > ROOTHASH_MAX)
		return -1;
	hex_encode(root, t->roothash, t->roothash_len);
	if (t->sb->salt_size)
		hex_encode(salt, t->sb->salt, t->sb->salt_size);
	format_options(opts, sizeof opts, t->opts, t->sig != NULL);

	n = snprintf(buf, cap, "%u %u:%u %u:%u %u %u %llu %u %s %s %s%s",
		     t->sb->hash_type, major(t->data_dev), minor(t->data_dev),
		     major(t->hash_dev), minor(t->hash_dev), t->sb->data_block_size,
		     t->sb->hash_block_size, (unsigned long long)t->sb->data_blocks,
		     VERITY_HASH_START_BLOCK, t->sb->algorithm, root, salt, opts);
	return n < 0 || (size_t)n >= cap ? -1 : n;
}
