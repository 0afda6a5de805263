/* The child half of starting a service. Privileges only go down, in the
 * order the kernel needs: join the cgroup and drop the bounding set while
 * still root, then groups, then the user (keeping only the granted
 * capabilities across it), then no_new_privs, then exec. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "cgroup.h"
#include "svc.h"

#define ENV_PATH "PATH=/usr/sbin:/usr/bin:/sbin:/bin"

static _Noreturn void report(int status, const char *what, int err)
{
	char line[160];
	int n = snprintf(line, sizeof line, "stele: cannot start: %s: %s\n", what, strerror(err));

	if (n > 0 && write(STDERR_FILENO, line, (size_t)n) < 0) {
		/* The pipe is gone; the exit status still says it. */
	}
	_exit(status);
}

static _Noreturn void die(const char *what)
{
	report(111, what, errno);
}

static void stdio_setup(const struct svc *s)
{
	int null = open("/dev/null", O_RDONLY);

	if (null < 0 || dup2(null, STDIN_FILENO) < 0)
		die("/dev/null");
	if (null != STDIN_FILENO)
		close(null);
	if (dup2(s->out.wfd, STDOUT_FILENO) < 0 || dup2(s->err.wfd, STDERR_FILENO) < 0)
		die("output pipe");
}

/* PID 1's fds (close-on-exec) become the service's 3, 4, ...: first
 * duplicated out of the way, so that no target number is overwritten
 * before it is read. */
static void pass_fds(const struct svc *s)
{
	int tmp[4];

	for (size_t i = 0; i < s->n_pass; i++) {
		/* One PID 1 could not open stays a valid, empty fd. */
		int src = s->pass_fds[i] >= 0 ? s->pass_fds[i] : open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (src < 0 || (tmp[i] = fcntl(src, F_DUPFD_CLOEXEC, 64)) < 0)
			die("passing fds");
	}
	for (size_t i = 0; i < s->n_pass; i++)
		if (dup2(tmp[i], 3 + (int)i) < 0)
			die("passing fds");
}

/* The highest capability this kernel knows (a newer one than stele's
 * names must go too), from /proc/sys/kernel/cap_last_cap; if that cannot
 * be read, every number up to 63 is tried (the kernel refuses the ones it
 * does not know with EINVAL). */
static int cap_last(void)
{
	char buf[16];
	int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC), last = 63;
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);

	if (fd >= 0)
		close(fd);
	if (n > 0) {
		buf[n] = '\0';
		last = atoi(buf);
	}
	return last >= CAPS_LAST && last <= 63 ? last : 63;
}

/* Bounding set first: it needs CAP_SETPCAP, which goes with the user. */
static void bound_caps(uint64_t keep)
{
	for (int c = 0, last = cap_last(); c <= last; c++)
		if (!(keep >> c & 1) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 && errno != EINVAL)
			die("dropping the capability bounding set");
}

/* After setresuid: the granted set becomes permitted, effective,
 * inheritable and ambient, so that it survives execve as a non-root user;
 * everything else is gone. */
static void set_caps(uint64_t keep)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	for (int i = 0; i < 2; i++) {
		uint32_t word = (uint32_t)(keep >> (32 * i));

		data[i].effective = data[i].permitted = data[i].inheritable = word;
	}
	if (syscall(SYS_capset, &hdr, data) < 0)
		die("capset");
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0)
		die("clearing ambient capabilities");
	for (int c = 0; c <= CAPS_LAST; c++)
		if ((keep >> c & 1) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
			die(cap_name(c));
}

static void drop_user(const struct svc *s)
{
	if (setgroups(0, NULL) < 0 || setresgid(s->gid, s->gid, s->gid) < 0)
		die("setting the group");
	if (prctl(PR_SET_KEEPCAPS, s->conf.caps ? 1 : 0, 0, 0, 0) < 0)
		die("PR_SET_KEEPCAPS");
	if (setresuid(s->uid, s->uid, s->uid) < 0)
		die("setting the user");
	set_caps(s->conf.caps);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die("no_new_privs");
}

static _Noreturn void child(const struct svc *s)
{
	char *envp[SVC_ENV_MAX + 2];
	size_t n = 0;
	sigset_t none;

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (setsid() < 0)
		die("setsid");
	if (cgroup_enter(s->conf.name) < 0)
		die("joining its cgroup");
	stdio_setup(s);
	pass_fds(s);
	bound_caps(s->conf.caps);
	drop_user(s);
	if (chdir("/") < 0)
		die("chdir /");

	envp[n++] = (char *)ENV_PATH;
	for (size_t i = 0; i < s->conf.n_env; i++)
		envp[n++] = (char *)s->conf.env[i];
	envp[n] = NULL;
	execve(s->path, s->conf.argv, envp);
	report(errno == ENOENT ? 127 : 126, s->path, errno);
}

pid_t svc_spawn(const struct svc *s)
{
	pid_t pid = fork();

	if (pid == 0)
		child(s);
	return pid;
}
