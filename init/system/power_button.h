#ifndef STELE_POWER_BUTTON_H
#define STELE_POWER_BUTTON_H

#include <poll.h>

#define POWER_BUTTON_MAX 4

/* Opens the input devices that report KEY_POWER (the ACPI power button,
 * which QEMU's system_powerdown presses) into fds[], up to max. Returns how
 * many were opened; 0 is not an error (no evdev, no button). */
int power_button_open(struct pollfd *fds, int max);

/* Drains one readable device; returns 1 if it reported a power key press. */
int power_button_pressed(int fd);

#endif
