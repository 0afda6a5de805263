/* libFuzzer target: any bytes as the decrypted stream of one agent
 * connection, delivered in pieces (the first byte picks their size), as
 * the collector reads it: scan each item, take the first as a hello and
 * the rest as records, write their JSON lines, feed the metrics (the
 * hello's image too). Nothing
 * may crash or overrun; the scanner and the reader must agree on every
 * item's length; every line written must be one line of valid UTF-8
 * without raw control characters, ending in "}\n". */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cbor_in.h"
#include "json.h"
#include "../../collector/metrics.h"	/* not agent/metrics.h */
#include "record_json.h"

static char line[STORE_BUF_SIZE];
static struct metrics m;

static void check_line(const char *p, size_t n)
{
	if (n < 3 || p[0] != '{' || p[n - 2] != '}' || p[n - 1] != '\n')
		abort();
	for (size_t i = 0; i < n - 1;) {
		size_t k = utf8_seq((const unsigned char *)p + i, n - 1 - i);

		if (k == 0 || (unsigned char)p[i] < 0x20)
			abort();
		i += k;
	}
}

static void item(const unsigned char *p, size_t n, int first)
{
	static const char prefix[] = "{\"host\":\"h\",\"boot_id\":\"b\",\"seq\":";
	struct jbuf b = { line, 0, sizeof line, 0 };
	struct hello h;
	struct record r;
	const char *why = NULL;
	int rc;

	if (cbor_skip(p, n) != n)
		abort();
	if (first) {
		struct metrics_image img = { .expected = 0 };

		if (hello_parse(p, n, &h, &why) < 0) {
			if (!why)
				abort();
			return;
		}
		/* What the collector keeps of it for stele_image_info. */
		if (strlen(h.version) > IMAGE_VERSION_MAX || (h.pcr11[0] && strlen(h.pcr11) != 64) ||
		    (h.pcr15[0] && strlen(h.pcr15) != 64))
			abort();
		strcpy(img.version, h.version);
		strcpy(img.roothash, h.roothash);
		strcpy(img.pcr11, h.pcr11);
		metrics_image_set(&m, "h", &img, 0);
		return;
	}
	if (record_parse(p, n, &r, &why) < 0) {
		if (!why)
			abort();
		rc = 1;
	} else {
		rc = record_json(p, n, &r, prefix, sizeof prefix - 1, &b, &why);
		if (rc == -1)
			abort();	/* a line always fits an empty buffer */
		if (rc == 0)
			check_line(line, b.len);
		else if (b.len != 0 || !why)
			abort();
	}
	if (rc != 0) {
		/* What the collector stores instead: always a valid line. */
		if (record_invalid_json(p, n, r.seq ? r.seq : 1, why, prefix, sizeof prefix - 1, &b) < 0)
			abort();
		check_line(line, b.len);
		return;
	}
	if (r.samples)
		metrics_update(&m, "h", r.samples, r.samples_len, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static unsigned char in[CBOR_ITEM_MAX + 16384];
	struct cbor_scan sc;
	size_t len = 0, fed = 1, piece;
	int first = 1;

	if (size == 0)
		return 0;
	if (!m.host && metrics_init(&m) < 0)
		abort();
	piece = data[0] ? data[0] : 4096;
	cbor_scan_reset(&sc);
	while (fed < size) {
		size_t off = 0, n = size - fed < piece ? size - fed : piece;

		if (n > sizeof in - len)
			n = sizeof in - len;
		memcpy(in + len, data + fed, n);
		len += n;
		fed += n;
		for (;;) {
			const char *why;
			long k = cbor_scan_item(&sc, in + off, len - off, &why);

			if (k < 0)
				return 0;	/* the collector disconnects */
			if (k == 0)
				break;
			if ((size_t)k > CBOR_ITEM_MAX)
				abort();
			item(in + off, (size_t)k, first);
			first = 0;
			off += (size_t)k;
		}
		if (len - off >= CBOR_ITEM_MAX)
			abort();	/* the scanner must have refused it */
		memmove(in, in + off, len - off);
		len -= off;
	}
	return 0;
}
