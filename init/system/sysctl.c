#include "sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

/* Each as the kernel's own documentation (admin-guide/sysctl) names its
 * strictest sensible value for a machine nobody logs in to. */
static const struct { const char *path, *value; } hardening[] = {
	{ "/proc/sys/kernel/kptr_restrict", "2\n" },	/* %pK is 0 for everyone */
	{ "/proc/sys/kernel/dmesg_restrict", "1\n" },	/* the kernel log: CAP_SYSLOG */
	{ "/proc/sys/kernel/sysrq", "0\n" },		/* a distro kernel has SysRq */
	{ "/proc/sys/fs/protected_hardlinks", "1\n" },
	{ "/proc/sys/fs/protected_symlinks", "1\n" },
	{ "/proc/sys/fs/protected_fifos", "2\n" },
	{ "/proc/sys/fs/protected_regular", "2\n" },
	{ "/proc/sys/user/max_user_namespaces", "0\n" },
	{ "/proc/sys/kernel/yama/ptrace_scope", "2\n" },	/* CAP_SYS_PTRACE only */
	{ "/proc/sys/kernel/unprivileged_bpf_disabled", "1\n" },
	{ "/proc/sys/kernel/perf_event_paranoid", "3\n" },
};

int sysctl_set(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t n = strlen(value);
	ssize_t w;

	if (fd < 0 && errno == ENOENT)
		return 0;
	w = fd < 0 ? -1 : write(fd, value, n);
	if (w != (ssize_t)n) {
		milestone("cannot set %s: %s", path, w < 0 ? strerror(errno) : "short write");
		say("cannot set %s: %s", path, w < 0 ? strerror(errno) : "short write");
	}
	if (fd >= 0)
		close(fd);
	return w == (ssize_t)n ? 1 : -1;
}

int sysctl_harden(void)
{
	int failed = 0;

	for (size_t i = 0; i < sizeof hardening / sizeof hardening[0]; i++)
		failed += sysctl_set(hardening[i].path, hardening[i].value) < 0;
	return failed;
}
