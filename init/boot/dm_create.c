#include "dm_verity.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "power.h"
#include "dm_ioctl.h"
#include "verity_sig.h"

static int dm_ioctl(int fd, unsigned long cmd, union dm_buffer *b, const char *what, char *why)
{
	if (ioctl(fd, cmd, b) == 0)
		return 0;
	snprintf(why, REASON_MAX, "device-mapper %s failed: %s", what, strerror(errno));
	return -1;
}

/* dm-verity takes the signature from a user key that request_key() finds
 * from the process loading the table. The process keyring is this
 * process's alone and is not inherited across fork or exec; the key is
 * invalidated once the table is loaded (the target keeps its own copy). */
static int load_signed(int fd, union dm_buffer *b, const struct verity_target *t, char *why)
{
	long key = syscall(SYS_add_key, "user", VERITY_SIG_KEY_DESC, t->sig, t->sig_len,
			   KEY_SPEC_PROCESS_KEYRING);
	int rc;

	if (key < 0) {
		snprintf(why, REASON_MAX, "cannot put the root hash signature in the kernel "
			 "keyring: %s", strerror(errno));
		return -1;
	}
	rc = ioctl(fd, DM_TABLE_LOAD, b);
	if (rc < 0)
		snprintf(why, REASON_MAX, "the kernel refused the root hash signature "
			 "(device-mapper table load: %s)", strerror(errno));
	syscall(SYS_keyctl, KEYCTL_INVALIDATE, key);
	return rc < 0 ? -1 : 0;
}

static int dm_load_verity(int fd, const char *name, const struct verity_target *t, char *why)
{
	union dm_buffer b;
	struct dm_target_spec *spec;
	char *params;
	size_t room;

	dm_init(&b, name, DM_READONLY_FLAG);
	b.io.target_count = 1;
	spec = (struct dm_target_spec *)(b.bytes + b.io.data_start);
	spec->sector_start = 0;
	spec->length = t->sb->data_blocks * (t->sb->data_block_size / 512);
	snprintf(spec->target_type, sizeof spec->target_type, "verity");
	params = (char *)(spec + 1);
	room = sizeof b - (size_t)((unsigned char *)params - b.bytes);
	if (dm_verity_params(params, room, t) < 0) {
		snprintf(why, REASON_MAX, "dm-verity table too long");
		return -1;
	}
	if (!t->sig)
		return dm_ioctl(fd, DM_TABLE_LOAD, &b, "table load", why);
	return load_signed(fd, &b, t, why);
}

int dm_verity_create(const char *name, const struct verity_target *t, dev_t *dev, char *why)
{
	union dm_buffer b;
	int fd = open(DM_CONTROL, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		snprintf(why, REASON_MAX, "cannot open %s: %s", DM_CONTROL, strerror(errno));
		return -1;
	}
	dm_init(&b, name, 0);
	if (dm_ioctl(fd, DM_DEV_CREATE, &b, "create", why))
		goto out;
	*dev = (dev_t)b.io.dev;
	if (dm_load_verity(fd, name, t, why))
		goto remove;
	dm_init(&b, name, 0);
	if (dm_ioctl(fd, DM_DEV_SUSPEND, &b, "resume", why))
		goto remove;
	close(fd);
	return 0;
remove:
	dm_init(&b, name, 0);
	ioctl(fd, DM_DEV_REMOVE, &b);	/* best effort: the boot is failing anyway */
out:
	close(fd);
	return -1;
}
