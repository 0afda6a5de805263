#include "watchdog.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/watchdog.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "log.h"

void watchdog_open(struct watchdog *w, unsigned timeout_s)
{
	int t = (int)timeout_s;

	w->fd = -1;
	w->next_ms = UINT64_MAX;
	if (timeout_s == 0)
		return;
	if ((w->fd = open("/dev/watchdog", O_WRONLY | O_CLOEXEC)) < 0) {
		if (errno != ENOENT)
			say("cannot open /dev/watchdog: %s", strerror(errno));
		return;
	}
	if (ioctl(w->fd, WDIOC_SETTIMEOUT, &t) < 0)
		say("watchdog: cannot set a %u s timeout: %s", timeout_s, strerror(errno));
	if (ioctl(w->fd, WDIOC_GETTIMEOUT, &t) < 0 || t <= 0)
		t = (int)timeout_s;
	w->timeout_s = (unsigned)t;
	w->next_ms = 0;
	say("watchdog armed, %u s", w->timeout_s);
}

void watchdog_feed(struct watchdog *w, uint64_t now)
{
	if (w->fd < 0 || now < w->next_ms)
		return;
	if (ioctl(w->fd, WDIOC_KEEPALIVE, 0) < 0)
		milestone("watchdog keepalive: %s", strerror(errno));
	/* A third of the timeout: two late wakeups still leave margin. */
	w->next_ms = now + (uint64_t)w->timeout_s * 1000 / 3;
}
