#include "gpt.h"

#include <string.h>
#include <unistd.h>

#include "crc32.h"
#include "le.h"

#define GPT_HEADER_MIN 92
#define GPT_MAX_ENTRIES 1024		/* bounds the scan; the spec minimum is 128 */
#define GPT_ENTRY_MIN 128
#define GPT_ENTRY_MAX 1024
#define SECTOR_MAX 4096
#define LBA_MAX (1ULL << 40)		/* keeps byte offsets far from overflow */
#define ENTRIES_CHUNK (16 * GPT_ENTRY_MAX)

struct gpt_header {
	uint64_t entries_lba;
	uint32_t count, entry_size, entries_crc;
};

static int read_header(int fd, unsigned sector, struct gpt_header *h)
{
	unsigned char buf[SECTOR_MAX];
	uint32_t size, crc;

	if (sector < 512 || sector > SECTOR_MAX || pread(fd, buf, sector, sector) != (ssize_t)sector)
		return -1;
	if (memcmp(buf, "EFI PART", 8) != 0)
		return -1;
	size = le32(buf + 12);
	if (size < GPT_HEADER_MIN || size > sector)
		return -1;
	crc = le32(buf + 16);
	memset(buf + 16, 0, 4);
	if (crc32_update(0, buf, size) != crc)
		return -1;
	h->entries_lba = le64(buf + 72);
	h->count = le32(buf + 80);
	h->entry_size = le32(buf + 84);
	h->entries_crc = le32(buf + 88);
	if (h->entries_lba < 2 || h->entries_lba >= LBA_MAX || h->count > GPT_MAX_ENTRIES || h->entry_size < GPT_ENTRY_MIN ||
	    h->entry_size > GPT_ENTRY_MAX || h->entry_size % GPT_ENTRY_MIN)
		return -1;
	return 0;
}

int gpt_find_partition(int fd, unsigned sector, const unsigned char guid[16],
		       const unsigned char *type)
{
	/* Whole entries (their size divides it), off PID 1's stack: one read
	 * for the usual 128, where one read each cost a syscall apiece. */
	static unsigned char chunk[ENTRIES_CHUNK];
	struct gpt_header h;
	uint32_t crc = 0, i = 0;
	int found = 0;

	if (read_header(fd, sector, &h))
		return 0;
	/* Read every entry even after a match: the array CRC covers them all,
	 * and an entry from a corrupt table must not be trusted. */
	for (uint64_t done = 0, total = (uint64_t)h.count * h.entry_size; done < total;) {
		size_t n = total - done < sizeof chunk ? (size_t)(total - done) : sizeof chunk;

		if (pread(fd, chunk, n, (off_t)(h.entries_lba * sector + done)) != (ssize_t)n)
			return 0;
		crc = crc32_update(crc, chunk, n);
		for (size_t at = 0; at < n; at += h.entry_size, i++)
			if (!found && (!guid || memcmp(chunk + at + 16, guid, 16) == 0) &&
			    (!type || memcmp(chunk + at, type, 16) == 0))
				found = (int)i + 1;
		done += n;
	}
	return crc == h.entries_crc ? found : 0;
}
