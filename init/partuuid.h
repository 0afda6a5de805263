#ifndef STELE_PARTUUID_H
#define STELE_PARTUUID_H

#include <stddef.h>

#define UUID_STR_LEN 37			/* 36 characters and a NUL */

/* DPS, as systemd does it: the root partition's UUID is the first 128 bits
 * of the root hash, the verity partition's the last 128 bits, taken as the
 * bytes of the UUID in string order. len must be at least 16. */
void partuuid_from_roothash(const unsigned char *roothash, size_t len,
			    char root[UUID_STR_LEN], char verity[UUID_STR_LEN]);

/* Converts a UUID string to the GUID byte order GPT stores on disk (first
 * three fields little endian). Returns 0, or -1 if s is not a UUID. */
int uuid_to_gpt_guid(const char *s, unsigned char guid[16]);

#endif
