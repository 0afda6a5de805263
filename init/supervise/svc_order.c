#include <string.h>

#include "svc.h"

/* 1 if conf[i] names a service in conf that is not placed yet. */
static int waits(const struct service_conf *const conf[], size_t n, const char *placed, size_t i)
{
	for (size_t a = 0; a < conf[i]->n_after; a++)
		for (size_t j = 0; j < n; j++)
			if (j != i && !placed[j] && strcmp(conf[i]->after[a], conf[j]->name) == 0)
				return 1;
	return 0;
}

/* Kahn's algorithm, lowest index first among the ready ones, so the order
 * is the same on every boot. n is at most SVC_MAX: quadratic is fine. */
size_t svc_order(const struct service_conf *const conf[], size_t n, size_t *order)
{
	char placed[SVC_MAX] = { 0 };
	size_t done = 0;

	if (n > SVC_MAX)
		n = SVC_MAX;
	while (done < n) {
		size_t i;

		for (i = 0; i < n; i++)
			if (!placed[i] && !waits(conf, n, placed, i))
				break;
		if (i == n)
			break;
		placed[i] = 1;
		order[done++] = i;
	}
	return done;
}
