#ifndef STELE_SYSCTL_H
#define STELE_SYSCTL_H

/* The kernel settings PID 1 makes, on stele's kernel and on a distro's. */

/* Writes value ("N\n") to path under /proc/sys. Returns 1 if set, 0 if
 * this kernel has no such setting (ENOENT), -1 (said, naming it) if the
 * write failed. */
int sysctl_set(const char *path, const char *value);

/* The hardening settings (sysctl.c's table), each where it exists: kernel
 * pointers and dmesg hidden, the fs.protected_* link and file checks, no
 * user namespaces, ptrace for CAP_SYS_PTRACE only (Yama), no SysRq, no
 * unprivileged BPF, no perf events for users. Returns how many failed. */
int sysctl_harden(void);

#endif
