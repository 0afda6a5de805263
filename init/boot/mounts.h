#ifndef STELE_MOUNTS_H
#define STELE_MOUNTS_H

#include <sys/types.h>

/* Mounts devtmpfs, proc and sysfs in the initramfs. Returns 0 or -1 (errno),
 * naming the mount point in why[REASON_MAX]. */
int mount_early(char *why);

/* Mounts the verified device dev read-only (erofs) at target, then tmpfs
 * (nosuid,nodev,noexec) on its /run, /tmp and /var. Returns 0 or -1. */
int mount_sealed_root(dev_t dev, const char *target, char *why);

/* Moves /dev, /proc and /sys under newroot, empties the initramfs, makes
 * newroot the root and enters it. After success only the new root is
 * reachable. Returns 0 or -1. */
int switch_root(const char *newroot, char *why);

#endif
