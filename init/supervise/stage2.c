/* Stage 2: PID 1 of the verified root. Setup may fail and is logged; from
 * the loop on, PID 1 must not die: errors are logged and the loop goes on.
 * Signals arrive through a signalfd and are dispatched from a table; the
 * services are the supervisor's (supervisor.c). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent_link.h"
#include "clock.h"
#include "cmdline.h"
#include "console.h"
#include "console_out.h"
#include "credentials.h"
#include "hostname.h"
#include "log.h"
#include "metadata.h"
#include "net_facts.h"
#include "power.h"
#include "power_button.h"
#include "stages.h"
#include "svc.h"
#include "sysctl.h"
#include "users.h"
#include "verity_watch.h"
#include "watchdog.h"

#define STRAY_GRACE_MS 2000	/* for processes no service accounts for */
#define STRAY_POLL_MS 50
#define POLL_MAX (2 + POWER_BUTTON_MAX + 2 * SVC_MAX)

static struct boot_config cfg;
static int shutting_down;
static enum power_action pending;
static uint64_t shutdown_deadline;	/* the power action happens by then, done or not */
static unsigned agent_uid, agent_gid;	/* who gets the credentials */
static int hostname_given;		/* by the command line or SMBIOS */
static pid_t module_loader;		/* stage 1's, loading what the root did not need */
static int look_for_buttons;
/* Every service but the early ones (network, metadata) waits behind the
 * gate: the credentials must be in place before the agent starts, and the
 * metadata server unreachable before any other service could ask it. */
static int gate_open;
static uint64_t gate_deadline;

static void begin_shutdown(enum power_action action);

/* Stage 1's child that loads the modules not needed for the root; it
 * said why when it failed. */
static void module_loader_exited(int status)
{
	module_loader = 0;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		look_for_buttons = 1;	/* the ACPI button may have come with it */
		return;
	}
	say("the kernel modules after the root failed: stopping, then the failure action");
	begin_shutdown(cfg.on_failure);
}

static void reap(uint64_t now)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (pid == module_loader)
			module_loader_exited(status);
		else
			sup_exited(pid, status, now);
	}
}

/* The loader's pid, from stage 1's argument. */
static void adopt_module_loader(const char *arg)
{
	size_t len = strlen(MODULE_LOADER_ARG);
	char *end;
	long n;

	if (!arg)
		return;
	n = strncmp(arg, MODULE_LOADER_ARG, len) ? 0 : strtol(arg + len, &end, 10);
	if (n <= 1 || n > INT_MAX || *end)
		say("argument %.64s: not %sPID; ignored", arg, MODULE_LOADER_ARG);
	else
		module_loader = (pid_t)n;
}

static void begin_shutdown(enum power_action action)
{
	static const char *const verb[] = { "powering off", "rebooting", "halting" };

	if (shutting_down)
		return;
	shutting_down = 1;
	pending = action;
	milestone("%s", verb[action]);
	say("%s", verb[action]);
	shutdown_deadline = clock_ms() + sup_shutdown_ms();
	sup_stop(clock_ms());
}

/* Services are down; what is left is strays. Then the tmpfs mounts go. */
static _Noreturn void finish(void)
{
	static const char *const tmpfs[] = { "/tmp", "/var", "/run" };

	sup_flush();
	kill(-1, SIGTERM);
	for (int waited = 0; waited < STRAY_GRACE_MS; waited += STRAY_POLL_MS) {
		if (waitpid(-1, NULL, WNOHANG) < 0 && errno == ECHILD)
			break;
		nanosleep(&(struct timespec){ 0, STRAY_POLL_MS * 1000000L }, NULL);
	}
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	sync();
	for (size_t i = 0; i < sizeof tmpfs / sizeof tmpfs[0]; i++)
		if (umount2(tmpfs[i], 0) < 0 && errno != EBUSY)
			milestone("umount %s: %s", tmpfs[i], strerror(errno));
	power_act(pending);
}

static void on_child(void) { reap(clock_ms()); }
static void on_poweroff(void) { begin_shutdown(POWER_OFF); }
static void on_reboot(void) { begin_shutdown(POWER_REBOOT); }
static void on_halt(void) { begin_shutdown(POWER_HALT); }

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

/* A power action is the kernel's to ask for (Ctrl-Alt-Del, a power
 * failure): a signal some process sent, even as uid 0, is said (at most
 * once a second) and ignored, so nothing inside the guest can power the
 * machine off. SIGCHLD is the kernel's by nature. */
static int from_kernel(const struct signalfd_siginfo *si)
{
	return si->ssi_signo == SIGCHLD || si->ssi_code == SI_KERNEL;
}

static void dispatch(int sfd)
{
	static uint64_t said_at[_NSIG];	/* per signal: at most once a second */
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
		if (!from_kernel(&si)) {
			uint64_t now = clock_ms(), *at = &said_at[si.ssi_signo % _NSIG];

			if (!*at || now - *at >= 1000)
				say("ignoring signal %u from pid %u (uid %u): only the kernel may ask "
				    "PID 1 for a power action", si.ssi_signo, si.ssi_pid, si.ssi_uid);
			*at = now;
			continue;
		}
		for (size_t i = 0; i < sizeof sigmap / sizeof sigmap[0]; i++)
			if ((int)si.ssi_signo == sigmap[i].sig)
				sigmap[i].handler();
	}
}

/* Writes a sysctl that may not exist in every kernel. */
/* Stage 1 accepted this command line, so it parses; stage 2 needs the
 * host name and the watchdog timeout from it. */
static void read_boot_config(struct boot_config *cfg)
{
	char line[CMDLINE_MAX], why[REASON_MAX] = "";
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, line, sizeof line - 1);

	if (fd >= 0)
		close(fd);
	line[n > 0 ? n : 0] = '\0';
	if (cmdline_parse(line, cfg, why) < 0)
		say("kernel command line: %s", why);
}

static void pin_hostname(const char *name)
{
	hostname_set(name);
	if (name[0] && hostname_pin(name) < 0)
		say("cannot write /run/stele/hostname: %s", strerror(errno));
	hostname_given = name[0] != '\0';
}

/* Credentials go to the agent's user: SMBIOS's now, the metadata's and
 * the image's at the gate. The host name is the command line's, else the
 * SMBIOS credential's, else the metadata's, else (until DHCP offers one)
 * the DMI UUID; when it was given, /run/stele/hostname says so and the
 * network service leaves it alone. */
static void install_credentials(void)
{
	char why[160], hostname[64];

	if (user_lookup("agent", &agent_uid, &agent_gid, why, sizeof why) < 0)
		agent_uid = agent_gid = 0;
	credentials_from_smbios(agent_uid, agent_gid, hostname, sizeof hostname);
	pin_hostname(cfg.hostname[0] ? cfg.hostname : hostname);
}

/* Once the metadata service has ended (at once when the image has none),
 * or PID 1 stopped waiting: what it fetched, the image's credentials, the
 * blackhole route, then every other service. */
static void open_gate(uint64_t now)
{
	static unsigned char body[METADATA_BODY_MAX];
	char hostname[64];
	int status;
	ssize_t n;

	if (!sup_ended("metadata", &status)) {
		if (now < gate_deadline)
			return;
		say("metadata: still running after %d s: killed; no credentials from metadata",
		    METADATA_WAIT_MS / 1000);
		status = -1;
	}
	/* It, or anything it left behind, must not outlive the gate: it talked
	 * to the network before the blackhole. */
	sup_kill("metadata");
	gate_open = 1;
	if (status == 0 && (n = metadata_read(body)) > 0 &&
	    credentials_from_text("metadata", (const char *)body, (size_t)n, agent_uid, agent_gid,
				  hostname, sizeof hostname) > 0 &&
	    !hostname_given && hostname[0])
		pin_hostname(hostname);
	metadata_seal();
	credentials_from_image(agent_uid, agent_gid);
	/* Nothing starts once a shutdown has begun; sup_tick, called first in
	 * the loop, has stopped what was waiting, but this need not rely on it. */
	if (!shutting_down)
		sup_start(now, 0);
}

/* A power button device that went away (or broke) would make poll return
 * at once forever: it is closed and left out, with one line. */
static int button_gone(struct pollfd *buttons, int n, int fd)
{
	for (int i = 0; i < n; i++) {
		if (buttons[i].fd != fd)
			continue;
		say("power button device (fd %d) gone; no longer watched", fd);
		close(fd);
		buttons[i] = buttons[--n];
		break;
	}
	return n;
}

static int poll_timeout(uint64_t now, uint64_t next)
{
	if (next == UINT64_MAX)
		return -1;
	return next <= now ? 0 : next - now > INT_MAX ? INT_MAX : (int)(next - now);
}

static _Noreturn void loop(int sfd, struct pollfd *buttons, int n_buttons, struct watchdog *wd)
{
	struct pollfd fds[POLL_MAX];
	uint64_t verity_next = 0;

	for (;;) {
		uint64_t now = clock_ms(), next = sup_tick(now);
		int n = 0, first_svc;

		if (look_for_buttons && n_buttons == 0)
			n_buttons = power_button_open(buttons, POWER_BUTTON_MAX);
		look_for_buttons = 0;

		if (!gate_open)
			open_gate(now);
		if (!gate_open && gate_deadline < next)
			next = gate_deadline;

		if (shutting_down && sup_stopped())
			finish();
		if (shutting_down && now >= shutdown_deadline) {
			say("shutdown: services not stopped within %llu s; going on regardless",
			    (unsigned long long)(sup_shutdown_ms() / 1000));
			finish();
		}
		if (shutting_down && shutdown_deadline < next)
			next = shutdown_deadline;
		watchdog_feed(wd, now);
		if (wd->next_ms < next)
			next = wd->next_ms;
		verity_watch(now, &verity_next);
		if (verity_next < next)
			next = verity_next;
		agent_link_publish(now, &next);
		console_out_publish(now, &next);
		fds[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		/* -1 (no network service) is ignored by poll. */
		fds[n++] = (struct pollfd){ .fd = net_facts_fd(), .events = POLLIN };
		for (int i = 0; i < n_buttons; i++)
			fds[n++] = buttons[i];
		first_svc = n;
		n += sup_pollfds(fds + n, POLL_MAX - n);
		if (poll(fds, (nfds_t)n, poll_timeout(now, next)) < 0) {
			if (errno != EINTR) {
				milestone("poll: %s", strerror(errno));
				nanosleep(&(struct timespec){ 1, 0 }, NULL);
			}
			continue;
		}
		if (fds[0].revents & POLLIN)
			dispatch(sfd);
		if (fds[1].revents & POLLIN)
			net_facts_read();
		for (int i = 2; i < first_svc; i++) {
			if ((fds[i].revents & POLLIN) && power_button_pressed(fds[i].fd))
				begin_shutdown(POWER_OFF);
			else if (fds[i].revents & (POLLERR | POLLHUP | POLLNVAL))
				n_buttons = button_gone(buttons, n_buttons, fds[i].fd);
		}
		sup_read(fds + first_svc, n - first_svc);
	}
}

/* The one failure path before the loop (s6-svscan's init phase): one
 * line, then the boot's failure action. A PID 1 that went on without
 * its signalfd would reap nothing and hear nothing. */
static _Noreturn void cannot_supervise(const char *what)
{
	say("stage 2 cannot run: %s: %s", what, strerror(errno));
	milestone("stage 2 cannot run: %s", what);
	sync();
	power_act(cfg.on_failure);
}

_Noreturn void stage2_main(const char *arg)
{
	struct pollfd buttons[POWER_BUTTON_MAX];
	struct watchdog wd;
	int sfd, n_buttons;

	log_open_kmsg();
	read_boot_config(&cfg);
	adopt_module_loader(arg);
	if ((sfd = signals_open()) < 0)
		cannot_supervise("signalfd");
	reboot(RB_DISABLE_CAD);
	sysctl_harden();
	/* syslog(3) callers block when /dev/log holds this many datagrams. */
	sysctl_set("/proc/sys/net/unix/max_dgram_qlen", "512\n");
	console_seal(STDERR_FILENO);
	console_out_open();
	install_credentials();
	n_buttons = power_button_open(buttons, POWER_BUTTON_MAX);
	watchdog_open(&wd, cfg.watchdog_s);
	verity_publish_roothash();
	if (sup_init() < 0)
		cannot_supervise("the services' cgroups or the agent's link");

	/* From now on, nothing is fatal: the loop logs and goes on. */
	milestone("sealed");
	say("sealed");
	gate_deadline = clock_ms() + METADATA_WAIT_MS;
	sup_start(clock_ms(), 1);
	loop(sfd, buttons, n_buttons, &wd);
}
