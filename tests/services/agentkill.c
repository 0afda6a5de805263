/* Test service "agentkill": when the kernel command line has
 * stele.test.agentkill=SECONDS, waits that long, then SIGKILLs the agent
 * (its pid from /run/stele/services) once, to show that PID 1 restarts it
 * and no service line is lost. Needs CAP_KILL (its definition grants it). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static long param(const char *key)
{
	char line[4096], *p;
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f || !fgets(line, sizeof line, f))
		return -1;
	fclose(f);
	p = strstr(line, key);
	return p ? strtol(p + strlen(key), NULL, 10) : -1;
}

static long agent_pid(void)
{
	char line[256];
	long pid = -1;
	FILE *f = fopen("/run/stele/services", "r");

	while (f && fgets(line, sizeof line, f))
		if (strncmp(line, "name=agent ", 11) == 0 && strstr(line, "pid="))
			pid = strtol(strstr(line, "pid=") + 4, NULL, 10);
	if (f)
		fclose(f);
	return pid;
}

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
