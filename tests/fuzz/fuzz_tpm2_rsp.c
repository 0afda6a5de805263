/* libFuzzer target: any bytes as a TPM's reply to stage 1's two commands
 * (init/boot/tpm2_cmd.c). Nothing may crash or read past the reply; at most
 * TPM2_BANKS_MAX banks are found, and only in a reply long enough to name
 * one (header, moreData, capability, count). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "power.h"
#include "tpm2_cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tpm2_banks b;
	char why[REASON_MAX];

	if (size > TPM2_RSP_MAX)
		return 0;
	(void)tpm2_rsp_check(data, size, "PCR_Extend", why);
	for (unsigned pcr = 0; pcr < 32; pcr += 15) {
		int rc = tpm2_rsp_pcr_banks(data, size, pcr, &b, why);

		if (b.n > TPM2_BANKS_MAX || (rc == 0 && size < 19))
			abort();
	}
	return 0;
}
