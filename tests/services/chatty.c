/* Test service "chatty": with stele.test.chatty=1 on the kernel command
 * line it writes 200 lines of about 100 bytes a second for 40 s, far more
 * than a stalled serial console takes, then waits for SIGTERM. Without
 * the parameter it only waits. */
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "cmdline_has.h"

int main(void)
{
	if (cmdline_has("stele.test.chatty=1")) {
		for (int i = 1; i <= 8000; i++) {
			printf("chatty: line %05d ........................................................"
			       "..........................\n", i);
			fflush(stdout);
			nanosleep(&(struct timespec){ 0, 5000000L }, NULL);
		}
		printf("chatty: done\n");
		fflush(stdout);
	}
	for (;;)
		pause();
}
