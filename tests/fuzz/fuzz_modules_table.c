/* libFuzzer target: any bytes as the initramfs's alias.list, deps.list,
 * always.list and late.list (and the part after a NUL as a device's
 * modalias). Nothing may crash or overrun; what parses names only modules
 * of the list, late ones are never always ones, skipped ones are wanted
 * only as another's dependency, and the load rounds end with every wanted
 * module loaded. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "modules_table.h"
#include "power.h"

static struct module_table t;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char files[] = "virtio.ko\nvirtio_pci.ko\nvirtio_blk.ko\nsd_mod.ko\ndm-mod.ko\n";
	const char *text = (const char *)data, *nul = memchr(data, '\0', size);
	size_t len = nul ? (size_t)(nul - text) : size;
	char why[REASON_MAX], alias[64] = "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00";
	const char *devs[1] = { alias };
	unsigned char matched[1];
	uint64_t wanted, loaded = 0, skip = 0;

	if (nul && size - len - 1 < sizeof alias) {
		memcpy(alias, nul + 1, size - len - 1);
		alias[size - len - 1] = '\0';
	}
	memset(&t, 0, sizeof t);
	if (modules_list_parse(files, sizeof files - 1, &t.files, why))
		abort();
	if (module_table_aliases(&t, text, len, why) == 0) {
		for (size_t a = 0; a < t.n_alias; a++)
			if (t.alias[a].module >= t.files.count)
				abort();
	}
	if (module_table_deps(&t, text, len, why) || module_table_always(&t, text, len, why))
		return 0;
	if (module_table_late(&t, text, len, why) == 0) {
		if (t.late & t.always)
			abort();
		skip = t.late;
	}
	{
		char buses[24];

		module_table_buses(&t, skip, buses, sizeof buses);
		if (strlen(buses) >= sizeof buses || strncmp(buses, "pci", 3) != 0)
			abort();
	}
	wanted = module_table_wanted(&t, devs, 1, skip, matched);
	if (wanted >> t.files.count)
		abort();
	for (int i = 0; i < t.files.count; i++) {
		uint64_t needed = t.always;

		for (int j = 0; j < t.files.count; j++)
			needed |= wanted >> j & 1 ? t.deps[j] : 0;
		if ((skip & wanted) >> i & 1 && !(needed >> i & 1))
			abort();
	}
	for (int round = 0; round < MODULES_MAX && (wanted & ~loaded); round++) {
		uint64_t ready = module_table_ready(&t, wanted, loaded);

		if (!ready)
			return 0;	/* a cycle: refused by stage 1 */
		loaded |= ready;
	}
	if (wanted & ~loaded)
		abort();
	return 0;
}
