/* libFuzzer target: any bytes as a disk's first sectors, for stage 1's GPT
 * reader (init/boot/gpt.c), at 512- and 4096-byte sectors, by partition
 * GUID and by GUID and type. Nothing may crash or read out of bounds; a partition
 * it finds is one the entry array has. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gpt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned char guid[16] = { 0xe3, 0xbc, 0x68, 0x4f }, type[16] = { 0x2c, 0x73 };
	static int fd = -1;
	int found;

	if (fd < 0 && (fd = memfd_create("gpt-fuzz", MFD_CLOEXEC)) < 0)
		abort();
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	/* The entries the header points at come from the input, or are past
	 * its end (a short read: nothing found). */
	found = gpt_find_partition(fd, 512, guid, NULL);
	if (found < 0 || found > 1024)
		abort();
	found = gpt_find_partition(fd, 4096, guid, type);
	if (found < 0 || found > 1024)
		abort();
	return 0;
}
