/* The supervisor: PID 1's services, moved only by the table of
 * sup_table.h (state x event -> new state and actions), which this file
 * carries out: fork and exec, signals, cgroup sweeps, the log, and the
 * order of shutdown. A service that keeps failing waits twice as long
 * before each restart, up to SUP_BACKOFF_MAX_MS, so a crash loop costs
 * PID 1 and the others little. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent_link.h"
#include "cgroup.h"
#include "console_out.h"
#include "log.h"
#include "metadata.h"
#include "net_facts.h"
#include "sup_table.h"
#include "svc.h"

#define READS_PER_WAKE 16	/* 64 KiB per pipe before others get a turn */

static struct svc tab[SVC_MAX];
static size_t n_svc;
static int stopping;

/* Every line goes to the console and to the agent. */
static void line_out(void *ctx, const struct log_piece *p)
{
	const struct svc *s = ctx;
	char line[LOG_ESCAPED_MAX];
	size_t len = log_format(line, p);

	console_out_line(line, len);
	agent_link_send(p, s->pid);
}

static void status_changed(void)
{
	svc_status_write(tab, n_svc);
}

static int wants_restart(const struct svc *s, int status)
{
	int clean = WIFEXITED(status) && WEXITSTATUS(status) == 0;

	return s->conf.restart == RESTART_ALWAYS ||
	       (s->conf.restart == RESTART_ON_FAILURE && !clean);
}

/* "exited with status 3" or "killed by signal 9". */
static void describe(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else
		snprintf(buf, len, "killed by signal %d", WTERMSIG(status));
}

static void say_decision(const struct svc *s, const struct sup_decision *d, int status)
{
	char how[48];

	describe(status, how, sizeof how);
	switch (d->say) {
	case SUP_SAY_NOTHING:
		break;
	case SUP_SAY_NOT_RESTARTED:
		say("service %s %s, not restarted", s->conf.name, how);
		break;
	case SUP_SAY_RESTART:
		say("service %s %s, restart %u in %u ms", s->conf.name, how, s->restarts,
		    d->delay_ms);
		break;
	case SUP_SAY_STOPPED:
		say("service %s stopped", s->conf.name);
		break;
	case SUP_SAY_KILLING:
		say("service %s did not stop in %u s: killing it", s->conf.name,
		    s->conf.stop_timeout_s);
		break;
	case SUP_SAY_FORK_FAILED:
		say("service %s: fork: %s", s->conf.name, strerror(errno));
		break;
	}
}

/* Event ev for s, decided by the table and carried out. status: the
 * wait(2) status for SUP_EV_EXIT. */
static void apply(struct svc *s, enum sup_event ev, uint64_t now, int status)
{
	struct sup_facts f = {
		.state = s->state, .now = now, .started_ms = s->started_ms,
		.deadline_ms = s->deadline_ms, .fails = s->fails,
		.stop_timeout_s = s->conf.stop_timeout_s, .shutting_down = stopping,
		.restart_wanted = ev == SUP_EV_EXIT && wants_restart(s, status),
	};
	struct sup_decision d;

	sup_decide(&f, ev, &d);
	s->state = d.state;
	s->deadline_ms = d.deadline_ms;
	s->fails = d.fails;
	s->restarts += d.restarted != 0;
	say_decision(s, &d, status);
	if ((d.acts & SUP_ACT_TERM) && kill(s->pid, SIGTERM) < 0)
		say("service %s: SIGTERM: %s", s->conf.name, strerror(errno));
	if ((d.acts & SUP_ACT_KILL) && cgroup_kill(s->conf.name) < 0)
		kill(s->pid, SIGKILL);
	if (d.acts & SUP_ACT_SWEEP)
		cgroup_kill(s->conf.name);
	if (d.acts & SUP_ACT_SPAWN) {
		s->pid = svc_spawn(s);
		s->started_ms = now;
		if (s->pid > 0) {
			say("service %s started, pid %d", s->conf.name, (int)s->pid);
		} else {
			s->pid = 0;
			apply(s, SUP_EV_FORK_FAILED, now, 0);
		}
	}
}

static int after(const struct svc *s, const char *name)
{
	for (size_t a = 0; a < s->conf.n_after; a++)
		if (strcmp(s->conf.after[a], name) == 0)
			return 1;
	return 0;
}

/* In shutdown, a service stops once everything started after it has; one
 * marked stop_last (the agent, shipping the others' last lines) also
 * waits for every service it does not itself depend on. */
static int dependents_stopped(const struct svc *s)
{
	if (s->stop_last)
		for (size_t i = 0; i < n_svc; i++)
			if (&tab[i] != s && tab[i].state != SVC_STOPPED && !after(s, tab[i].conf.name))
				return 0;
	for (size_t i = 0; i < n_svc; i++)
		for (size_t a = 0; a < tab[i].conf.n_after; a++)
			if (strcmp(tab[i].conf.after[a], s->conf.name) == 0 &&
			    tab[i].state != SVC_STOPPED)
				return 0;
	return 1;
}

int sup_init(void)
{
	if (cgroup_mount() < 0) {
		say("cannot mount cgroup2 on " CGROUP_ROOT ": %s", strerror(errno));
		return -1;
	}
	n_svc = svc_load(tab, SVC_MAX);
	for (size_t i = 0; i < n_svc; i++) {
		struct svc *s = &tab[i];
		const char *what;

		if (strcmp(s->conf.name, "agent") == 0) {
			s->n_pass = agent_link_open(s->pass_fds);
			s->stop_last = 1;
			if (!s->n_pass)
				return -1;	/* the agent without its inputs: nothing would leave */
		}
		if (strcmp(s->conf.name, "metadata") == 0 && !(s->n_pass = metadata_pipe(s->pass_fds)))
			say("metadata: cannot make its pipe: %s", strerror(errno));
		if (strcmp(s->conf.name, "network") == 0 && !(s->n_pass = net_facts_pipe(s->pass_fds)))
			say("network: cannot make its report pipe: %s", strerror(errno));
		s->early = strcmp(s->conf.name, "network") == 0 || strcmp(s->conf.name, "metadata") == 0;

		if (stream_open(&s->out, "out") < 0 || stream_open(&s->err, "err") < 0 ||
		    cgroup_create(s->conf.name) < 0) {
			say("service skipped: %s: %s", s->conf.name, strerror(errno));
			s->state = SVC_DONE;
		} else if (cgroup_limit(s->conf.name, s->conf.pids_max, s->conf.memory_max,
					s->conf.cpu_weight, &what) < 0) {
			/* Unlimited it could starve the rest: not started. */
			say("service skipped: %s: cannot set its %s: %s", s->conf.name, what,
			    strerror(errno));
			s->state = SVC_DONE;
		}
	}
	return 0;
}

void sup_start(uint64_t now, int early)
{
	for (size_t i = 0; i < n_svc; i++)
		if (tab[i].state == SVC_WAITING && tab[i].early == early)
			apply(&tab[i], SUP_EV_START, now, 0);
	status_changed();
}

static struct svc *find(const char *name)
{
	for (size_t i = 0; i < n_svc; i++)
		if (strcmp(tab[i].conf.name, name) == 0)
			return &tab[i];
	return NULL;
}

int sup_ended(const char *name, int *status)
{
	const struct svc *s = find(name);

	*status = s ? s->last_status : -1;
	return !s || s->state == SVC_DONE || s->state == SVC_STOPPED;
}

void sup_kill(const char *name)
{
	struct svc *s = find(name);

	if (s && cgroup_kill(name) < 0 && s->state == SVC_RUNNING)
		kill(s->pid, SIGKILL);
}

static void drain(struct svc *s)
{
	stream_drain(&s->out, s->conf.name, READS_PER_WAKE, line_out, s);
	stream_drain(&s->err, s->conf.name, READS_PER_WAKE, line_out, s);
	stream_flush(&s->out, s->conf.name, line_out, s);
	stream_flush(&s->err, s->conf.name, line_out, s);
}

void sup_exited(pid_t pid, int status, uint64_t now)
{
	for (size_t i = 0; i < n_svc; i++) {
		struct svc *s = &tab[i];

		if (s->pid != pid || (s->state != SVC_RUNNING && s->state != SVC_STOPPING))
			continue;
		drain(s);
		s->last_status = status;
		apply(s, SUP_EV_EXIT, now, status);
		if (s->state != SVC_RUNNING)
			s->pid = 0;
		status_changed();
		return;
	}
}

/* Backwards: the table is in start order, so a service's dependents come
 * after it and are seen first. */
static int stop_ready(uint64_t now)
{
	int changed = 0;

	for (size_t i = n_svc; i-- > 0;) {
		struct svc *s = &tab[i];

		if (s->state != SVC_STOPPING && s->state != SVC_STOPPED && dependents_stopped(s)) {
			apply(s, SUP_EV_STOP, now, 0);
			changed = 1;
		}
	}
	return changed;
}

static int deadline(struct svc *s, uint64_t now)
{
	if ((s->state != SVC_BACKOFF && s->state != SVC_STOPPING) || now < s->deadline_ms)
		return 0;
	apply(s, SUP_EV_DEADLINE, now, 0);
	return 1;
}

uint64_t sup_tick(uint64_t now)
{
	uint64_t next = UINT64_MAX;
	int changed = stopping && stop_ready(now);

	for (size_t i = 0; i < n_svc; i++) {
		struct svc *s = &tab[i];

		changed |= deadline(s, now);
		if ((s->state == SVC_BACKOFF || s->state == SVC_STOPPING) && s->deadline_ms < next)
			next = s->deadline_ms;
	}
	if (changed)
		status_changed();
	return next;
}

uint64_t sup_shutdown_ms(void)
{
	uint64_t longest = 0;

	for (size_t i = 0; i < n_svc; i++)
		if (tab[i].conf.stop_timeout_s * 1000ull > longest)
			longest = tab[i].conf.stop_timeout_s * 1000ull;
	longest += SUP_SHUTDOWN_MARGIN_MS;
	return longest < SUP_SHUTDOWN_CAP_MS ? longest : SUP_SHUTDOWN_CAP_MS;
}

void sup_stop(uint64_t now)
{
	stopping = 1;
	sup_tick(now);
}

int sup_stopped(void)
{
	for (size_t i = 0; i < n_svc; i++)
		if (tab[i].state != SVC_STOPPED)
			return 0;
	return 1;
}

int sup_pollfds(struct pollfd *fds, int max)
{
	int n = 0;

	for (size_t i = 0; i < n_svc && n + 2 <= max; i++) {
		if (tab[i].out.rfd < 0)
			continue;
		fds[n++] = (struct pollfd){ .fd = tab[i].out.rfd, .events = POLLIN };
		fds[n++] = (struct pollfd){ .fd = tab[i].err.rfd, .events = POLLIN };
	}
	return n;
}

void sup_read(const struct pollfd *fds, int n)
{
	for (int k = 0; k < n; k++) {
		if (!(fds[k].revents & POLLIN))
			continue;
		for (size_t i = 0; i < n_svc; i++) {
			struct svc_stream *st = fds[k].fd == tab[i].out.rfd ? &tab[i].out :
						fds[k].fd == tab[i].err.rfd ? &tab[i].err : NULL;

			if (st)
				stream_drain(st, tab[i].conf.name, READS_PER_WAKE, line_out, &tab[i]);
		}
	}
}

void sup_flush(void)
{
	for (size_t i = 0; i < n_svc; i++)
		if (tab[i].out.rfd >= 0)
			drain(&tab[i]);
}
