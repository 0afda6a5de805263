#ifndef STELE_TEST_AGENT_TARGET_H
#define STELE_TEST_AGENT_TARGET_H

/* For the test services that act on the agent: what the kernel command
 * line asks of them, and which pid the agent has now. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The number after key (e.g. "stele.test.agentkill=") on /proc/cmdline,
 * or -1. */
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

/* The agent's pid from PID 1's status file, or -1. */
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

#endif
