/* Which collector a boot tries first: with `collectors = spread` (the
 * default) a place its boot id picks, evenly over the list for a fleet
 * of boots, the same for every start of one boot; with `ordered`, always
 * the first. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "conf.h"

#define PATHS "ca = /a\ncert = /b\nkey = /c\n"
#define FOUR "collector = a:1\ncollector = b:2\ncollector = c:3\ncollector = d:4\n"
#define BOOTS 1200

static struct agent_conf conf;
static char why[CONF_REASON_MAX];

static int parse(const char *text)
{
	check_what = text;
	return agent_conf_parse("agent.conf", text, strlen(text), &conf, why);
}

/* Boot ids as the kernel writes them (random UUIDs, lowercase hex), from
 * a fixed generator so that a failure can be reproduced. */
static const char *boot_id(unsigned i)
{
	static char id[37];
	static const char hex[] = "0123456789abcdef";
	uint64_t x = 0x9e3779b97f4a7c15u * (i + 1);

	for (int k = 0; k < 36; k++) {
		x ^= x >> 29;
		x *= 0xbf58476d1ce4e5b9u;
		x ^= x >> 32;
		id[k] = k == 8 || k == 13 || k == 18 || k == 23 ? '-' : hex[x & 15];
	}
	id[36] = '\0';
	return id;
}

/* Known answers: the same pick on every build and every architecture. */
static void test_known(void)
{
	CHECK_INT(0, parse(PATHS FOUR));
	CHECK_INT(COLLECTORS_SPREAD, conf.order);
	CHECK_INT(0, agent_conf_first_collector(&conf, "0f3b1c9e-1d2a-4c5b-8e7f-001122334455"));
	CHECK_INT(2, agent_conf_first_collector(&conf, "6c1d7e8a-33f5-4b0e-9a4e-5b2d1f0c7a93"));
	CHECK_INT(1, agent_conf_first_collector(&conf, "6c1d7e8a-33f5-4b0e-9a4e-5b2d1f0c7a94"));
	conf.n_collectors = 3;
	CHECK_INT(2, agent_conf_first_collector(&conf, "0f3b1c9e-1d2a-4c5b-8e7f-001122334455"));
	/* One boot, one place: an agent restarted in it goes back there. */
	CHECK_INT(agent_conf_first_collector(&conf, boot_id(7)),
		  agent_conf_first_collector(&conf, boot_id(7)));
}

/* Over many boots every position is picked, each about as often. */
static void test_spread(void)
{
	for (size_t n = 1; n <= CONF_COLLECTORS_MAX; n++) {
		unsigned count[CONF_COLLECTORS_MAX] = { 0 };
		char label[64];

		CHECK_INT(0, parse(PATHS FOUR "collectors = spread\n"));
		conf.n_collectors = n;
		for (unsigned i = 0; i < BOOTS; i++) {
			size_t at = agent_conf_first_collector(&conf, boot_id(i));

			if (!CHECK(at < n))
				return;
			count[at]++;
		}
		snprintf(label, sizeof label, "%zu collectors", n);
		check_what = label;
		for (size_t at = 0; at < n; at++) {
			/* Within 15% of BOOTS / n: binomial, far past 3 sigma. */
			CHECK(count[at] * n * 100 >= BOOTS * 85);
			CHECK(count[at] * n * 100 <= BOOTS * 115);
		}
	}
}

static void test_ordered(void)
{
	CHECK_INT(0, parse(PATHS FOUR "collectors = ordered\n"));
	CHECK_INT(COLLECTORS_ORDERED, conf.order);
	for (unsigned i = 0; i < BOOTS; i++)
		if (!CHECK_INT(0, agent_conf_first_collector(&conf, boot_id(i))))
			break;
	/* stele.collector= replaces the list, not how it is walked. */
	CHECK_INT(0, agent_conf_cmdline("stele.collector=x:1,y:2", &conf, why));
	CHECK_INT(2, conf.n_collectors);
	CHECK_INT(COLLECTORS_ORDERED, conf.order);
	CHECK_INT(0, agent_conf_first_collector(&conf, boot_id(1)));
}

int main(void)
{
	test_known();
	test_spread();
	test_ordered();
	return check_done();
}
