#include "cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static int write_path(const char *path, const char *text)
{
	int fd, rc = 0;
	size_t n = strlen(text);

	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	if (write(fd, text, n) != (ssize_t)n)
		rc = -1;
	close(fd);
	return rc;
}

int cgroup_mount(void)
{
	if (mount("cgroup2", CGROUP_ROOT, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "nsdelegate") < 0)
		return -1;
	return write_path(CGROUP_ROOT "/cgroup.subtree_control", "+pids +memory +cpu\n");
}

static int write_file(const char *name, const char *file, const char *text)
{
	char path[128];

	snprintf(path, sizeof path, CGROUP_ROOT "/%s/%s", name, file);
	return write_path(path, text);
}

static int write_limit(const char *name, const char *file, uint64_t v)
{
	char text[32];

	if (v)
		snprintf(text, sizeof text, "%llu\n", (unsigned long long)v);
	else
		snprintf(text, sizeof text, "max\n");
	return write_file(name, file, text);
}

int cgroup_limit(const char *name, unsigned pids_max, uint64_t memory_max, unsigned cpu_weight,
		 const char **what)
{
	if (write_limit(name, "pids.max", pids_max) < 0) {
		*what = "pids.max";
		return -1;
	}
	if (write_limit(name, "memory.max", memory_max) < 0) {
		*what = "memory.max";
		return -1;
	}
	if (cpu_weight && write_limit(name, "cpu.weight", cpu_weight) < 0) {
		*what = "cpu.weight";
		return -1;
	}
	return 0;
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
