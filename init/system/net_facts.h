#ifndef STELE_NET_FACTS_H
#define STELE_NET_FACTS_H

#include <stddef.h>

/* PID 1's side of what the network service reports (lib/net_report.h):
 * the host name it sets unless one was given (HOSTNAME_PINNED), and
 * RUN_DIR/resolv.conf (where /etc/resolv.conf points) and
 * RUN_DIR/ntp-servers, which it writes. */

#define NET_RESOLV_CONF "resolv.conf"
#define NET_NTP_SERVERS "ntp-servers"

/* Makes the pipe; pass[0] gets its write end, for the service's fd 3.
 * Returns the number of fds to pass (1), or 0 with errno. */
size_t net_facts_pipe(int *pass);

/* The read end for PID 1's poll, or -1. */
int net_facts_fd(void);

/* Reads what is waiting, a bounded amount, and applies each whole line.
 * Never blocks; a bad line is said on the console and ignored. */
void net_facts_read(void);

#endif
