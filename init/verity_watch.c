#include "verity_watch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dm.h"
#include "log.h"

#define VERITY_FILE "/run/stele/verity"

static int publish(int ok)
{
	int fd;
	ssize_t n;

	if (mkdir("/run/stele", 0755) < 0 && errno != EEXIST)
		return -1;
	if ((fd = open(VERITY_FILE ".tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		return -1;
	n = write(fd, ok ? "1\n" : "0\n", 2);
	close(fd);
	return n == 2 ? rename(VERITY_FILE ".tmp", VERITY_FILE) : -1;
}

/* Once: the root hash the kernel verifies against, for the agent's hello
 * (the command line may not carry it: a signed image finds it on disk). */
void verity_publish_roothash(void)
{
	char hex[160];
	int fd;

	if (mkdir("/run/stele", 0755) < 0 && errno != EEXIST)
		say("cannot create /run/stele: %s", strerror(errno));
	if (dm_verity_roothash(DM_ROOT_NAME, hex, sizeof hex) < 0) {
		say("cannot read the root's verity table: %s", strerror(errno));
		return;
	}
	fd = open("/run/stele/roothash", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, hex, strlen(hex)) != (ssize_t)strlen(hex))
		say("cannot write /run/stele/roothash: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
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
