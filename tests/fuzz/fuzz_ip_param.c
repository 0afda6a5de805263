/* libFuzzer target: any bytes as a kernel command line, from which ip= is
 * found and parsed. Nothing may crash or overrun; a static configuration
 * that is accepted must be usable as it stands. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline_word.h"
#include "ip_param.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[2048], val[IP_VALUE_MAX], why[IP_REASON_MAX];
	struct ip_param ip;

	if (size >= sizeof line)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	if (cmdline_find(line, "ip", val, sizeof val) != 1)
		return 0;
	if (ip_param_parse(val, &ip, why) < 0) {
		if (strnlen(why, sizeof why) == sizeof why || strncmp(why, "ip= ", 4) != 0)
			abort();
		return 0;
	}
	if (ip.n_dns > IP_DNS_MAX || strnlen(ip.device, sizeof ip.device) == sizeof ip.device)
		abort();
	if (ip.hostname[0] && !dns_name_ok(ip.hostname, strlen(ip.hostname), IP_HOSTNAME_MAX))
		abort();
	if (ip.mode == IP_STATIC && (!ip.client || ip4_prefix(ip.mask) < 1 ||
				     (ip.gw && ((ip.gw ^ ip.client) & ip.mask))))
		abort();
	if (ip.mode != IP_STATIC && ip.client)
		abort();
	return 0;
}
