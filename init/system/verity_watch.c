#include "verity_watch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dm_ioctl.h"
#include "dm_status.h"
#include "log.h"
#include "run_file.h"

#define VERITY_FILE "/run/stele/verity"

static int publish(int ok)
{
	return run_file_write("verity", ok ? "1\n" : "0\n", 2, 0644);
}

/* Once: the root hash the kernel verifies against, for the agent's hello
 * (the command line may not carry it: a signed image finds it on disk). */
void verity_publish_roothash(void)
{
	char hex[160];

	if (dm_verity_roothash(DM_ROOT_NAME, hex, sizeof hex) < 0) {
		say("cannot read the root's verity table: %s", strerror(errno));
		return;
	}
	if (run_file_write("roothash", hex, strlen(hex), 0644) < 0)
		say("cannot write " RUN_DIR "/roothash: %s", strerror(errno));
}

void verity_watch(uint64_t now, uint64_t *next_ms)
{
	static int last = -2;
	int ok;

	if (now < *next_ms)
		return;
	*next_ms = now + VERITY_CHECK_MS;
	ok = dm_verity_status(DM_ROOT_NAME);
	if (ok == last)
		return;
	if (ok < 0) {
		say("cannot read the root's dm-verity status: %s", strerror(errno));
	} else {
		if (ok == 0)
			say("root verity: corruption detected");
		if (publish(ok) < 0)
			say("cannot write " VERITY_FILE ": %s", strerror(errno));
	}
	last = ok;
}
