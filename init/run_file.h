#ifndef STELE_RUN_FILE_H
#define STELE_RUN_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Every file PID 1 keeps in /run/stele (status, verity, roothash, host
 * name, lines dropped) is written here, whole: NAME.tmp made afresh
 * (O_EXCL, O_NOFOLLOW) relative to the directory, which is opened with
 * O_NOFOLLOW and made by PID 1 alone (root, 0755), then renamed over
 * NAME. A reader sees the old file or the new one, never half of one,
 * and no service can plant a link that PID 1 then follows. */

#define RUN_DIR "/run/stele"

/* Writes name (a plain file name, no '/') with data[len], mode mode.
 * 0, or -1 with errno. */
int run_file_write(const char *name, const void *data, size_t len, mode_t mode);

/* RUN_DIR, made if missing; a descriptor (O_DIRECTORY, O_NOFOLLOW), or -1. */
int run_dir_open(void);

/* A count PID 1 publishes for the agent (lines it could not hand over,
 * console lines dropped): RUN_DIR/name holds "N\n", rewritten only when
 * it changed and at most every RUN_COUNT_MS, so that a flood costs a
 * write a second. */
#define RUN_COUNT_MS 1000

struct run_count {
	const char *name;
	unsigned long value, published;
	uint64_t due;
	int said;			/* a failed write, said once */
};

/* Writes c if due; lowers *next_ms to when it will be. */
void run_count_publish(struct run_count *c, uint64_t now, uint64_t *next_ms);

#endif
