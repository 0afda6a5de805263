#ifndef STELE_RESOLV_CONF_H
#define STELE_RESOLV_CONF_H

#include <stddef.h>
#include <stdint.h>

#define RESOLV_CONF_PATH "/run/resolv.conf"	/* /etc/resolv.conf points here */
#define RESOLV_CONF_MAX 512

/* Formats a resolv.conf of the nameservers dns[n] and, when domain is not
 * "", a search line; a domain failing dns_name_ok() is left out, so
 * nothing from the network can add a line of its own. Returns the length
 * written into buf[cap], or 0 if it does not fit. */
size_t resolv_conf_format(char *buf, size_t cap, const uint32_t *dns, size_t n, const char *domain);

/* Replaces path atomically: writes path.tmp (mode 0644 whatever the
 * umask: every service resolves names), then renames it over path.
 * Returns 0, or -1 with errno. */
int resolv_conf_write(const char *path, const uint32_t *dns, size_t n, const char *domain);

#endif
