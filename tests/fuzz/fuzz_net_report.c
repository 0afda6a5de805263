/* libFuzzer target: any bytes as one line the network service sends PID 1.
 * Nothing may crash or overrun; what is accepted holds only checked names
 * and at most three addresses, and formats back to the same report. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct net_report r, again;
	char why[96], line[NET_REPORT_LINE_MAX];
	size_t n;

	if (net_report_parse((const char *)data, size, &r, why) < 0) {
		if (strnlen(why, sizeof why) == sizeof why || !why[0])
			abort();
		return 0;
	}
	if (r.n_addr > NET_REPORT_ADDR_MAX || strnlen(r.name, sizeof r.name) == sizeof r.name)
		abort();
	if (r.name[0] && !dns_name_ok(r.name, strlen(r.name), sizeof r.name))
		abort();
	n = net_report_format(line, &r);
	if (n == 0 || line[n - 1] != '\n' || memchr(line, '\n', n - 1))
		abort();
	if (net_report_parse(line, n - 1, &again, why) < 0 || again.kind != r.kind ||
	    again.n_addr != r.n_addr || strcmp(again.name, r.name) != 0 ||
	    memcmp(again.addr, r.addr, r.n_addr * sizeof r.addr[0]) != 0)
		abort();
	return 0;
}
