/* Spreading a fleet over its collectors: every agent of an image has the
 * same list, and if each started at the first, the first would carry the
 * fleet and the others stand idle. The boot id is random per boot, so
 * hashing it spreads agents evenly; it is also fixed for the boot, so an
 * agent that restarts goes back where it was, to the collector that
 * already has its records. */
#include "conf.h"

size_t agent_conf_first_collector(const struct agent_conf *c, const char *boot_id)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	if (c->order == COLLECTORS_ORDERED || c->n_collectors < 2)
		return 0;
	for (const char *s = boot_id; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	/* MurmurHash3's finalizer: FNV alone stirs its low bits only with
	 * the input's low bits, and its high bits hardly with the last byte. */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h % c->n_collectors;
}
