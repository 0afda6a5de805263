#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

int cgroup_mount(void)
{
	return mount("cgroup2", CGROUP_ROOT, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		     "nsdelegate");
}

static int write_file(const char *name, const char *file, const char *text)
{
	char path[128];
	int fd, rc = 0;
	size_t n = strlen(text);

	snprintf(path, sizeof path, CGROUP_ROOT "/%s/%s", name, file);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	if (write(fd, text, n) != (ssize_t)n)
		rc = -1;
	close(fd);
	return rc;
}

int cgroup_create(const char *name)
{
	char path[128];

	snprintf(path, sizeof path, CGROUP_ROOT "/%s", name);
	return mkdir(path, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

int cgroup_enter(const char *name)
{
	return write_file(name, "cgroup.procs", "0\n");
}

int cgroup_kill(const char *name)
{
	return write_file(name, "cgroup.kill", "1\n");
}
