/* The initramfs's /init: stage 1, which mounts the verified root and execs
 * its /sbin/init (stage 2), or refuses to boot. Only what that needs is
 * linked in: no supervisor, no service definitions. */
#include <stdio.h>
#include <unistd.h>

#include "stages.h"

int main(void)
{
	if (getpid() != 1) {
		fputs("stele-stage1: must run as PID 1\n", stderr);
		return 100;
	}
	stage1_main();
}
