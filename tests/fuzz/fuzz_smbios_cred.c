/* libFuzzer: an SMBIOS table from an untrusted hypervisor, walked for type
 * 11 strings, each parsed as a credential. */
#include <stddef.h>
#include <stdint.h>

#include "smbios_cred.h"

static void one_string(void *ctx, const char *s, size_t n)
{
	static unsigned char value[CRED_VALUE_MAX];
	char name[CRED_NAME_MAX], why[160];
	size_t vlen;

	(void)ctx;
	cred_parse(s, n, name, value, &vlen, why);
}

static void one_structure(void *ctx, const unsigned char *s, size_t n)
{
	smbios_strings(s, n, one_string, ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	smbios_structures(data, size, 11, one_structure, NULL);
	smbios_strings(data, size, one_string, NULL);
	/* Instance metadata: the same strings, one per line. */
	cred_lines((const char *)data, size, one_string, NULL);
	return 0;
}
