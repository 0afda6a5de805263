#ifndef STELE_SVC_H
#define STELE_SVC_H

#include <poll.h>
#include <stdint.h>
#include <sys/types.h>

#include "service_conf.h"
#include "svc_output.h"

/* The supervisor: PID 1's table of services. Every service is in one
 * state; events (start, exit, deadline, stop) move it along the table in
 * supervisor.c. Nothing here allocates: the table is fixed. */

#define SVC_MAX 32		/* services, the built-in network one included */
#define SVC_DIR "/etc/stele/services"
#define SVC_STATUS "/run/stele/services"

enum svc_state {
	SVC_WAITING,		/* loaded, not started yet */
	SVC_RUNNING,
	SVC_BACKOFF,		/* exited; restarts at deadline */
	SVC_DONE,		/* exited; its policy says no restart */
	SVC_STOPPING,		/* SIGTERM sent; SIGKILL at deadline */
	SVC_STOPPED,		/* stopped for shutdown */
};

struct svc {
	struct service_conf conf;
	const char *path;	/* what is exec'd; conf.argv[0] but for built-ins */
	unsigned uid, gid;
	enum svc_state state;
	pid_t pid;
	unsigned restarts;	/* in all, for the status file and metrics */
	unsigned fails;		/* in a row, each ended quickly: the backoff step */
	int last_status;	/* wait(2) status of the last exit, -1 none yet */
	uint64_t started_ms;
	uint64_t deadline_ms;
	struct svc_stream out, err;
	int pass_fds[4];	/* given to the service as fds 3, 4, ... */
	size_t n_pass;
	int stop_last;		/* stopped after every other service but those it is after */
	int early;		/* network, metadata: started before the others */
};

/* Loads the built-in network service and every definition in SVC_DIR into
 * tab, in start order (each after what it names in after). Bad ones are
 * reported on the console and left out. Returns the count. */
size_t svc_load(struct svc *tab, size_t max);

/* Orders conf[n] for starting: order[] gets indices, each after the
 * services it names in after (names not in conf are ignored). Returns how
 * many were placed; the rest are in a dependency cycle. */
size_t svc_order(const struct service_conf *const conf[], size_t n, size_t *order);

/* Forks and execs s as its user, in its cgroup, its output on its pipes.
 * Returns the pid, or -1 if fork failed. Errors after the fork are the
 * child's: it prints them on its stderr and exits 111 (setup), 126 or 127
 * (exec), as skarnet's tools do. */
pid_t svc_spawn(const struct svc *s);

/* The supervisor as a whole, used by stage 2's loop. sup_init() is the
 * init phase's: -1 (said) if cgroup2 cannot be mounted or the agent's
 * link made, and stage 2 must not go on. */
int sup_init(void);
/* Starts the early services (early = 1), or every other one (0). */
void sup_start(uint64_t now, int early);
/* 1 if the service name is not running (never loaded, or ended and not
 * to be restarted), with the wait(2) status of its last run in *status
 * (-1: it never ran); else 0. */
int sup_ended(const char *name, int *status);
/* SIGKILLs the service's cgroup: the service if it runs, and whatever it
 * forked and left behind. */
void sup_kill(const char *name);
void sup_exited(pid_t pid, int status, uint64_t now);
uint64_t sup_tick(uint64_t now);	/* acts on deadlines; returns the next */
void sup_stop(uint64_t now);
/* How long a shutdown may take in all: the longest stop_timeout, plus
 * SUP_SHUTDOWN_MARGIN_MS for the SIGKILL and the last lines, at most
 * SUP_SHUTDOWN_CAP_MS. Past it, the power action happens regardless. */
#define SUP_SHUTDOWN_MARGIN_MS 5000
#define SUP_SHUTDOWN_CAP_MS 120000
uint64_t sup_shutdown_ms(void);
int sup_stopped(void);			/* 1 when nothing is left running */
int sup_pollfds(struct pollfd *fds, int max);
void sup_read(const struct pollfd *fds, int n);
void sup_flush(void);			/* last read of every pipe */

/* Writes SVC_STATUS for the agent: one line per service. */
void svc_status_write(const struct svc *tab, size_t n);

#endif
