#include "credentials.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

static char buf[CREDENTIAL_MAX + 1];

static int copy_one(int src_dir, int dst_dir, const char *name, unsigned uid, unsigned gid)
{
	int in = openat(src_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), out;
	ssize_t n = in < 0 ? -1 : read(in, buf, sizeof buf);

	if (in >= 0)
		close(in);
	if (n < 0 || n > CREDENTIAL_MAX) {
		say("credential %s: %s", name, n < 0 ? strerror(errno) : "larger than 64 KiB");
		return -1;
	}
	out = openat(dst_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0400);
	if (out < 0 || write(out, buf, (size_t)n) != n || fchown(out, uid, gid) < 0) {
		say("credential %s: cannot install: %s", name, strerror(errno));
		if (out >= 0)
			close(out);
		return -1;
	}
	close(out);
	return 0;
}

int credentials_install(unsigned uid, unsigned gid)
{
	DIR *d = opendir(CREDENTIALS_IMAGE);
	struct dirent *e;
	int dst, copied = 0;

	if (!d)
		return 0;
	if ((mkdir("/run/stele", 0755) < 0 && errno != EEXIST) ||
	    (mkdir(CREDENTIALS_RUN, 0500) < 0 && errno != EEXIST) ||
	    chown(CREDENTIALS_RUN, uid, gid) < 0 ||
	    (dst = open(CREDENTIALS_RUN, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		say("cannot create " CREDENTIALS_RUN ": %s", strerror(errno));
		closedir(d);
		return 0;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.' && copy_one(dirfd(d), dst, e->d_name, uid, gid) == 0)
			copied++;
	close(dst);
	closedir(d);
	return copied;
}
