/* One binary, two stages. As PID 1 in the initramfs (ramfs or tmpfs root)
 * it is stage 1; anywhere else it is the verified root's PID 1. */
#include <stdio.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "stages.h"

#define RAMFS_MAGIC 0x858458f6
#define TMPFS_MAGIC 0x01021994

int main(void)
{
	struct statfs fs;

	if (getpid() != 1) {
		fputs("init: must run as PID 1\n", stderr);
		return 100;
	}
	if (statfs("/", &fs) == 0 && (fs.f_type == RAMFS_MAGIC || fs.f_type == TMPFS_MAGIC))
		stage1_main();
	stage2_main();
}
