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
#include "dm.h"
#include "log.h"
#include "mounts.h"
#include "power.h"
#include "stages.h"
#include "verity_roothash.h"
#include "verity_sb.h"

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

_Noreturn void stage1_main(void)
{
	char line[2 * CMDLINE_MAX], why[REASON_MAX];	/* room to see an over-long line */
	struct boot_config cfg;
	struct block_dev data, hash;
	struct verity_sb sb;
	struct verity_target target;
	dev_t root;

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

	if (devices_wait(&cfg, &data, &hash, why))
		refuse_boot(cfg.on_failure, why);
	milestone("found %s (data) and %s (hash)", data.path, hash.path);

	read_superblock(&hash, &sb, cfg.on_failure, why);
	if (verity_check_sizes(&sb, data.size, hash.size, why) ||
	    verity_check_roothash(&sb, data.fd, hash.fd, cfg.roothash, cfg.roothash_len, why))
		refuse_boot(cfg.on_failure, why);

	target = (struct verity_target){ data.dev, hash.dev, &sb, cfg.roothash,
					 cfg.roothash_len, cfg.verity_opts };
	if (dm_verity_create(DM_ROOT_NAME, &target, &root, why) ||
	    mount_sealed_root(root, NEWROOT, why))
		refuse_boot(cfg.on_failure, why);
	close(data.fd);
	close(hash.fd);
	milestone("verified root mounted");

	if (switch_root(NEWROOT, why))
		refuse_boot(cfg.on_failure, why);
	execv("/sbin/init", (char *[]){ "/sbin/init", NULL });
	snprintf(why, REASON_MAX, "cannot execute /sbin/init from the verified root: %s",
		 strerror(errno));
	refuse_boot(cfg.on_failure, why);
}
