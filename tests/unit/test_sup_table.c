/* The supervisor's table, every cell, without fork: what each event does
 * to a service in each state, before and after shutdown has begun. */
#include <stdio.h>

#include "check.h"
#include "sup_table.h"

#define NOW 100000u

static const char *const state_name[] = { "WAITING", "RUNNING", "BACKOFF", "DONE", "STOPPING",
					  "STOPPED" };
static const char *const event_name[] = { "start", "exit", "fork failed", "deadline", "stop" };

struct cell {
	enum svc_state from;
	enum sup_event ev;
	int shutting_down, restart_wanted;
	enum svc_state to;
	unsigned acts;
	enum sup_say say;
};

/* Every cell, both phases. Exits are with a policy that wants a restart;
 * the "not wanted" and backoff rows are below. */
static const struct cell cells[] = {
	{ SVC_WAITING, SUP_EV_START, 0, 1, SVC_RUNNING, SUP_ACT_SPAWN, SUP_SAY_NOTHING },
	{ SVC_WAITING, SUP_EV_START, 1, 1, SVC_STOPPED, 0, SUP_SAY_NOTHING },
	{ SVC_WAITING, SUP_EV_EXIT, 0, 1, SVC_WAITING, 0, SUP_SAY_NOTHING },
	{ SVC_WAITING, SUP_EV_FORK_FAILED, 0, 1, SVC_WAITING, 0, SUP_SAY_NOTHING },
	{ SVC_WAITING, SUP_EV_DEADLINE, 0, 1, SVC_WAITING, 0, SUP_SAY_NOTHING },
	{ SVC_WAITING, SUP_EV_STOP, 1, 1, SVC_STOPPED, 0, SUP_SAY_NOTHING },

	{ SVC_RUNNING, SUP_EV_START, 0, 1, SVC_RUNNING, 0, SUP_SAY_NOTHING },
	{ SVC_RUNNING, SUP_EV_EXIT, 0, 1, SVC_BACKOFF, 0, SUP_SAY_RESTART },
	{ SVC_RUNNING, SUP_EV_EXIT, 0, 0, SVC_DONE, 0, SUP_SAY_NOT_RESTARTED },
	/* Exits while it waits for its dependents to stop: not restarted. */
	{ SVC_RUNNING, SUP_EV_EXIT, 1, 1, SVC_STOPPED, SUP_ACT_SWEEP, SUP_SAY_STOPPED },
	{ SVC_RUNNING, SUP_EV_FORK_FAILED, 0, 1, SVC_BACKOFF, 0, SUP_SAY_FORK_FAILED },
	{ SVC_RUNNING, SUP_EV_FORK_FAILED, 1, 1, SVC_STOPPED, 0, SUP_SAY_FORK_FAILED },
	{ SVC_RUNNING, SUP_EV_DEADLINE, 0, 1, SVC_RUNNING, 0, SUP_SAY_NOTHING },
	{ SVC_RUNNING, SUP_EV_STOP, 1, 1, SVC_STOPPING, SUP_ACT_TERM, SUP_SAY_NOTHING },

	{ SVC_BACKOFF, SUP_EV_START, 0, 1, SVC_BACKOFF, 0, SUP_SAY_NOTHING },
	{ SVC_BACKOFF, SUP_EV_EXIT, 0, 1, SVC_BACKOFF, 0, SUP_SAY_NOTHING },
	{ SVC_BACKOFF, SUP_EV_FORK_FAILED, 0, 1, SVC_BACKOFF, 0, SUP_SAY_NOTHING },
	{ SVC_BACKOFF, SUP_EV_DEADLINE, 0, 1, SVC_RUNNING, SUP_ACT_SPAWN, SUP_SAY_NOTHING },
	/* Its pause ends while it waits for its dependents: not started again. */
	{ SVC_BACKOFF, SUP_EV_DEADLINE, 1, 1, SVC_STOPPED, SUP_ACT_SWEEP, SUP_SAY_STOPPED },
	{ SVC_BACKOFF, SUP_EV_STOP, 1, 1, SVC_STOPPED, SUP_ACT_SWEEP, SUP_SAY_STOPPED },

	{ SVC_DONE, SUP_EV_START, 0, 1, SVC_DONE, 0, SUP_SAY_NOTHING },
	{ SVC_DONE, SUP_EV_EXIT, 0, 1, SVC_DONE, 0, SUP_SAY_NOTHING },
	{ SVC_DONE, SUP_EV_FORK_FAILED, 0, 1, SVC_DONE, 0, SUP_SAY_NOTHING },
	{ SVC_DONE, SUP_EV_DEADLINE, 0, 1, SVC_DONE, 0, SUP_SAY_NOTHING },
	{ SVC_DONE, SUP_EV_STOP, 1, 1, SVC_STOPPED, 0, SUP_SAY_NOTHING },

	{ SVC_STOPPING, SUP_EV_START, 1, 1, SVC_STOPPING, 0, SUP_SAY_NOTHING },
	{ SVC_STOPPING, SUP_EV_EXIT, 1, 1, SVC_STOPPED, SUP_ACT_SWEEP, SUP_SAY_STOPPED },
	{ SVC_STOPPING, SUP_EV_FORK_FAILED, 1, 1, SVC_STOPPING, 0, SUP_SAY_NOTHING },
	{ SVC_STOPPING, SUP_EV_DEADLINE, 1, 1, SVC_STOPPING, SUP_ACT_KILL, SUP_SAY_KILLING },
	{ SVC_STOPPING, SUP_EV_STOP, 1, 1, SVC_STOPPING, 0, SUP_SAY_NOTHING },

	{ SVC_STOPPED, SUP_EV_START, 1, 1, SVC_STOPPED, 0, SUP_SAY_NOTHING },
	{ SVC_STOPPED, SUP_EV_START, 0, 1, SVC_STOPPED, 0, SUP_SAY_NOTHING },
	{ SVC_STOPPED, SUP_EV_EXIT, 1, 1, SVC_STOPPED, 0, SUP_SAY_NOTHING },
	{ SVC_STOPPED, SUP_EV_FORK_FAILED, 1, 1, SVC_STOPPED, 0, SUP_SAY_NOTHING },
	{ SVC_STOPPED, SUP_EV_DEADLINE, 1, 1, SVC_STOPPED, 0, SUP_SAY_NOTHING },
	{ SVC_STOPPED, SUP_EV_STOP, 1, 1, SVC_STOPPED, 0, SUP_SAY_NOTHING },
};

static struct sup_facts facts(enum svc_state st, int shutting_down, int restart_wanted)
{
	return (struct sup_facts){ .state = st, .now = NOW, .started_ms = NOW - 50,
				   .deadline_ms = NOW + 7, .fails = 2, .stop_timeout_s = 10,
				   .shutting_down = shutting_down,
				   .restart_wanted = restart_wanted };
}

static void every_cell(void)
{
	char what[96];
	unsigned covered[SVC_STOPPED + 1][SUP_EV_N] = { { 0 } };

	for (size_t i = 0; i < sizeof cells / sizeof *cells; i++) {
		const struct cell *c = &cells[i];
		struct sup_facts f = facts(c->from, c->shutting_down, c->restart_wanted);
		struct sup_decision d;

		snprintf(what, sizeof what, "%s + %s%s", state_name[c->from], event_name[c->ev],
			 c->shutting_down ? ", shutting down" : "");
		check_what = what;
		sup_decide(&f, c->ev, &d);
		CHECK_STR(state_name[c->to], state_name[d.state]);
		CHECK_INT(c->acts, d.acts);
		CHECK_INT(c->say, d.say);
		if (c->to == c->from && !c->acts)
			CHECK_INT(NOW + 7, d.deadline_ms);	/* a cell that does nothing keeps it */
		covered[c->from][c->ev] = 1;
	}
	check_what = NULL;
	for (unsigned st = 0; st <= SVC_STOPPED; st++)
		for (unsigned ev = 0; ev < SUP_EV_N; ev++) {
			snprintf(what, sizeof what, "%s + %s has a row", state_name[st], event_name[ev]);
			check_what = what;
			CHECK(covered[st][ev]);
		}
	check_what = NULL;
}

/* Deadlines: a stop gives stop_timeout; a kill is once; a fork failure
 * waits the longest pause; a spawn has none. */
static void deadlines(void)
{
	struct sup_facts f = facts(SVC_RUNNING, 1, 1);
	struct sup_decision d;

	sup_decide(&f, SUP_EV_STOP, &d);
	CHECK_INT(NOW + 10000, d.deadline_ms);
	f = facts(SVC_STOPPING, 1, 1);
	sup_decide(&f, SUP_EV_DEADLINE, &d);
	CHECK_INT(UINT64_MAX, d.deadline_ms);
	f = facts(SVC_RUNNING, 0, 1);
	sup_decide(&f, SUP_EV_FORK_FAILED, &d);
	CHECK_INT(NOW + SUP_BACKOFF_MAX_MS, d.deadline_ms);
	f = facts(SVC_WAITING, 0, 1);
	sup_decide(&f, SUP_EV_START, &d);
	CHECK_INT(UINT64_MAX, d.deadline_ms);
}

/* Quick failures double the pause, up to the cap; a long run resets it. */
static void backoff(void)
{
	static const unsigned want[] = { 100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600,
					 30000, 30000 };
	struct sup_facts f = facts(SVC_RUNNING, 0, 1);
	struct sup_decision d;

	f.fails = 0;
	for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
		sup_decide(&f, SUP_EV_EXIT, &d);
		CHECK_INT(want[i], d.delay_ms);
		CHECK_INT(NOW + want[i], d.deadline_ms);
		CHECK_INT(i + 1, d.fails);
		CHECK_INT(1, d.restarted);
		f.fails = d.fails;
	}
	f.started_ms = NOW - SUP_RAN_WELL_MS;
	sup_decide(&f, SUP_EV_EXIT, &d);
	CHECK_INT(0, d.fails);
	CHECK_INT(100, d.delay_ms);
	f = facts(SVC_RUNNING, 0, 0);
	sup_decide(&f, SUP_EV_EXIT, &d);
	CHECK_INT(0, d.restarted);
}

/* Nothing the table is not for. */
static void out_of_range(void)
{
	struct sup_facts f = facts(SVC_RUNNING, 0, 1);
	struct sup_decision d;

	sup_decide(&f, SUP_EV_N, &d);
	CHECK_INT(SVC_RUNNING, d.state);
	CHECK_INT(0, d.acts);
	f.state = (enum svc_state)42;
	sup_decide(&f, SUP_EV_EXIT, &d);
	CHECK_INT(0, d.acts);
}

int main(void)
{
	every_cell();
	deadlines();
	backoff();
	out_of_range();
	return check_done();
}
