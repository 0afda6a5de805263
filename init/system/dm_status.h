#ifndef STELE_DM_STATUS_H
#define STELE_DM_STATUS_H

#include <stddef.h>

/* The dm-verity status of device name: 1 verified so far ("V"), 0 a
 * corrupted block was seen ("C"), -1 unknown (errno). */
int dm_verity_status(const char *name);

/* The root hash in device name's verity table, as hex, into hex[len].
 * Returns 0 or -1 (errno). */
int dm_verity_roothash(const char *name, char *hex, size_t len);

#endif
