#include "device_aliases.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "text.h"

/* DEV's modalias into d's next slot, if it has one and no driver has
 * taken it: a bound device needs no module. */
static void add_device(struct device_aliases *d, int devs, const char *bus, const char *dev)
{
	char path[NAME_MAX + 16], *text = d->modalias[d->n];
	int fd;
	ssize_t len;

	if (snprintf(path, sizeof path, "%s/driver", dev) >= (int)sizeof path ||
	    faccessat(devs, path, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
		return;
	snprintf(path, sizeof path, "%s/modalias", dev);
	if ((fd = openat(devs, path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	len = read(fd, text, DEVICE_ALIAS_MAX);
	close(fd);
	if (len <= 0)
		return;
	if (len == DEVICE_ALIAS_MAX) {
		d->too_long++;
		return;
	}
	text[len] = '\0';
	text[strcspn(text, "\n")] = '\0';
	if (!text[0])
		return;
	if (snprintf(d->name[d->n], DEVICE_NAME_MAX, "%s/%s", bus, dev) >= DEVICE_NAME_MAX)
		d->name[d->n][DEVICE_NAME_MAX - 2] = '+';	/* cut: shown as such */
	d->alias_ptr[d->n] = text;
	d->n++;
}

/* Every device in the directory at where (relative to at), named
 * "kind/DEV" in reports. */
static void scan_devices(struct device_aliases *d, int at, const char *where, const char *kind)
{
	int devs;
	DIR *dir;
	struct dirent *e;

	if ((devs = openat(at, where, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return;
	if (!(dir = fdopendir(devs))) {
		close(devs);
		return;
	}
	while ((e = readdir(dir)))
		if (e->d_name[0] == '.')
			continue;
		else if (d->n == DEVICES_MAX)
			d->left_out++;
		else
			add_device(d, dirfd(dir), kind, e->d_name);
	closedir(dir);
}

static void scan_bus(struct device_aliases *d, int sysbus, const char *bus)
{
	char path[NAME_MAX + 16];

	if (snprintf(path, sizeof path, "%s/devices", bus) < (int)sizeof path)
		scan_devices(d, sysbus, path, bus);
}

/* Scanned: buses NULL means every one. */
static int listed(const char *buses, const char *name)
{
	return !buses || text_word_in(buses, name);
}

size_t device_aliases_scan(const char *sys, const char *buses, struct device_aliases *d)
{
	char path[64];
	int sysbus, sysfd;
	DIR *dir;
	struct dirent *e;

	d->n = d->left_out = d->too_long = 0;
	snprintf(path, sizeof path, "%s/bus", sys);
	if ((sysbus = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	if (!(dir = fdopendir(sysbus))) {
		close(sysbus);
		return 0;
	}
	while ((e = readdir(dir)))
		if (e->d_name[0] != '.' && listed(buses, e->d_name))
			scan_bus(d, dirfd(dir), e->d_name);
	closedir(dir);
	/* Input devices are a class, not a bus, and evdev is theirs. */
	if (listed(buses, "input") &&
	    (sysfd = open(sys, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		scan_devices(d, sysfd, "class/input", "input");
		close(sysfd);
	}
	return d->n;
}
