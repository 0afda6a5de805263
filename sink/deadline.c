#include "deadline.h"

#include <string.h>
#include <unistd.h>

#ifndef sigev_notify_thread_id
#define sigev_notify_thread_id _sigev_un._tid	/* glibc before 2.38 */
#endif

static volatile sig_atomic_t fired;

static void interrupt(int sig)
{
	(void)sig;	/* its arrival is the point: the blocked call returns EINTR */
	fired = 1;
}

int deadline_arm(struct deadline *d, unsigned seconds)
{
	struct sigaction sa;
	struct sigevent ev;
	struct itimerspec when = { { 1, 0 }, { (time_t)seconds, 0 } };
	sigset_t one;

	memset(d, 0, sizeof *d);
	fired = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = interrupt;
	sigemptyset(&sa.sa_mask);
	if (sigaction(DEADLINE_SIGNAL, &sa, NULL) < 0)
		return -1;
	memset(&ev, 0, sizeof ev);
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = DEADLINE_SIGNAL;
	ev.sigev_notify_thread_id = gettid();
	if (timer_create(CLOCK_MONOTONIC, &ev, &d->timer) < 0)
		return -1;
	sigemptyset(&one);
	sigaddset(&one, DEADLINE_SIGNAL);
	pthread_sigmask(SIG_UNBLOCK, &one, &d->saved);
	if (timer_settime(d->timer, 0, &when, NULL) < 0) {
		pthread_sigmask(SIG_SETMASK, &d->saved, NULL);
		timer_delete(d->timer);
		return -1;
	}
	d->armed = 1;
	return 0;
}

int deadline_disarm(struct deadline *d)
{
	if (!d->armed)
		return 0;
	/* Deleted before the mask goes back: no signal arrives later, and
	 * none already sent is left pending (it was delivered, unblocked). */
	timer_delete(d->timer);
	pthread_sigmask(SIG_SETMASK, &d->saved, NULL);
	d->armed = 0;
	return fired;
}
