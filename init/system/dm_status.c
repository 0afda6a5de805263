#include "dm_status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "dm_ioctl.h"

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
