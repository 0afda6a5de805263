#include "admission.h"

#include <netinet/in.h>
#include <string.h>

static int same_src(const struct admission_src *a, const struct admission_src *b)
{
	return a->len && a->len == b->len && memcmp(a->a, b->a, a->len) == 0;
}

/* Index of the older of two pending slots (SIZE_MAX: none yet). */
static size_t older(const struct admission_slot *slot, size_t best, size_t i)
{
	return best == SIZE_MAX || slot[i].since < slot[best].since ? i : best;
}

enum admission admission_pick(const struct admission_slot *slot, size_t n,
			      const struct admission_limits *l, const struct admission_src *src,
			      size_t *at)
{
	size_t free_at = SIZE_MAX, oldest = SIZE_MAX, oldest_src = SIZE_MAX;
	size_t pending = 0, from_src = 0;
	size_t pending_cap = l->max > l->reserve ? l->max - l->reserve : 0;

	for (size_t i = 0; i < n; i++) {
		if (!slot[i].used) {
			if (free_at == SIZE_MAX)
				free_at = i;
			continue;
		}
		if (slot[i].authenticated)
			continue;
		pending++;
		oldest = older(slot, oldest, i);
		if (same_src(&slot[i].src, src)) {
			from_src++;
			oldest_src = older(slot, oldest_src, i);
		}
	}
	if (from_src >= l->per_source && oldest_src != SIZE_MAX) {
		*at = oldest_src;
		return ADMIT_EVICT_SOURCE;
	}
	if ((pending >= pending_cap || free_at == SIZE_MAX) && oldest != SIZE_MAX) {
		*at = oldest;
		return ADMIT_EVICT_PENDING;
	}
	if (free_at == SIZE_MAX || pending >= pending_cap)
		return ADMIT_FULL;
	*at = free_at;
	return ADMIT_FREE;
}

void admission_src_of(const struct sockaddr *sa, struct admission_src *src)
{
	memset(src, 0, sizeof *src);
	if (sa->sa_family == AF_INET) {
		memcpy(src->a, &((const struct sockaddr_in *)sa)->sin_addr, 4);
		src->len = 4;
	} else if (sa->sa_family == AF_INET6) {
		memcpy(src->a, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
		src->len = 16;
	}
}
