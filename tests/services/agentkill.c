/* Test service "agentkill": when the kernel command line has
 * stele.test.agentkill=SECONDS, waits that long, then SIGKILLs the agent
 * (its pid from /run/stele/services) once, to show that PID 1 restarts it
 * and no service line is lost. Needs CAP_KILL (its definition grants it). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent_target.h"

int main(void)
{
	long after = param("stele.test.agentkill="), pid;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (after >= 0) {
		sleep((unsigned)after);
		pid = agent_pid();
		if (pid > 1 && kill((pid_t)pid, SIGKILL) == 0)
			printf("agentkill: killed the agent, pid %ld\n", pid);
		else
			printf("agentkill: FAIL: cannot kill the agent (pid %ld)\n", pid);
	}
	for (;;)
		pause();
}
