/* Stage 2: PID 1 of the verified root. From here on PID 1 must not die:
 * errors are logged and the loop goes on. Signals arrive through a
 * signalfd and are dispatched from a table; the supervisor of services
 * grows here. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "power.h"
#include "power_button.h"
#include "stages.h"

#define STOP_GRACE_MS 3000
#define STOP_POLL_MS 50

/* Reaps every exited child; returns 1 if children remain. */
static int reap(void)
{
	pid_t pid;

	while ((pid = waitpid(-1, NULL, WNOHANG)) > 0)
		;
	return pid == 0;
}

/* Every process but PID 1 gets SIGTERM, then SIGKILL after the grace time. */
static void stop_everything(void)
{
	kill(-1, SIGTERM);
	for (int waited = 0; waited < STOP_GRACE_MS && reap(); waited += STOP_POLL_MS)
		nanosleep(&(struct timespec){ 0, STOP_POLL_MS * 1000000L }, NULL);
	kill(-1, SIGKILL);
	reap();
}

static _Noreturn void shut_down(enum power_action action)
{
	static const char *const verb[] = { "powering off", "rebooting", "halting" };

	milestone("%s", verb[action]);
	say("%s", verb[action]);
	stop_everything();
	power_act(action);
}

static void on_child(void) { (void)reap(); }
static void on_poweroff(void) { shut_down(POWER_OFF); }
static void on_reboot(void) { shut_down(POWER_REBOOT); }
static void on_halt(void) { shut_down(POWER_HALT); }

/* sinit's table: SIGINT is what the kernel sends for Ctrl-Alt-Del. */
static const struct { int sig; void (*handler)(void); } sigmap[] = {
	{ SIGCHLD, on_child },
	{ SIGTERM, on_poweroff },
	{ SIGPWR, on_poweroff },
	{ SIGINT, on_reboot },
	{ SIGUSR1, on_halt },
};

static int signals_open(void)
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	return signalfd(-1, &all, SFD_CLOEXEC | SFD_NONBLOCK);
}

static void dispatch(int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
		for (size_t i = 0; i < sizeof sigmap / sizeof sigmap[0]; i++)
			if ((int)si.ssi_signo == sigmap[i].sig)
				sigmap[i].handler();
}

/* stele's kernel has no SysRq at all; a distro kernel may. */
static void disable_sysrq(void)
{
	int fd = open("/proc/sys/kernel/sysrq", O_WRONLY | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT)
		return;
	if (fd < 0 || write(fd, "0\n", 2) != 2)
		milestone("cannot disable magic SysRq: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
}

_Noreturn void stage2_main(void)
{
	struct pollfd fds[1 + POWER_BUTTON_MAX];
	int nfds;

	log_open_kmsg();
	fds[0].fd = signals_open();
	fds[0].events = POLLIN;
	if (fds[0].fd < 0)
		milestone("signalfd: %s", strerror(errno));
	reboot(RB_DISABLE_CAD);
	disable_sysrq();
	nfds = 1 + power_button_open(fds + 1, POWER_BUTTON_MAX);

	milestone("sealed");
	say("sealed");
	for (;;) {
		if (poll(fds, (nfds_t)nfds, -1) < 0 && errno != EINTR) {
			milestone("poll: %s", strerror(errno));
			nanosleep(&(struct timespec){ 1, 0 }, NULL);
			continue;
		}
		if (fds[0].revents & POLLIN)
			dispatch(fds[0].fd);
		for (int i = 1; i < nfds; i++)
			if ((fds[i].revents & POLLIN) && power_button_pressed(fds[i].fd))
				shut_down(POWER_OFF);
	}
}
