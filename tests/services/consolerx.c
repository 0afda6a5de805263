/* Test service "consolerx", run as uid 0 with CAP_SYS_ADMIN: with
 * stele.test.consolerx=1 on the kernel command line it watches ttyS0's
 * receive counter (the "rx:" of /proc/tty/driver/serial, a directory of
 * root's, and the counters shown to CAP_SYS_ADMIN only) and says it, once
 * at start and again each time it moves: the positive control of
 * console-refused, that typed bytes do reach the UART while nothing reads
 * them. It never opens the tty. Without the parameter it only waits. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmdline_has.h"

#define SERIAL_INFO "/proc/tty/driver/serial"
#define POLL_MS 200
#define POLLS 3000		/* 10 minutes, then it only waits */

static const char *failed;	/* why rx_count gave -1 */

/* ttyS0's rx count, or -1. */
static long long rx_count(void)
{
	static char text[8192];
	int fd = open(SERIAL_INFO, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	char *line, *end, *rx;

	if (fd < 0) {
		failed = strerror(errno);
		return -1;
	}
	n = read(fd, text, sizeof text - 1);
	failed = n < 0 ? strerror(errno) : "no ttyS0 line";
	if (close(fd) < 0 || n <= 0)
		return -1;
	text[n] = '\0';
	line = strncmp(text, "0:", 2) == 0 ? text : strstr(text, "\n0:");
	if (!line)
		return -1;
	if ((end = strchr(line + 1, '\n')))
		*end = '\0';
	rx = strstr(line, " rx:");
	failed = "no rx: on its line (shown to CAP_SYS_ADMIN only)";
	return rx ? strtoll(rx + 4, NULL, 10) : -1;
}

static void say(long long rx)
{
	if (rx < 0)
		printf("consolerx: cannot read ttyS0's rx from %s: %s\n", SERIAL_INFO, failed);
	else
		printf("consolerx: ttyS0 rx %lld\n", rx);
	if (fflush(stdout) != 0)
		exit(111);
}

int main(void)
{
	int armed = cmdline_has("stele.test.consolerx=1");
	long long last = -2;

	for (int i = 0; armed && i < POLLS; i++) {
		long long rx = rx_count();

		if (rx != last)
			say(rx);
		last = rx;
		if (nanosleep(&(struct timespec){ 0, POLL_MS * 1000000L }, NULL) < 0 && errno != EINTR)
			exit(111);
	}
	for (;;)
		pause();
}
