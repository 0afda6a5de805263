#ifndef STELE_AGENT_CONF_H
#define STELE_AGENT_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "netaddr.h"

/* /etc/stele/agent.conf: "key = value" lines, '#' comments.
 *   collector = HOST:PORT[/NAME]   repeatable, in order of preference; NAME
 *                                  is what the collector's certificate must
 *                                  name (default: HOST)
 *   ca = PATH                      CA that signed the collectors' certificates
 *   cert = PATH                    the agent's certificate (chain)
 *   key = PATH                     the agent's EC private key
 *   interval = SECONDS             metrics interval, 1-3600 (default 10)
 *   buffer = SIZE                  bytes of unacknowledged records kept,
 *                                  with K/M suffix, 64K-256M (default 8M)
 *   collectors = spread|ordered    which collector a boot tries first:
 *                                  spread (default) one its boot id picks,
 *                                  ordered the first; then the list order,
 *                                  wrapping, is the failover order
 * stele.collector=HOST:PORT[/NAME][,...] on the kernel command line
 * replaces every collector line. */

#define CONF_COLLECTORS_MAX 4
#define CONF_HOST_MAX HOSTPORT_HOST_MAX
#define CONF_PATH_MAX 128
#define CONF_REASON_MAX 200

enum collector_order { COLLECTORS_SPREAD, COLLECTORS_ORDERED };

struct agent_conf {
	/* HOST:PORT[/NAME] as lib/netaddr.h parses them, NAME what the
	 * collector's certificate must name. */
	struct host_port collector[CONF_COLLECTORS_MAX];
	size_t n_collectors;
	enum collector_order order;
	char ca[CONF_PATH_MAX], cert[CONF_PATH_MAX], key[CONF_PATH_MAX];
	unsigned interval_s;
	size_t buffer_bytes;
};

/* Parses text[len] (file name for messages: path). Returns 0, or -1 with
 * "PATH:LINE: key: reason" in why[CONF_REASON_MAX]. */
int agent_conf_parse(const char *path, const char *text, size_t len, struct agent_conf *c,
		     char *why);

/* Applies stele.collector= from a kernel command line, if present.
 * Returns 0 (also when absent), or -1 with a reason naming the value. */
int agent_conf_cmdline(const char *cmdline, struct agent_conf *c, char *why);

/* Which collector this boot tries first: 0 when ordered (or with one
 * collector); else a hash of boot_id modulo the number of collectors,
 * so that a fleet sharing one list spreads evenly over it, and an agent
 * keeps its place for the whole boot, restarts included. */
size_t agent_conf_first_collector(const struct agent_conf *c, const char *boot_id);

#endif
