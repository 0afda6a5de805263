/* libFuzzer target: any bytes as the collector's --expect FILE. The parser
 * must neither crash nor overrun; a refusal names the file and says why
 * in printable ASCII, and keeps no image; on success every image is
 * valid, and each one, read as a host's hello would say it, matches. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "image_expect.h"

static struct image_expect x;

static void printable(const char *s)
{
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			abort();
}

/* The value a hello would carry for field f: "" for "-", anything for "*". */
static const char *concrete(const char *f, const char *any)
{
	return strcmp(f, "-") == 0 ? "" : strcmp(f, "*") == 0 ? any : f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[300];
	static const char p64[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

	why[0] = '\0';
	if (image_expect_parse(&x, "f", (const char *)data, size, why, sizeof why) < 0) {
		if (x.n != 0 || strncmp(why, "f:", 2) != 0)
			abort();
		printable(why);
		return 0;
	}
	if (x.n == 0 || x.n > IMAGE_EXPECT_MAX)
		abort();
	for (size_t i = 0; i < x.n; i++) {
		const struct image_expect_entry *e = &x.e[i];
		const char *v = concrete(e->version, "1"), *r = concrete(e->roothash, p64),
			   *p = concrete(e->pcr11, p64);
		char pcr[IMAGE_PCR_HEX + 1];

		if ((*v && !image_version_ok(v, strlen(v))) ||
		    (*r && strlen(r) != 64 && strlen(r) != IMAGE_ROOTHASH_MAX) ||
		    (*p && image_pcr_copy(pcr, p, strlen(p)) < 0) || (*p && strcmp(pcr, p) != 0) ||
		    !image_expect_match(&x, v, r, p))
			abort();
	}
	return 0;
}
