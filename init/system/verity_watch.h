#ifndef STELE_VERITY_WATCH_H
#define STELE_VERITY_WATCH_H

#include <stdint.h>

/* Publishes the root's dm-verity status for the agent in /run/stele/verity
 * ("1\n": every block read so far verified, "0\n": corruption seen; the
 * stele_root_verity_ok metric), checking every VERITY_CHECK_MS. With the
 * default restart-on-corruption the machine restarts first; with
 * ignore-corruption or check-at-most-once this is how it is seen. */
#define VERITY_CHECK_MS 10000

/* Writes /run/stele/roothash: the root hash the kernel verifies against
 * (for the agent; a signed image's command line may not carry it). */
void verity_publish_roothash(void);

/* Checks if now has reached *next_ms, and sets the next check. */
void verity_watch(uint64_t now, uint64_t *next_ms);

#endif
