#ifndef STELE_CGROUP_H
#define STELE_CGROUP_H

/* One cgroup2 group per service, /sys/fs/cgroup/NAME: the service and
 * everything it forks stay countable and killable together. */
#define CGROUP_ROOT "/sys/fs/cgroup"

/* Mounts cgroup2 at CGROUP_ROOT. Returns 0 or -1 (errno). */
int cgroup_mount(void);

/* Creates the group of service name (it may exist). Returns 0 or -1. */
int cgroup_create(const char *name);

/* Moves the calling process into the group (for the child, before exec). */
int cgroup_enter(const char *name);

/* SIGKILLs every process in the group (cgroup.kill). Returns 0 or -1. */
int cgroup_kill(const char *name);

#endif
