#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "power.h"
#include "mounts.h"

#define TREE_DEPTH_MAX 8

/* Frees the initramfs: its files would otherwise pin memory for the life of
 * the machine. Stays on the initramfs device, so mounts below are untouched. */
static void empty_dir(int dirfd, dev_t rootdev, int depth)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *e;
	struct stat st;

	if (!d) {
		close(dirfd);
		return;
	}
	while ((e = readdir(d))) {
		int is_dir, fd;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (fstatat(dirfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) || st.st_dev != rootdev)
			continue;
		is_dir = S_ISDIR(st.st_mode);
		if (is_dir && depth < TREE_DEPTH_MAX &&
		    (fd = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
			empty_dir(fd, rootdev, depth + 1);
		unlinkat(dirfd, e->d_name, is_dir ? AT_REMOVEDIR : 0);
	}
	closedir(d);
}

int switch_root(const char *newroot, char *why)
{
	static const char *const moved[] = { "/dev", "/proc", "/sys" };
	char target[64];
	struct stat st;
	int fd;

	for (size_t i = 0; i < sizeof moved / sizeof moved[0]; i++) {
		snprintf(target, sizeof target, "%s%s", newroot, moved[i]);
		if (mount(moved[i], target, NULL, MS_MOVE, NULL)) {
			snprintf(why, REASON_MAX, "cannot move %s: %s", moved[i], strerror(errno));
			return -1;
		}
	}
	if (chdir(newroot) || stat("/", &st) || (fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		snprintf(why, REASON_MAX, "cannot enter %s: %s", newroot, strerror(errno));
		return -1;
	}
	empty_dir(fd, st.st_dev, 0);
	if (mount(".", "/", NULL, MS_MOVE, NULL) || chroot(".") || chdir("/")) {
		snprintf(why, REASON_MAX, "cannot switch root to %s: %s", newroot, strerror(errno));
		return -1;
	}
	return 0;
}
