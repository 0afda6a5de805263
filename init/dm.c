#include "dm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/dm-ioctl.h>
#include <linux/keyctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cmdline.h"
#include "verity_sig.h"

#define DM_CONTROL "/dev/mapper/control"
#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

/* One buffer serves every ioctl, as in the kernel's dm-init.c: the header,
 * then (for a table load) one target spec and its parameter string. */
union dm_buffer {
	struct dm_ioctl io;
	unsigned char bytes[ALIGN8(sizeof(struct dm_ioctl)) +
			    ALIGN8(sizeof(struct dm_target_spec)) + DM_TABLE_MAX];
};

static void dm_init(union dm_buffer *b, const char *name, unsigned flags)
{
	memset(b, 0, sizeof *b);
	b->io.version[0] = DM_VERSION_MAJOR;
	b->io.version[1] = 0;
	b->io.version[2] = 0;
	b->io.data_size = sizeof *b;
	b->io.data_start = ALIGN8(sizeof(struct dm_ioctl));
	b->io.flags = flags;
	snprintf(b->io.name, sizeof b->io.name, "%s", name);
}

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

/* The target's status line (flags 0) or its table (DM_STATUS_TABLE_FLAG)
 * into out[len]. Returns 0 or -1. */
static int dm_target_text(const char *name, unsigned flags, char *out, size_t len)
{
	union dm_buffer b;
	const struct dm_target_spec *spec;
	int fd = open(DM_CONTROL, O_RDWR | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	dm_init(&b, name, flags);
	rc = ioctl(fd, DM_TABLE_STATUS, &b);
	close(fd);
	if (rc < 0)
		return -1;
	if (b.io.target_count != 1 || b.io.data_start + sizeof *spec >= sizeof b) {
		errno = EPROTO;
		return -1;
	}
	spec = (const struct dm_target_spec *)(b.bytes + b.io.data_start);
	b.bytes[sizeof b - 1] = '\0';
	snprintf(out, len, "%s", (const char *)(spec + 1));
	return 0;
}

int dm_verity_status(const char *name)
{
	char text[16];

	if (dm_target_text(name, 0, text, sizeof text) < 0)
		return -1;
	return text[0] == 'V' ? 1 : 0;
}

int dm_verity_roothash(const char *name, char *hex, size_t len)
{
	char table[DM_TABLE_MAX], *w = table;

	if (dm_target_text(name, DM_STATUS_TABLE_FLAG, table, sizeof table) < 0)
		return -1;
	/* version data hash data_bs hash_bs blocks hash_start alg DIGEST salt ... */
	for (int field = 0; field < 8; field++) {
		w += strcspn(w, " ");
		w += strspn(w, " ");
	}
	if (*w == '\0' || strcspn(w, " ") >= len) {
		errno = EPROTO;
		return -1;
	}
	snprintf(hex, len, "%.*s", (int)strcspn(w, " "), w);
	return 0;
}
