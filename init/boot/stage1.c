/* Stage 1: PID 1 in the initramfs. Everything here may fail, and every
 * failure ends in refuse_boot(): there is no path to a shell and none to a
 * root that dm-verity does not check. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmdline.h"
#include "devices.h"
#include "dm_verity.h"
#include "log.h"
#include "modules.h"
#include "mounts.h"
#include "power.h"
#include "stages.h"
#include "tpm_measure.h"
#include "verity_roothash.h"
#include "verity_sb.h"
#include "verity_sig.h"

#define NEWROOT "/sysroot"


/* stdin is /dev/null, stdout and stderr the console, write-only: the
 * console is never read. */
static void open_console(void)
{
	int null = open("/dev/null", O_RDONLY);
	int con = open("/dev/console", O_WRONLY | O_NOCTTY);

	if (null >= 0 && null != 0) {
		dup2(null, 0);
		close(null);
	}
	if (con >= 0) {
		dup2(con, 1);
		dup2(con, 2);
		if (con > 2)
			close(con);
	}
	log_open_kmsg();
}

static void read_cmdline(char *buf, size_t cap, char *why)
{
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, cap - 1);

	if (fd >= 0)
		close(fd);
	if (n < 0) {
		snprintf(why, REASON_MAX, "cannot read /proc/cmdline: %s", strerror(errno));
		refuse_boot(POWER_OFF, why);
	}
	buf[n] = '\0';
}

static void read_superblock(const struct block_dev *hash, struct verity_sb *sb,
			    enum power_action fail, char *why)
{
	unsigned char buf[VERITY_SB_SIZE];
	ssize_t n = pread(hash->fd, buf, sizeof buf, 0);

	if (n < 0) {
		snprintf(why, REASON_MAX, "cannot read %s: %s", hash->path, strerror(errno));
		refuse_boot(fail, why);
	}
	if (verity_sb_parse(buf, (size_t)n, sb, why))
		refuse_boot(fail, why);
}

/* Looks for the root verity signature partition (near: as for
 * devices_find_sig) and parses it into *sig. Its rootHash becomes
 * cfg->roothash when the command line gave none, and must equal it
 * otherwise. Returns 1 with a signature, 0 without; a bad one is refused. */
static int read_signature(struct boot_config *cfg, const char *near, struct verity_sig *sig,
			  char *why)
{
	static unsigned char buf[VERITY_SIG_READ_MAX];
	struct block_dev part;
	size_t want;
	ssize_t n;

	if (!devices_find_sig(cfg, near, &part))
		return 0;
	want = part.size < sizeof buf ? (size_t)part.size : sizeof buf;
	n = pread(part.fd, buf, want, 0);
	close(part.fd);
	if (n != (ssize_t)want) {
		snprintf(why, REASON_MAX, "cannot read the root verity signature %.64s: %s", part.path,
			 n < 0 ? strerror(errno) : "short read");
		refuse_boot(cfg->on_failure, why);
	}
	if (verity_sig_parse(buf, want, sig, why))
		refuse_boot(cfg->on_failure, why);
	if (cfg->roothash_len == 0) {
		memcpy(cfg->roothash, sig->roothash, sizeof sig->roothash);
		cfg->roothash_len = sizeof sig->roothash;
	} else if (cfg->roothash_len != sizeof sig->roothash ||
		   memcmp(cfg->roothash, sig->roothash, sizeof sig->roothash) != 0) {
		snprintf(why, REASON_MAX, "roothash= is not the rootHash of the root verity signature");
		refuse_boot(cfg->on_failure, why);
	}
	milestone("root hash signature found on %s", part.path);
	return 1;
}

/* Before anything of the root runs, so that nothing it starts can put
 * its own value into the PCR first. */
static void measure_root(const struct boot_config *cfg, char *why)
{
	switch (tpm_measure_root(cfg->roothash, cfg->roothash_len, why)) {
	case 1:
		milestone("root hash measured into PCR %d", TPM_ROOT_PCR);
		break;
	case 0:
		say("%s: the root hash is not measured", why);
		break;
	default:
		refuse_boot(cfg->on_failure, why);
	}
}

/* The modules not needed for the root load beside stage 2, which reaps
 * their loader: it learns the pid from its argument (stages.h). */
static _Noreturn void exec_stage2(enum power_action fail, char *why)
{
	char arg[32];
	pid_t loader = modules_late_start(why);

	if (loader < 0)
		refuse_boot(fail, why);
	snprintf(arg, sizeof arg, MODULE_LOADER_ARG "%d", (int)loader);
	execv("/sbin/init", (char *[]){ "/sbin/init", loader ? arg : NULL, NULL });
	snprintf(why, REASON_MAX, "cannot execute /sbin/init from the verified root: %s",
		 strerror(errno));
	refuse_boot(fail, why);
}

_Noreturn void stage1_main(void)
{
	char line[2 * CMDLINE_MAX], why[REASON_MAX];	/* room to see an over-long line */
	struct boot_config cfg;
	struct block_dev data, hash;
	struct verity_sb sb;
	struct verity_target target;
	struct verity_sig sig;
	int signed_root = 0;
	dev_t root;
	int modules;
	static char module_names[MODULES_NAMES_MAX];

	if (mount_early(why)) {
		open_console();
		refuse_boot(POWER_OFF, why);
	}
	open_console();
	milestone("stage 1 started");

	read_cmdline(line, sizeof line, why);
	if (cmdline_parse(line, &cfg, why))
		refuse_boot(cfg.on_failure, why);
	if (cfg.refused[0])
		say("interactive login refused (%s)", cfg.refused);

	/* A distro kernel's drivers for the disks, device-mapper and erofs:
	 * loaded before anything looks for them. */
	if ((modules = modules_load(MODULES_DIR, module_names, why)) < 0)
		refuse_boot(cfg.on_failure, why);
	if (modules > 0)
		milestone("loaded %d kernel modules: %s", modules, module_names);

	if (cfg.roothash_len == 0 && !(signed_root = read_signature(&cfg, NULL, &sig, why))) {
		snprintf(why, REASON_MAX, "no roothash= on the kernel command line and no root "
			 "verity signature partition");
		refuse_boot(cfg.on_failure, why);
	}
	if (devices_wait(&cfg, &data, &hash, why))
		refuse_boot(cfg.on_failure, why);
	milestone("found %s (data) and %s (hash)", data.path, hash.path);
	if (!signed_root)
		signed_root = read_signature(&cfg, data.path, &sig, why);
	if (!signed_root && cfg.verity_sig == VERITY_SIG_REQUIRED) {
		snprintf(why, REASON_MAX, "root hash signature required but none found");
		refuse_boot(cfg.on_failure, why);
	}

	read_superblock(&hash, &sb, cfg.on_failure, why);
	if (verity_check_sizes(&sb, data.size, hash.size, why) ||
	    verity_check_roothash(&sb, data.fd, hash.fd, cfg.roothash, cfg.roothash_len, why))
		refuse_boot(cfg.on_failure, why);

	target = (struct verity_target){ data.dev, hash.dev, &sb, cfg.roothash,
					 cfg.roothash_len, cfg.verity_opts,
					 signed_root ? sig.sig : NULL, signed_root ? sig.sig_len : 0 };
	if (dm_verity_create(DM_ROOT_NAME, &target, &root, why) ||
	    mount_sealed_root(root, NEWROOT, why))
		refuse_boot(cfg.on_failure, why);
	close(data.fd);
	close(hash.fd);
	milestone("verified root mounted");
	measure_root(&cfg, why);

	if (modules_late_open(why) < 0 || switch_root(NEWROOT, why))
		refuse_boot(cfg.on_failure, why);
	exec_stage2(cfg.on_failure, why);
}
