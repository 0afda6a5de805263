#include "mounts.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "power.h"

#define ROOT_NODE "/dev/stele-root"
#define VOLATILE_FLAGS (MS_NOSUID | MS_NODEV | MS_NOEXEC)

static int failed(char *why, const char *what, const char *where)
{
	int saved = errno;

	snprintf(why, REASON_MAX, "%s %s: %s", what, where, strerror(saved));
	errno = saved;
	return -1;
}

static int mount_at(const char *src, const char *dir, const char *type,
		    unsigned long flags, const char *data, char *why)
{
	if (mkdir(dir, 0755) && errno != EEXIST)
		return failed(why, "cannot create", dir);
	if (mount(src, dir, type, flags, data))
		return failed(why, "cannot mount", dir);
	return 0;
}

int mount_early(char *why)
{
	if (mount_at("devtmpfs", "/dev", "devtmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755", why) ||
	    mount_at("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, why) ||
	    mount_at("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, why))
		return -1;
	return 0;
}

int mount_sealed_root(dev_t dev, const char *target, char *why)
{
	static const struct { const char *dir, *opts; } volatiles[] = {
		{ "run", "mode=0755" }, { "tmp", "mode=1777" }, { "var", "mode=0755" },
	};
	char dir[64];

	/* A node of our own: the dm-N name devtmpfs picks is not ours to guess. */
	if (mknod(ROOT_NODE, S_IFBLK | 0400, dev) && errno != EEXIST)
		return failed(why, "cannot create", ROOT_NODE);
	if (mount_at(ROOT_NODE, target, "erofs", MS_RDONLY | MS_NODEV | MS_NOSUID, NULL, why))
		return -1;
	for (size_t i = 0; i < sizeof volatiles / sizeof volatiles[0]; i++) {
		snprintf(dir, sizeof dir, "%s/%s", target, volatiles[i].dir);
		if (mount("tmpfs", dir, "tmpfs", VOLATILE_FLAGS, volatiles[i].opts))
			return failed(why, "cannot mount tmpfs on", dir);
	}
	return 0;
}
