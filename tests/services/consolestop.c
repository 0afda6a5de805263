/* Test service "consolestop", run as uid 0: with stele.test.chatty=1 on
 * the kernel command line it stops the console's output (tcflow TCOOFF,
 * as a serial line held by flow control would) for 30 s, then lets it
 * go on, and says so. Without the parameter it only waits. */
#include <fcntl.h>
#include <stdio.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cmdline_has.h"

int main(void)
{
	int fd;

	if (cmdline_has("stele.test.chatty=1") && (fd = open("/dev/console", O_RDWR | O_NOCTTY)) >= 0) {
		if (tcflow(fd, TCOOFF) < 0)
			perror("consolestop: tcflow TCOOFF");
		nanosleep(&(struct timespec){ 30, 0 }, NULL);
		if (tcflow(fd, TCOON) < 0)
			perror("consolestop: tcflow TCOON");
		printf("consolestop: console output went on after 30 s\n");
		fflush(stdout);
		close(fd);
	}
	for (;;)
		pause();
}
