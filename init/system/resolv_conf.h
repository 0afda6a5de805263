#ifndef STELE_RESOLV_CONF_H
#define STELE_RESOLV_CONF_H

#include <stddef.h>
#include <stdint.h>

#define RESOLV_CONF_MAX 512
#define RESOLV_DOMAIN_MAX 128		/* with NUL */

/* Formats a resolv.conf of the nameservers dns[n] and, when domain is not
 * "", a search line; a domain failing dns_name_ok() is left out, so
 * nothing from the network can add a line of its own. Returns the length
 * written into buf[cap], or 0 if it does not fit. PID 1 writes it to
 * RUN_DIR/resolv.conf (net_facts.h), where /etc/resolv.conf points. */
size_t resolv_conf_format(char *buf, size_t cap, const uint32_t *dns, size_t n, const char *domain);

#endif
