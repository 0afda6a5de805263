/* libFuzzer target: any bytes as a /dev/log datagram and as a /dev/kmsg
 * record. Nothing may read past the input; every field must point inside
 * it (or be kmsg's "kernel") and hold a value the record format allows. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "logparse.h"

static int inside(const char *p, size_t n, const uint8_t *data, size_t size)
{
	return n == 0 || ((const uint8_t *)p >= data && (const uint8_t *)p + n <= data + size);
}

static void sane(const struct log_fields *f, const uint8_t *data, size_t size)
{
	if (f->sev < 0 || f->sev > 7 || f->fac < 0 || f->fac > 23 || f->t_ns < -1 || f->pid < -1 ||
	    f->uid != -1 || f->tag_len != 0 || f->cont)
		abort();
	if (!inside(f->msg, f->msg_len, data, size))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct log_fields f;
	uint64_t seq, usec;

	if (syslog_parse(buf, size, &f) == 0) {
		sane(&f, data, size);
		if (!inside(f.app, f.app_len, data, size))
			abort();
	} else if (size != 0) {
		abort();
	}
	if (kmsg_parse(buf, size, &f, &seq, &usec) == 0) {
		sane(&f, data, size);
		if (!inside(f.app, f.app_len, data, size) &&
		    !(f.app_len == 6 && memcmp(f.app, "kernel", 6) == 0))
			abort();
	}
	return 0;
}
