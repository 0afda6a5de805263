#include "power_button.h"

#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define INPUT_DEVICES_MAX 32
#define BITS_PER_LONG (8 * sizeof(unsigned long))

static int reports_power_key(int fd)
{
	unsigned long keys[KEY_MAX / BITS_PER_LONG + 1] = { 0 };

	if (ioctl(fd, EVIOCGBIT(EV_KEY, sizeof keys), keys) < 0)
		return 0;
	return !!(keys[KEY_POWER / BITS_PER_LONG] & (1UL << (KEY_POWER % BITS_PER_LONG)));
}

int power_button_open(struct pollfd *fds, int max)
{
	char path[32];
	int n = 0;

	for (int i = 0; i < INPUT_DEVICES_MAX && n < max; i++) {
		int fd;

		snprintf(path, sizeof path, "/dev/input/event%d", i);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!reports_power_key(fd)) {
			close(fd);
			continue;
		}
		fds[n].fd = fd;
		fds[n].events = POLLIN;
		n++;
	}
	return n;
}

int power_button_pressed(int fd)
{
	struct input_event ev[16];
	ssize_t n;
	int pressed = 0;

	while ((n = read(fd, ev, sizeof ev)) > 0)
		for (size_t i = 0; i < (size_t)n / sizeof ev[0]; i++)
			if (ev[i].type == EV_KEY && ev[i].code == KEY_POWER && ev[i].value == 1)
				pressed = 1;
	return pressed;
}
