#ifndef STELE_MODULES_H
#define STELE_MODULES_H

#include <stddef.h>
#include <sys/types.h>

/* Kernel modules in the initramfs, for a distro kernel that lacks some
 * drivers built in (DESIGN.md 2). image/build-image writes the modules to
 * MODULES_DIR and their file names, dependencies first, to MODULES_DIR/
 * MODULES_LIST; stele's own kernel has no module support and gets neither. */
#define MODULES_DIR "/lib/modules"
#define MODULES_LIST "load.list"
#define MODULES_MAX 64
#define MODULE_NAME_MAX 64		/* a file name, NUL included */
#define MODULES_LIST_MAX (MODULES_MAX * MODULE_NAME_MAX)

struct module_list {
	int count;
	char name[MODULES_MAX][MODULE_NAME_MAX];	/* "dm-verity.ko" */
};

/* Parses text[len], one file name a line: NAME.ko, NAME of letters,
 * digits, '_' and '-' (no path, no other suffix), at most MODULES_MAX of
 * them. A last line may lack its newline; an empty text is an empty list.
 * Returns 0, or -1 with a reason naming the line in why[REASON_MAX]. */
int modules_list_parse(const char *text, size_t len, struct module_list *list, char *why);

/* Loads, with finit_module(2), what this machine needs of the modules in
 * dir: with an alias table (modules_table.h), the modules its devices
 * match but the late ones, the always ones and their dependencies,
 * dependencies first and each round's independent ones at once; without
 * one, every module of dir/MODULES_LIST in order. One already loaded (EEXIST) is fine. No list
 * at all means no modules to load. The names loaded go, space separated,
 * into names[MODULES_NAMES_MAX]. Returns how many were loaded (0 without
 * a list), or -1 with a reason in why[REASON_MAX] that names the module:
 * "module X.ko missing from the initramfs", "cannot load module X.ko: ...". */
#define MODULES_NAMES_MAX 400
int modules_load(const char *dir, char *names, char *why);

/* After the root is mounted, before the initramfs is emptied: opens the
 * files of the modules not loaded yet (one missing is found missing when a
 * device wants it). Returns how many, or -1 with a reason in why. */
int modules_late_open(char *why);

/* After the switch to the verified root: forks the child that loads, from
 * those files, what the devices want now (the late modules and whatever a
 * late bus driver's devices need), at nice 19, and says "loaded N more
 * kernel modules after the root: ...". Its exit status is 0, or 1 when a
 * module a device needs is missing or refused (said, naming it). Returns
 * its pid; 0 when there is nothing to load, or when the fork failed and
 * they were loaded here; -1 with a reason in why when that failed. */
pid_t modules_late_start(char *why);

#endif
