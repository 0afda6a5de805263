#include "dm_ioctl.h"

#include <stdio.h>
#include <string.h>

void dm_init(union dm_buffer *b, const char *name, unsigned flags)
{
	memset(b, 0, sizeof *b);
	b->io.version[0] = DM_VERSION_MAJOR;
	b->io.version[1] = 0;
	b->io.version[2] = 0;
	b->io.data_size = sizeof *b;
	b->io.data_start = DM_ALIGN8(sizeof(struct dm_ioctl));
	b->io.flags = flags;
	snprintf(b->io.name, sizeof b->io.name, "%s", name);
}
