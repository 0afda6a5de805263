/* libFuzzer: the root verity signature partition, written by whoever wrote
 * the disk, parsed by stage 1 before the kernel has checked anything. */
#include <stddef.h>
#include <stdint.h>

#include "cmdline.h"
#include "verity_sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct verity_sig sig;
	char why[REASON_MAX];

	if (size <= VERITY_SIG_READ_MAX)
		verity_sig_parse(data, size, &sig, why);
	return 0;
}
