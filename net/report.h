#ifndef STELE_NET_SEND_REPORT_H
#define STELE_NET_SEND_REPORT_H

#include "net_report.h"

/* Sends r to PID 1 on NET_REPORT_FD, one whole line (shorter than
 * PIPE_BUF, so never mixed with another). A failure is said on stdout,
 * once. */
void report_send(const struct net_report *r);

#endif
