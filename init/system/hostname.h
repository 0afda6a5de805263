#ifndef STELE_HOSTNAME_H
#define STELE_HOSTNAME_H

#include <stddef.h>

/* The host name at boot: stele.hostname= if given (already validated by
 * the command-line parser), else the DMI product UUID in lower case, else
 * "stele". DHCP may replace it later when stele.hostname= was not given. */
void hostname_set(const char *from_cmdline);

/* Records in /run/stele/hostname that the host name was given (command
 * line or credential), so DHCP does not replace it. Returns 0 or -1. */
#define HOSTNAME_PINNED "/run/stele/hostname"
int hostname_pin(const char *name);

/* Turns a DMI product UUID (as sysfs prints it) into a host name: lower
 * case, 36 characters. Returns 0, or -1 if it is not a UUID or is all
 * zeros or all ones (firmware that has none). */
int hostname_from_uuid(const char *uuid, size_t len, char *out, size_t outlen);

#endif
