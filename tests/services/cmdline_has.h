#ifndef STELE_TEST_CMDLINE_HAS_H
#define STELE_TEST_CMDLINE_HAS_H

/* For the test services that misbehave only when a scenario asks: 1 if
 * the kernel command line holds word (e.g. "stele.test.forkbomb=1"). */
#include <stdio.h>
#include <string.h>

static int cmdline_has(const char *word)
{
	char line[4096];
	FILE *f = fopen("/proc/cmdline", "r");
	int on = f && fgets(line, sizeof line, f) && strstr(line, word);

	if (f)
		fclose(f);
	return on;
}

#endif
