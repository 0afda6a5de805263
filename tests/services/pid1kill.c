/* Test service "pid1kill", run as uid 0: with stele.test.pid1kill=1 on
 * the kernel command line it sends PID 1 every signal that asks for a
 * power action (SIGTERM, SIGINT, SIGUSR1, SIGPWR), says so, and waits
 * for SIGTERM; PID 1 must ignore them all, as no process may power the
 * machine off. Without the parameter it only waits. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmdline_has.h"

static int armed(void)
{
	return cmdline_has("stele.test.pid1kill=1");
}

int main(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGUSR1, SIGPWR };
	sigset_t term;
	int sig = 0;

	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	if (armed()) {
		for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
			printf("pid1kill: uid %u sent signal %d to pid 1: %s\n", (unsigned)getuid(),
			       sigs[i], kill(1, sigs[i]) == 0 ? "delivered" : "refused");
		fflush(stdout);
	}
	while (sigwait(&term, &sig) != 0 || sig != SIGTERM)
		;
	return 0;
}
