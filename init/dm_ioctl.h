#ifndef STELE_DM_IOCTL_H
#define STELE_DM_IOCTL_H

#include <linux/dm-ioctl.h>
#include <stddef.h>

/* Device-mapper's ioctl buffer, shared by stage 1 (creating the verified
 * root) and stage 2 (watching it). */

#define DM_CONTROL "/dev/mapper/control"
#define DM_ROOT_NAME "root"		/* the verified root's device-mapper name */
/* Room for "1 M:m M:m 4096 4096 N 1 sha256 <128 hex> <512 hex> 5 opts". */
#define DM_TABLE_MAX 1024
#define DM_ALIGN8(n) (((n) + 7) & ~(size_t)7)

/* One buffer serves every ioctl, as in the kernel's dm-init.c: the header,
 * then (for a table load) one target spec and its parameter string. */
union dm_buffer {
	struct dm_ioctl io;
	unsigned char bytes[DM_ALIGN8(sizeof(struct dm_ioctl)) +
			    DM_ALIGN8(sizeof(struct dm_target_spec)) + DM_TABLE_MAX];
};

/* Clears b and fills its header for device name with flags. */
void dm_init(union dm_buffer *b, const char *name, unsigned flags);

#endif
