#ifndef STELE_SUP_TABLE_H
#define STELE_SUP_TABLE_H

#include <stdint.h>

#include "svc.h"

/* The supervisor's decisions, as s6-supervise makes them: a table of
 * state x event, each cell a small action, and nothing else deciding.
 * Pure: what happens to a service is a function of its facts, the event
 * and the clock; supervisor.c carries the decision out (fork, signals,
 * the log). The table in sup_table.c is the documentation:
 *
 *   state     start   exit                fork failed   deadline         stop
 *   WAITING   spawn   -                   -             -                STOPPED
 *   RUNNING   -       BACKOFF|DONE (*)    BACKOFF (*)   -                TERM, STOPPING
 *   BACKOFF   -       -                   -             spawn (*)        STOPPED
 *   DONE      -       -                   -             -                STOPPED
 *   STOPPING  -       sweep, STOPPED      -             KILL, once       -
 *   STOPPED   -       -                   -             -                -
 *
 * (*) Once shutdown has begun nothing is started again: each of these
 * goes to STOPPED instead (an exit also sweeps its cgroup). "start" is
 * refused the same way. */

enum sup_event { SUP_EV_START, SUP_EV_EXIT, SUP_EV_FORK_FAILED, SUP_EV_DEADLINE, SUP_EV_STOP,
		 SUP_EV_N };

/* What the caller does, in this order. */
enum sup_act {
	SUP_ACT_TERM = 1,	/* SIGTERM to the service */
	SUP_ACT_KILL = 2,	/* SIGKILL to its cgroup (or to it) */
	SUP_ACT_SWEEP = 4,	/* it has exited: SIGKILL what it left in its cgroup */
	SUP_ACT_SPAWN = 8,	/* fork and exec; if fork fails, SUP_EV_FORK_FAILED */
};

/* What the decision may look at. */
struct sup_facts {
	enum svc_state state;
	uint64_t now, started_ms;
	uint64_t deadline_ms;	/* its present one, kept by the cells that leave it */
	unsigned fails;		/* quick failures in a row */
	unsigned stop_timeout_s;
	int restart_wanted;	/* SUP_EV_EXIT: its policy restarts after this status */
	int shutting_down;
};

enum sup_say { SUP_SAY_NOTHING, SUP_SAY_NOT_RESTARTED, SUP_SAY_RESTART, SUP_SAY_STOPPED,
	       SUP_SAY_KILLING, SUP_SAY_FORK_FAILED };

struct sup_decision {
	enum svc_state state;
	unsigned acts;		/* enum sup_act bits */
	uint64_t deadline_ms;	/* BACKOFF: respawn at; STOPPING: kill at; UINT64_MAX: none */
	unsigned fails;
	int restarted;		/* one more restart to count */
	unsigned delay_ms;	/* SUP_SAY_RESTART: in how long */
	enum sup_say say;
};

#define SUP_BACKOFF_MIN_MS 100
#define SUP_BACKOFF_MAX_MS 30000
#define SUP_RAN_WELL_MS 10000	/* a run this long resets the backoff */

/* The decision for event ev on a service with facts f. A cell that does
 * nothing leaves state, deadline and fails as they were. */
void sup_decide(const struct sup_facts *f, enum sup_event ev, struct sup_decision *d);

#endif
