/* A sink takes each record of a boot once, in whatever order JetStream
 * delivers them: later seqs first (a retried publish), the same one
 * again (a redelivery), a jump past the window; the least recently used
 * boot is forgotten first when the table is full. */

#include <stdio.h>

#include "check.h"
#include "seen.h"

static struct seen s;

static void out_of_order(void)
{
	int fresh;
	struct seen_boot *b = seen_get(&s, "alpha", "boot1", &fresh);

	CHECK(fresh);
	CHECK(!seen_test(b, 1));
	seen_mark(b, 1);
	seen_mark(b, 3);	/* 2 came later */
	CHECK(seen_test(b, 1));
	CHECK(!seen_test(b, 2));
	CHECK(seen_test(b, 3));
	seen_mark(b, 2);
	CHECK(seen_test(b, 2));
	CHECK(!seen_test(b, 4));
	CHECK(seen_get(&s, "alpha", "boot1", &fresh) == b && !fresh);
	CHECK(seen_get(&s, "beta", "boot1", &fresh) != b && fresh);	/* host and boot both count */
}

static void window(void)
{
	int fresh;
	struct seen_boot *b = seen_get(&s, "gamma", "boot", &fresh);
	unsigned wrong = 0;

	for (uint64_t q = 1; q <= 3 * SEEN_WINDOW; q += 2)
		seen_mark(b, q);
	/* Within the window: odd seen, even not; the cells reused per lap
	 * were cleared. */
	for (uint64_t q = 2 * SEEN_WINDOW + 2; q <= 3 * SEEN_WINDOW; q++)
		wrong += seen_test(b, q) != (int)(q % 2);
	CHECK_INT(0, wrong);
	CHECK(seen_test(b, 2));	/* older than the window: counted as seen */
	seen_mark(b, 10 * SEEN_WINDOW);	/* a jump clears every cell */
	CHECK(!seen_test(b, 10 * SEEN_WINDOW - 1));
	CHECK(seen_test(b, 10 * SEEN_WINDOW));
}

static void eviction(void)
{
	char boot[32];
	int fresh, fresh_count = 0;

	seen_reset(&s);
	for (int i = 0; i < SEEN_BOOTS_MAX; i++) {
		snprintf(boot, sizeof boot, "b%d", i);
		seen_mark(seen_get(&s, "h", boot, &fresh), 7);
	}
	seen_get(&s, "h", "b0", &fresh);	/* used: b1 is now the oldest */
	seen_get(&s, "h", "new", &fresh);
	CHECK(fresh);
	CHECK(seen_test(seen_get(&s, "h", "b0", &fresh), 7) && !fresh);
	seen_get(&s, "h", "b1", &fresh);
	CHECK(fresh);	/* forgotten */
	seen_reset(&s);
	for (int i = 0; i < 3; i++) {
		snprintf(boot, sizeof boot, "b%d", i);
		seen_get(&s, "h", boot, &fresh);
		fresh_count += fresh;
	}
	CHECK_INT(3, fresh_count);
}

int main(void)
{
	if (!CHECK(seen_init(&s) == 0))
		return check_done();
	out_of_order();
	window();
	eviction();
	seen_free(&s);
	return check_done();
}
