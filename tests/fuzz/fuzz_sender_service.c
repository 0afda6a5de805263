/* libFuzzer target: any bytes as /proc/PID/cgroup and as
 * /run/stele/services. A name found is NUL-terminated within its buffer
 * and made of a service name's characters only (it becomes a record's
 * "app"). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "senders.h"

static void sane(const char *name)
{
	if (!memchr(name, '\0', SENDER_NAME_MAX) || !name[0])
		abort();
	for (const char *p = name; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-", *p))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char name[SENDER_NAME_MAX];
	unsigned uid = size ? data[0] % 16 : 0;

	memset(name, 0x55, sizeof name);
	if (cgroup_service_parse((const char *)data, size, name, sizeof name) == 0)
		sane(name);
	memset(name, 0x55, sizeof name);
	if (services_uid_parse((const char *)data, size, uid, name, sizeof name) == 0)
		sane(name);
	return 0;
}
