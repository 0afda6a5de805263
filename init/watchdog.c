#include "watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/watchdog.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "log.h"

int watchdog_open(void)
{
	int fd = open("/dev/watchdog", O_WRONLY | O_CLOEXEC);
	int timeout = WATCHDOG_TIMEOUT_S;

	if (fd < 0) {
		if (errno != ENOENT)
			say("cannot open /dev/watchdog: %s", strerror(errno));
		return -1;
	}
	if (ioctl(fd, WDIOC_SETTIMEOUT, &timeout) < 0)
		say("watchdog: cannot set a %d s timeout: %s", WATCHDOG_TIMEOUT_S, strerror(errno));
	if (ioctl(fd, WDIOC_GETTIMEOUT, &timeout) < 0 || timeout <= 0)
		timeout = WATCHDOG_TIMEOUT_S;
	say("watchdog armed, %d s", timeout);
	return fd;
}

void watchdog_feed(int fd, uint64_t now, uint64_t *next_ms)
{
	if (fd < 0) {
		*next_ms = UINT64_MAX;
		return;
	}
	if (now < *next_ms)
		return;
	if (ioctl(fd, WDIOC_KEEPALIVE, 0) < 0)
		milestone("watchdog keepalive: %s", strerror(errno));
	/* A third of the timeout: two late wakeups still leave margin. */
	*next_ms = now + WATCHDOG_TIMEOUT_S * 1000 / 3;
}
