#ifndef STELE_MODULES_TABLE_H
#define STELE_MODULES_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "modules.h"

/* Which of the initramfs's modules this machine needs. image/initrd-modules
 * writes, beside load.list (every module, dependencies first):
 *   alias.list   "PATTERN FILE.ko" a line: the kernel's modules.alias
 *                lines of those modules whose pattern is a device modalias
 *   deps.list    "FILE.ko [DEP.ko...]" a line: what each one needs
 *   always.list  "FILE.ko" a line: loaded on every machine (device-mapper,
 *                dm-verity, erofs: no device asks for them)
 *   late.list    "FILE.ko" a line: not needed to reach the root (NICs, the
 *                power button, input, RNG): loaded after the root is
 *                mounted, by a child of PID 1 that outlives the switch to
 *                stage 2, so they are not on the boot's critical path
 * Module sets are bit masks over load.list's order (MODULES_MAX is 64). */

#define MODULE_ALIAS_LIST "alias.list"
#define MODULE_DEPS_LIST "deps.list"
#define MODULE_ALWAYS_LIST "always.list"
#define MODULE_LATE_LIST "late.list"
#define MODULE_ALIASES_MAX 512
#define MODULE_PATTERN_MAX 160		/* with NUL */
#define MODULE_TABLE_TEXT_MAX 65536	/* the largest of the three files */

struct module_alias {
	char pattern[MODULE_PATTERN_MAX];	/* a glob, as modprobe matches them */
	unsigned char module;			/* index in files */
};

struct module_table {
	struct module_list files;
	size_t n_alias;
	struct module_alias alias[MODULE_ALIASES_MAX];
	uint64_t deps[MODULES_MAX];	/* bit j of deps[i]: i needs files[j] */
	uint64_t always;
	uint64_t late;
};

/* Each parses its file's text[len] into t, whose files are parsed already;
 * a module a line names must be in files. A last line may lack its
 * newline. Returns 0, or -1 with a reason naming the file and line in
 * why[REASON_MAX]. */
int module_table_aliases(struct module_table *t, const char *text, size_t len, char *why);
int module_table_deps(struct module_table *t, const char *text, size_t len, char *why);
int module_table_always(struct module_table *t, const char *text, size_t len, char *why);
int module_table_late(struct module_table *t, const char *text, size_t len, char *why);

/* The modules this machine needs: those whose alias matches one of the
 * devices' modalias[n], but for those in skip (the late ones, before the
 * root), what they need, and the always ones. matched[k] is set to 1
 * where device k matched an alias (skipped or not), else 0. */
uint64_t module_table_wanted(const struct module_table *t, const char *const *modalias, size_t n,
			     uint64_t skip, unsigned char *matched);

/* The buses the aliases of the modules not in skip are for, space
 * separated into out[cap], each once, and always "pci" (disks and NICs
 * live there, and a device nothing took is said): a pattern's bus is its
 * text before the first ':' or glob character ("acpi*:LNXPWRBN:*" is
 * acpi's). What does not fit is left out. */
void module_table_buses(const struct module_table *t, uint64_t skip, char *out, size_t cap);

/* 1 if s matches the glob p: '*', '?' and '[...]' (ranges, '!' or '^'
 * to negate), as fnmatch(3) without flags matches modalias patterns. */
int module_glob(const char *p, const char *s);

/* Of wanted, those not loaded yet whose dependencies all are: one round
 * of loads that may run at once. */
uint64_t module_table_ready(const struct module_table *t, uint64_t wanted, uint64_t loaded);

#endif
