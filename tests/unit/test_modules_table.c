/* Which modules a machine needs (init/boot/modules_table.c): the alias,
 * dependency, always and late lists as image/initrd-modules writes them, the
 * modalias globs as modprobe matches them, and the load rounds. */
#include <string.h>

#include "check.h"
#include "modules_table.h"
#include "power.h"

static struct module_table t;

static int setup(const char *aliases, const char *deps, const char *always, char *why)
{
	static const char files[] = "virtio.ko\nvirtio_pci.ko\nvirtio_blk.ko\nvirtio_scsi.ko\n"
				    "sd_mod.ko\nena.ko\ndm-mod.ko\n";

	memset(&t, 0, sizeof t);
	if (modules_list_parse(files, sizeof files - 1, &t.files, why))
		return -1;
	return module_table_aliases(&t, aliases, strlen(aliases), why) ||
	       module_table_deps(&t, deps, strlen(deps), why) ||
	       module_table_always(&t, always, strlen(always), why) ? -1 : 0;
}

static void test_glob(void)
{
	CHECK(module_glob("pci:v00001AF4d*sv*sd*bc*sc*i*", "pci:v00001AF4d00001001sv00001AF4sd00000002bc01sc00i00"));
	CHECK(!module_glob("pci:v00001AF4d*sv*sd*bc*sc*i*", "pci:v00008086d00001237sv00001AF4sd00001100bc06sc00i00"));
	CHECK(module_glob("virtio:d00000002v*", "virtio:d00000002v00001AF4"));
	CHECK(!module_glob("virtio:d00000002v*", "virtio:d00000008v00001AF4"));
	CHECK(module_glob("acpi*:LNXPWRBN:*", "acpi:LNXPWRBN:"));
	CHECK(module_glob("scsi:t-0x00*", "scsi:t-0x00"));
	CHECK(module_glob("a?c", "abc"));
	CHECK(!module_glob("a?c", "ac"));
	CHECK(module_glob("x[0-9a-f]y", "x7y"));
	CHECK(!module_glob("x[0-9a-f]y", "xgy"));
	CHECK(module_glob("x[!0-9]y", "xgy"));
	CHECK(!module_glob("x[!0-9]y", "x7y"));
	CHECK(!module_glob("x[0-9", "x7"));		/* an unclosed set matches nothing */
	CHECK(module_glob("*", ""));
	CHECK(!module_glob("a", ""));
	CHECK(module_glob("a*b*c", "aXXbYYbZc"));
	CHECK(!module_glob("a*b*c", "aXXbYYbZ"));
}

static void test_parse(void)
{
	char why[REASON_MAX];

	CHECK_INT(0, setup("virtio:d00000002v* virtio_blk.ko\n", "virtio_blk.ko virtio.ko\n",
			   "dm-mod.ko\n", why));
	CHECK_INT(1, t.n_alias);
	CHECK_STR("virtio:d00000002v*", t.alias[0].pattern);
	CHECK_INT(2, t.alias[0].module);
	CHECK(t.deps[2] == 1);
	CHECK(t.always == 1ull << 6);

	CHECK_INT(-1, setup("virtio:d00000002v*\n", "", "", why));
	CHECK_STR("alias.list line 1: not PATTERN FILE.ko", why);
	CHECK_INT(-1, setup("x nvme.ko\n", "", "", why));
	CHECK_STR("alias.list line 1: a module not in load.list", why);
	CHECK_INT(-1, setup("", "virtio.ko\nena.ko ena.ko\n", "", why));
	CHECK_STR("deps.list line 2: a module needs itself", why);
	CHECK_INT(-1, setup("", "ena.ko ext4.ko\n", "", why));
	CHECK_STR("deps.list line 1: a module not in load.list", why);
	CHECK_INT(-1, setup("", "", "dm-mod.ko\nbtrfs.ko", why));
	CHECK_STR("always.list line 2: a module not in load.list", why);
}

/* A virtio-scsi machine: the PCI device wants virtio_pci; once it is
 * loaded, the virtio device wants virtio_scsi; then the SCSI disk wants
 * sd_mod. Nothing asks for virtio_blk or ena. */
static void test_wanted(void)
{
	const char *round1[] = { "pci:v00001AF4d00001004sv00001AF4sd00000008bc01sc00i00",
				 "pci:v00008086d00001237sv00001AF4sd00001100bc06sc00i00" };
	const char *round2[] = { "virtio:d00000008v00001AF4" };
	const char *round3[] = { "scsi:t-0x00" };
	unsigned char matched[2];
	char why[REASON_MAX];
	uint64_t w, loaded = 0;

	CHECK_INT(0, setup("pci:v00001AF4d*sv*sd*bc*sc*i* virtio_pci.ko\n"
			   "virtio:d00000002v* virtio_blk.ko\n"
			   "virtio:d00000008v* virtio_scsi.ko\n"
			   "scsi:t-0x00* sd_mod.ko\n"
			   "pci:v00001D0Fd0000EC20sv*sd*bc*sc*i* ena.ko\n",
			   "virtio.ko\nvirtio_pci.ko virtio.ko\nvirtio_blk.ko virtio.ko\n"
			   "virtio_scsi.ko virtio.ko\nsd_mod.ko\nena.ko\ndm-mod.ko\n",
			   "dm-mod.ko\n", why));
	w = module_table_wanted(&t, round1, 2, 0, matched);
	CHECK(w == (1ull << 0 | 1ull << 1 | 1ull << 6));	/* virtio, virtio_pci, dm-mod */
	CHECK(matched[0] == 1 && matched[1] == 0);
	/* Dependencies first: virtio and dm-mod at once, then virtio_pci. */
	CHECK(module_table_ready(&t, w, loaded) == (1ull << 0 | 1ull << 6));
	loaded |= 1ull << 0 | 1ull << 6;
	CHECK(module_table_ready(&t, w, loaded) == 1ull << 1);
	loaded |= 1ull << 1;
	CHECK(module_table_ready(&t, w, loaded) == 0);

	w |= module_table_wanted(&t, round2, 1, 0, matched);
	CHECK(w >> 3 & 1);
	CHECK(!(w >> 2 & 1));				/* no virtio_blk */
	w |= module_table_wanted(&t, round3, 1, 0, matched);
	CHECK(w >> 4 & 1);
	CHECK(!(w >> 5 & 1));				/* no ena */
	CHECK(module_table_ready(&t, w, loaded) == (1ull << 3 | 1ull << 4));
}

static int late(const char *text, char *why)
{
	return module_table_late(&t, text, strlen(text), why);
}

/* Late ones (a NIC) wait for the root: skipped, their device still counted
 * as matched so it is not said to lack a module; what they need is not
 * wanted unless a module before the root needs it too. */
static void test_late(void)
{
	const char *devices[] = { "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00",
				  "pci:v00001D0Fd0000EC20sv00001D0Fsd00000000bc02sc00i00",
				  "virtio:d00000001v00001AF4", "virtio:d00000002v00001AF4" };
	unsigned char matched[4];
	char why[REASON_MAX];
	uint64_t w;

	CHECK_INT(0, setup("pci:v00001AF4d*sv*sd*bc*sc*i* virtio_pci.ko\n"
			   "virtio:d00000002v* virtio_blk.ko\n"
			   "virtio:d00000001v* virtio_scsi.ko\n"	/* standing in for virtio_net */
			   "pci:v00001D0Fd0000EC20sv*sd*bc*sc*i* ena.ko\n",
			   "virtio.ko\nvirtio_pci.ko virtio.ko\nvirtio_blk.ko virtio.ko\n"
			   "virtio_scsi.ko virtio.ko sd_mod.ko\nsd_mod.ko\nena.ko\ndm-mod.ko\n",
			   "dm-mod.ko\n", why));
	CHECK_INT(0, late("virtio_scsi.ko\nena.ko\n", why));
	CHECK(t.late == (1ull << 3 | 1ull << 5));
	w = module_table_wanted(&t, devices, 4, t.late, matched);
	/* virtio, virtio_pci, virtio_blk, dm-mod; not virtio_scsi, sd_mod, ena */
	CHECK(w == (1ull << 0 | 1ull << 1 | 1ull << 2 | 1ull << 6));
	CHECK(matched[0] && matched[1] && matched[2] && matched[3]);
	/* After the root, nothing skipped: the late ones and what they need. */
	w = module_table_wanted(&t, devices, 4, 0, matched);
	CHECK(w == (1ull << 0 | 1ull << 1 | 1ull << 2 | 1ull << 3 | 1ull << 4 | 1ull << 5 | 1ull << 6));

	CHECK_INT(-1, late("ena.ko\nigb.ko\n", why));
	CHECK_STR("late.list line 2: a module not in load.list", why);
	CHECK_INT(-1, late("dm-mod.ko\n", why));
	CHECK_STR("late.list line 1: a module always.list loads before the root", why);
	CHECK_INT(0, late("", why));
	CHECK(t.late == 0);
}

/* Only the buses the wanted modules' aliases name are scanned, and pci. */
static void test_buses(void)
{
	char why[REASON_MAX], buses[64];

	CHECK_INT(0, setup("virtio:d00000002v* virtio_blk.ko\n"
			   "acpi*:LNXPWRBN:* ena.ko\n"
			   "input:b*v*p*e*-e*k*r*a*m*l*s*f*w* ena.ko\n"
			   "virtio:d00000008v* virtio_scsi.ko\n"
			   "scsi:t-0x00* sd_mod.ko\n", "", "", why));
	module_table_buses(&t, 0, buses, sizeof buses);
	CHECK_STR("pci virtio acpi input scsi", buses);
	module_table_buses(&t, 1ull << 5, buses, sizeof buses);	/* ena late */
	CHECK_STR("pci virtio scsi", buses);
	module_table_buses(&t, 1ull << 5, buses, 12);			/* what fits */
	CHECK_STR("pci virtio", buses);
	CHECK_INT(0, setup("", "", "", why));
	module_table_buses(&t, 0, buses, sizeof buses);
	CHECK_STR("pci", buses);
}

int main(void)
{
	test_buses();
	test_glob();
	test_parse();
	test_wanted();
	test_late();
	return check_done();
}
