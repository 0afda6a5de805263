#ifndef STELE_CGROUP_H
#define STELE_CGROUP_H

/* One cgroup2 group per service, /sys/fs/cgroup/NAME: the service and
 * everything it forks stay countable and killable together. */
#include <stdint.h>

#define CGROUP_ROOT "/sys/fs/cgroup"

/* Mounts cgroup2 at CGROUP_ROOT and enables the pids, memory and cpu
 * controllers for the groups below it. Returns 0 or -1 (errno). */
int cgroup_mount(void);

/* Writes the group's pids.max, memory.max and cpu.weight (0: "max", and
 * for the weight the kernel's default). Returns 0, or -1 with the file
 * that failed in *what. */
int cgroup_limit(const char *name, unsigned pids_max, uint64_t memory_max, unsigned cpu_weight,
		 const char **what);

/* Creates the group of service name (it may exist). Returns 0 or -1. */
int cgroup_create(const char *name);

/* Moves the calling process into the group (for the child, before exec). */
int cgroup_enter(const char *name);

/* SIGKILLs every process in the group (cgroup.kill). Returns 0 or -1. */
int cgroup_kill(const char *name);

#endif
