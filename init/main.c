/* /sbin/init of the verified root: stage 2, PID 1 until power-off. Stage 1
 * (init/boot/main.c) is its own program, the initramfs's /init. */
#include <stdio.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "stages.h"

#define RAMFS_MAGIC 0x858458f6
#define TMPFS_MAGIC 0x01021994

int main(int argc, char **argv)
{
	struct statfs fs;

	if (getpid() != 1) {
		fputs("init: must run as PID 1\n", stderr);
		return 100;
	}
	/* On the initramfs, stage 2 would supervise an unverified root. */
	if (statfs("/", &fs) == 0 && (fs.f_type == RAMFS_MAGIC || fs.f_type == TMPFS_MAGIC)) {
		fputs("init: this is stage 2; the initramfs's /init must be stele-stage1\n", stderr);
		return 100;
	}
	stage2_main(argc > 1 ? argv[1] : NULL);
}
