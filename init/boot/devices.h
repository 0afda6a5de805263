#ifndef STELE_DEVICES_H
#define STELE_DEVICES_H

#include <stdint.h>
#include <sys/types.h>

#include "cmdline.h"

struct block_dev {
	char path[DEVSPEC_MAX];		/* the /dev node it was opened as */
	int fd;				/* O_RDONLY; owned by the caller */
	dev_t dev;
	uint64_t size;			/* bytes */
};

/* Waits, up to cfg->device_timeout_s, for the verity data and hash devices:
 * the explicit systemd.verity_root_data=/_hash= specs, or else the DPS
 * partitions whose PARTUUIDs derive from the root hash. Returns 0 with both
 * opened, or -1 with a reason in why[REASON_MAX]. */
int devices_wait(const struct boot_config *cfg, struct block_dev *data,
		 struct block_dev *hash, char *why);

/* Opens the DPS root verity signature partition into *out: the first one
 * on the disk that holds the device near (a /dev path), or, with near
 * NULL, on any disk, waiting up to cfg->device_timeout_s for one to
 * appear. Returns 1 if found, 0 if not (no partition, or none by then). */
int devices_find_sig(const struct boot_config *cfg, const char *near, struct block_dev *out);

#endif
