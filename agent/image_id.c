#include "image_id.h"

#include <stdio.h>
#include <string.h>

#include "read_small.h"

#define OS_RELEASE_MAX 4096	/* read of it; IMAGE_VERSION past that is not seen */

int image_id_os_release(const char *text, char *out)
{
	static const char key[] = "IMAGE_VERSION=";
	const char *val = NULL;
	size_t val_len = 0;

	out[0] = '\0';
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");

		if (n >= sizeof key - 1 && memcmp(p, key, sizeof key - 1) == 0) {
			val = p + sizeof key - 1;
			val_len = n - (sizeof key - 1);
		}
		p += n + (p[n] == '\n');
	}
	if (!val)
		return 0;
	if (val_len >= 2 && (val[0] == '"' || val[0] == '\'') && val[val_len - 1] == val[0]) {
		val++;
		val_len -= 2;
	}
	if (!image_version_ok(val, val_len))
		return -1;
	memcpy(out, val, val_len);
	out[val_len] = '\0';
	return 1;
}

static void pcr(const char *root, const char *n, char *out)
{
	char path[256], text[IMAGE_PCR_HEX + 8];
	size_t len;

	out[0] = '\0';
	if (snprintf(path, sizeof path, "%s/sys/class/tpm/tpm0/pcr-sha256/%s", root, n) >=
	    (int)sizeof path)
		return;
	len = read_small(path, text, sizeof text);
	if (len == 0)
		return;	/* no TPM, or no SHA-256 bank */
	if (text[len - 1] == '\n')
		len--;
	if (image_pcr_copy(out, text, len) < 0)
		fprintf(stderr, "agent: %s: not %d hex digits; PCR %s left out of the hello\n",
			path, IMAGE_PCR_HEX, n);
}

void image_id_read(struct image_id *id, const char *root)
{
	static const char *const where[] = { "etc/os-release", "usr/lib/os-release" };
	char path[256], text[OS_RELEASE_MAX];

	memset(id, 0, sizeof *id);
	for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
		if (snprintf(path, sizeof path, "%s/%s", root, where[i]) >= (int)sizeof path ||
		    read_small(path, text, sizeof text) == 0)
			continue;
		if (image_id_os_release(text, id->version) < 0)
			fprintf(stderr, "agent: %s: IMAGE_VERSION is not 1 to %d of A-Z a-z 0-9 . _ ~ + - "
				"(a letter or digit first); "
				"left out of the hello\n", path, IMAGE_VERSION_MAX);
		break;
	}
	pcr(root, "11", id->pcr11);
	pcr(root, "15", id->pcr15);
}
