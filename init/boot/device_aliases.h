#ifndef STELE_DEVICE_ALIASES_H
#define STELE_DEVICE_ALIASES_H

#include <stddef.h>

/* The machine's devices no driver has taken, as the kernel names them for
 * module matching: /sys/bus/BUS/devices/DEV/modalias, and the input
 * class's /sys/class/input/DEV/modalias (input is no bus). */

#define DEVICES_MAX 256
#define DEVICE_ALIAS_MAX 256		/* with NUL */
#define DEVICE_NAME_MAX 64		/* "pci/0000:00:04.0", with NUL */

struct device_aliases {
	size_t n;
	char modalias[DEVICES_MAX][DEVICE_ALIAS_MAX];
	char name[DEVICES_MAX][DEVICE_NAME_MAX];
	unsigned left_out;		/* past DEVICES_MAX: not looked at */
	unsigned too_long;		/* a modalias longer than it holds */
	const char *alias_ptr[DEVICES_MAX];	/* modalias[k], for matching */
};

/* Fills d from sys (normally "/sys"): the buses named in buses (space
 * separated, "input" for the class), or every one if it is NULL. Devices
 * past DEVICES_MAX, and a modalias too long to hold, are left out and
 * counted. Returns d->n. */
size_t device_aliases_scan(const char *sys, const char *buses, struct device_aliases *d);

#endif
