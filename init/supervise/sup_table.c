#include "sup_table.h"

#include <stddef.h>

typedef void action(const struct sup_facts *f, struct sup_decision *d);

static unsigned backoff_ms(unsigned fails)
{
	unsigned shift = fails < 9 ? fails : 9;
	unsigned ms = SUP_BACKOFF_MIN_MS << shift;

	return ms < SUP_BACKOFF_MAX_MS ? ms : SUP_BACKOFF_MAX_MS;
}

static void nothing(const struct sup_facts *f, struct sup_decision *d)
{
	(void)f;
	(void)d;
}

static void to_stopped(const struct sup_facts *f, struct sup_decision *d)
{
	(void)f;
	d->state = SVC_STOPPED;
}

/* Whatever it left behind in its group goes with it. */
static void stop_done(const struct sup_facts *f, struct sup_decision *d)
{
	(void)f;
	d->state = SVC_STOPPED;
	d->acts = SUP_ACT_SWEEP;
	d->say = SUP_SAY_STOPPED;
}

/* A service that ran says its end, even when it was between runs. */
static void spawn(const struct sup_facts *f, struct sup_decision *d)
{
	if (f->shutting_down) {
		if (f->state == SVC_BACKOFF)
			stop_done(f, d);
		else
			d->state = SVC_STOPPED;
		return;
	}
	d->state = SVC_RUNNING;
	d->acts = SUP_ACT_SPAWN;
	d->deadline_ms = UINT64_MAX;
}

/* fork failing is a system-wide shortage: a failed run, the longest pause. */
static void fork_failed(const struct sup_facts *f, struct sup_decision *d)
{
	d->say = SUP_SAY_FORK_FAILED;
	if (f->shutting_down) {
		d->state = SVC_STOPPED;
		return;
	}
	d->state = SVC_BACKOFF;
	d->deadline_ms = f->now + SUP_BACKOFF_MAX_MS;
}

static void exited(const struct sup_facts *f, struct sup_decision *d)
{
	if (f->shutting_down) {
		d->state = SVC_STOPPED;
		d->acts = SUP_ACT_SWEEP;
		d->say = SUP_SAY_STOPPED;
		return;
	}
	if (!f->restart_wanted) {
		d->state = SVC_DONE;
		d->say = SUP_SAY_NOT_RESTARTED;
		return;
	}
	d->fails = f->now - f->started_ms >= SUP_RAN_WELL_MS ? 0 : f->fails + 1;
	d->delay_ms = backoff_ms(d->fails ? d->fails - 1 : 0);
	d->state = SVC_BACKOFF;
	d->deadline_ms = f->now + d->delay_ms;
	d->restarted = 1;
	d->say = SUP_SAY_RESTART;
}

static void term(const struct sup_facts *f, struct sup_decision *d)
{
	d->state = SVC_STOPPING;
	d->acts = SUP_ACT_TERM;
	d->deadline_ms = f->now + (uint64_t)f->stop_timeout_s * 1000;
}

/* Once: its exit (or the shutdown's deadline) ends it. */
static void kill_it(const struct sup_facts *f, struct sup_decision *d)
{
	(void)f;
	d->acts = SUP_ACT_KILL;
	d->deadline_ms = UINT64_MAX;
	d->say = SUP_SAY_KILLING;
}

static action *const table[SVC_STOPPED + 1][SUP_EV_N] = {
	/*               start    exit       fork failed  deadline  stop */
	[SVC_WAITING]  = { spawn,   nothing,   nothing,     nothing,  to_stopped },
	[SVC_RUNNING]  = { nothing, exited,    fork_failed, nothing,  term },
	[SVC_BACKOFF]  = { nothing, nothing,   nothing,     spawn,    stop_done },
	[SVC_DONE]     = { nothing, nothing,   nothing,     nothing,  to_stopped },
	[SVC_STOPPING] = { nothing, stop_done, nothing,     kill_it,  nothing },
	[SVC_STOPPED]  = { nothing, nothing,   nothing,     nothing,  nothing },
};

void sup_decide(const struct sup_facts *f, enum sup_event ev, struct sup_decision *d)
{
	*d = (struct sup_decision){ .state = f->state, .deadline_ms = f->deadline_ms,
				    .fails = f->fails };
	if ((unsigned)f->state > SVC_STOPPED || (unsigned)ev >= SUP_EV_N)
		return;
	table[f->state][ev](f, d);
}
