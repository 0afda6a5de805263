#ifndef STELE_CAPS_H
#define STELE_CAPS_H

#include <stdint.h>

/* Capabilities by their kernel names ("CAP_NET_ADMIN", any case), as bit
 * masks: bit N is capability N. */
#define CAPS_LAST 40			/* CAP_CHECKPOINT_RESTORE, Linux 6.1 */

/* Capability number of name, or -1. */
int cap_by_name(const char *name);

/* Name of capability n (0..CAPS_LAST), or NULL. */
const char *cap_name(int n);

#endif
