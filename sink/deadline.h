#ifndef STELE_SINK_DEADLINE_H
#define STELE_SINK_DEADLINE_H

#include <signal.h>
#include <time.h>

/* A bound on a library call that blocks without one of its own (librelp's
 * TLS handshake runs on a blocking socket, with no time-out: a server that
 * accepts and then says nothing would hold the sink for ever). Armed, it
 * sends DEADLINE_SIGNAL to the calling thread, and keeps sending it every
 * second, until disarmed; the signal's handler does nothing and is
 * installed without SA_RESTART, so the blocking system call returns EINTR
 * and the library fails the call. The signal is unblocked in the thread
 * while armed (a caller that blocks every signal still gets it) and the
 * mask restored after.
 *
 * The caller MUST disarm before it arms again, and MUST NOT use
 * DEADLINE_SIGNAL itself. */

#define DEADLINE_SIGNAL (SIGRTMIN + 1)

struct deadline {
	timer_t timer;
	sigset_t saved;
	int armed;
};

/* Returns 0, or -1 (errno set) if no timer could be made: the call then
 * runs unbounded, as it would have without. */
int deadline_arm(struct deadline *d, unsigned seconds);

/* Returns 1 if the deadline passed while armed, else 0. */
int deadline_disarm(struct deadline *d);

#endif
