#ifndef STELE_GPT_H
#define STELE_GPT_H

#include <stdint.h>

/* Looks in the GPT of the disk open on fd (logical sector size sector) for
 * the partition whose unique GUID is guid (on-disk byte order) and, if type
 * is not NULL, whose type GUID is type; with guid NULL, the first partition
 * of that type. Both header and entry array CRCs must check out. Returns the partition number (1-based), 0 if the disk has
 * no such partition or no valid GPT. */
int gpt_find_partition(int fd, unsigned sector, const unsigned char guid[16],
		       const unsigned char *type);

#endif
