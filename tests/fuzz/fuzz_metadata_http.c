/* libFuzzer: a reply from whatever answers at 169.254.169.254, as
 * stele-metadata reads it: in pieces (each prefix), then at the close. A
 * complete reply's body must lie within what was read. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

/* collector/ has an http.h too, and comes first on the include path. */
#include "../../metadata/http.h"

static void one(const uint8_t *data, size_t n, int eof)
{
	struct http_reply r;
	char why[HTTP_REASON_MAX];

	if (http_reply_parse(data, n, eof, &r, why) == HTTP_COMPLETE &&
	    (r.body > n || r.body_len > n - r.body || r.status < 100 || r.status > 599))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > HTTP_REPLY_MAX)
		return 0;
	one(data, size / 2, 0);
	one(data, size, 0);
	one(data, size, 1);
	return 0;
}
