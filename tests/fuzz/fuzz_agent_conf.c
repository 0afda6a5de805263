/* libFuzzer target: any bytes as agent.conf, then the same bytes as a
 * kernel command line. The parsers must neither crash nor overrun, and on
 * success hand back collectors with a host, a name and a port, absolute
 * paths, values in their ranges, and a first collector in the list. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static void check(const struct agent_conf *c)
{
	if (c->n_collectors > CONF_COLLECTORS_MAX || c->interval_s < 1 || c->interval_s > 3600 ||
	    c->buffer_bytes < 65536 || c->buffer_bytes > 256u << 20 ||
	    (c->order != COLLECTORS_SPREAD && c->order != COLLECTORS_ORDERED) ||
	    agent_conf_first_collector(c, "0f3b1c9e-1d2a-4c5b-8e7f-001122334455") >=
		    (c->n_collectors ? c->n_collectors : 1))
		abort();
	for (size_t i = 0; i < c->n_collectors; i++) {
		const struct host_port *a = &c->collector[i];
		size_t h = strnlen(a->host, sizeof a->host), n = strnlen(a->name, sizeof a->name);

		if (a->port == 0 || h == 0 || h == sizeof a->host || n == 0 || n == sizeof a->name)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char line[4096];
	struct agent_conf c;
	char why[CONF_REASON_MAX];

	if (agent_conf_parse("fuzz", (const char *)data, size, &c, why) != 0) {
		if (strnlen(why, sizeof why) == sizeof why)
			abort();
	} else {
		if (c.ca[0] != '/' || c.cert[0] != '/' || c.key[0] != '/')
			abort();
		check(&c);
	}
	if (size >= sizeof line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	memset(&c, 0, sizeof c);
	c.interval_s = 10;
	c.buffer_bytes = 65536;
	if (agent_conf_cmdline(line, &c, why) != 0) {
		if (strnlen(why, sizeof why) == sizeof why)
			abort();
		return 0;
	}
	check(&c);
	return 0;
}
