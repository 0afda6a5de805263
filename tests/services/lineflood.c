/* Test service "lineflood": when the kernel command line has
 * stele.test.lineflood=LINES, stops the agent (SIGSTOP; its pid from
 * /run/stele/services), writes LINES short lines, more than the socket
 * PID 1 hands lines over in can hold, and lets the agent go on (SIGCONT):
 * PID 1 must count what it could not hand over, and the agent report it.
 * Needs CAP_KILL (its definition grants it). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent_target.h"

int main(void)
{
	long lines = param("stele.test.lineflood="), pid = -1;

	if (lines <= 0)
		return 0;
	/* PID 1 writes the status file once everything is started. */
	for (int i = 0; i < 100 && (pid = agent_pid()) <= 1; i++)
		usleep(100000);
	if (pid <= 1 || kill((pid_t)pid, SIGSTOP) < 0) {
		printf("lineflood: FAIL: cannot stop the agent (pid %ld)\n", pid);
		return 1;
	}
	/* Lines of one byte: the socket's buffer is counted in whole
	 * messages, so these fill it soonest for the least console time. */
	for (long i = 0; i < lines; i++)
		fputs("f\n", stdout);
	fflush(stdout);
	kill((pid_t)pid, SIGCONT);
	printf("lineflood: wrote %ld lines with the agent stopped\n", lines);
	return 0;
}
