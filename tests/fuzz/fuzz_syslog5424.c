/* libFuzzer target: any bytes as a record's JSON line, the first byte
 * picking how much room the message gets (so that cutting is exercised),
 * into syslog5424_format. Nothing may crash or overrun; a message must fit
 * the buffer and have a header and structured data that RFC 5424's grammar
 * accepts (rfc5424_check.h, an independent reading); a refusal must say
 * why. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "../unit/rfc5424_check.h"
#include "syslog5424.h"

static char out[SYSLOG5424_HEAD_MAX + 4096];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	size_t cap, len = 0;
	int rc;

	if (size < 1)
		return 0;
	cap = SYSLOG5424_MIN + (size_t)data[0] * 16;
	rc = syslog5424_format((const char *)data + 1, size - 1, out, cap, &len, &why);
	if (rc < -1 || rc > 1 || (rc == -1 && !why) || (rc != 1 && len != 0))
		abort();
	if (rc == 1 && (len > cap || rfc5424_check(out, len) != NULL))
		abort();
	return 0;
}
