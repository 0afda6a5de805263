/* Who gets a connection slot: a free one while the caps allow, else the
 * oldest pending connection of the newcomer's source, else the oldest
 * pending one of anyone's; authenticated agents are never displaced, and
 * the reserve stays theirs. */

#include <netinet/in.h>
#include <string.h>

#include "admission.h"
#include "check.h"

#define N 8

static struct admission_slot slot[N];
static const struct admission_limits lim = { .max = N, .reserve = 2, .per_source = 3 };

static struct admission_src src(unsigned char last)
{
	struct admission_src s = { .len = 4 };

	s.a[0] = 127;
	s.a[3] = last;
	return s;
}

static void put(size_t i, unsigned char from, int authenticated, uint64_t since)
{
	slot[i] = (struct admission_slot){ 1, authenticated, since, src(from) };
}

static enum admission pick(unsigned char from, size_t *at)
{
	struct admission_src s = src(from);

	*at = SIZE_MAX;
	return admission_pick(slot, N, &lim, &s, at);
}

static void test_free_first(void)
{
	size_t at;

	memset(slot, 0, sizeof slot);
	CHECK_INT(ADMIT_FREE, pick(1, &at));
	CHECK_INT(0, at);
	put(0, 1, 0, 10);
	put(1, 2, 1, 11);
	CHECK_INT(ADMIT_FREE, pick(1, &at));
	CHECK_INT(2, at);
}

static void test_per_source(void)
{
	size_t at;

	memset(slot, 0, sizeof slot);
	put(0, 1, 0, 30);
	put(1, 1, 0, 20);	/* the oldest from .1 */
	put(2, 1, 1, 5);	/* authenticated: not counted, never evicted */
	put(3, 2, 0, 1);	/* older, but another source */
	put(4, 1, 0, 40);
	CHECK_INT(ADMIT_EVICT_SOURCE, pick(1, &at));
	CHECK_INT(1, at);
	/* Another source still gets a free slot. */
	CHECK_INT(ADMIT_FREE, pick(3, &at));
	CHECK_INT(5, at);
}

static void test_reserve(void)
{
	size_t at;

	/* Six pending (max - reserve), from six sources: a seventh evicts the
	 * oldest of them although two slots are free. */
	memset(slot, 0, sizeof slot);
	for (size_t i = 0; i < 6; i++)
		put(i, (unsigned char)(10 + i), 0, 100 - i);
	CHECK_INT(ADMIT_EVICT_PENDING, pick(1, &at));
	CHECK_INT(5, at);
	/* Authenticated agents take the reserve: the last slots fill. */
	put(6, 20, 1, 1);
	put(7, 21, 1, 2);
	CHECK_INT(ADMIT_EVICT_PENDING, pick(1, &at));
	CHECK_INT(5, at);
}

static void test_full_of_agents(void)
{
	size_t at;

	memset(slot, 0, sizeof slot);
	for (size_t i = 0; i < N; i++)
		put(i, (unsigned char)i, 1, i);
	CHECK_INT(ADMIT_FULL, pick(1, &at));
	CHECK_INT(SIZE_MAX, at);
	/* One pending among them: it gives way. */
	put(3, 9, 0, 50);
	CHECK_INT(ADMIT_EVICT_PENDING, pick(1, &at));
	CHECK_INT(3, at);
}

static void test_src_of(void)
{
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_port = htons(1) };
	struct sockaddr_in in2 = in;
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
	struct admission_src a, b, c;

	in.sin_addr.s_addr = htonl(0x7f000001);
	in2.sin_addr.s_addr = htonl(0x7f000001);
	in2.sin_port = htons(2);
	in6.sin6_addr.s6_addr[15] = 1;
	admission_src_of((struct sockaddr *)&in, &a);
	admission_src_of((struct sockaddr *)&in2, &b);
	admission_src_of((struct sockaddr *)&in6, &c);
	CHECK_INT(4, a.len);
	CHECK_MEM(a.a, b.a, 4);	/* the port is not part of the source */
	CHECK_INT(16, c.len);
	CHECK_INT(1, c.a[15]);
}

int main(void)
{
	test_free_first();
	test_per_source();
	test_reserve();
	test_full_of_agents();
	test_src_of();
	return check_done();
}
