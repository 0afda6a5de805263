/* Test service "forkbomb": with stele.test.forkbomb=1 on the kernel
 * command line every process forks again and again, each child joining
 * in, until fork fails (its group's pids.max); it says so once and keeps
 * trying, one attempt a second per process. Without the parameter it only
 * waits for SIGTERM. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmdline_has.h"

static int armed(void)
{
	return cmdline_has("stele.test.forkbomb=1");
}

int main(void)
{
	int said = 0;

	if (!armed()) {
		pause();
		return 0;
	}
	printf("forkbomb: started\n");
	fflush(stdout);
	for (;;) {
		pid_t pid = fork();

		if (pid < 0) {
			if (!said)
				printf("forkbomb: fork: %s\n", strerror(errno));
			fflush(stdout);
			said = 1;
			nanosleep(&(struct timespec){ 1, 0 }, NULL);
		} else if (pid == 0) {
			said = 1;	/* the first to fail speaks */
		}
	}
}
