#include "modules.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "power.h"

/* Reads all of fd into buf[cap]; -1 with EFBIG if it does not fit. */
static ssize_t read_all(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;

	do {
		n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		len += (size_t)n;
	} while (n > 0 && len < cap);
	if (len == cap) {
		char extra;

		if (read(fd, &extra, 1) != 0) {
			errno = EFBIG;
			return -1;
		}
	}
	return (ssize_t)len;
}

static int load_one(int dirfd, const char *name, char *why)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0) {
		if (errno == ENOENT)
			snprintf(why, REASON_MAX, "module %s missing from the initramfs", name);
		else
			snprintf(why, REASON_MAX, "cannot open module %s: %s", name, strerror(errno));
		return -1;
	}
	if (syscall(SYS_finit_module, fd, "", 0) && errno != EEXIST) {
		snprintf(why, REASON_MAX, "cannot load module %s: %s", name, strerror(errno));
		rc = -1;
	}
	close(fd);
	return rc;
}

int modules_load(const char *dir, char *why)
{
	static struct module_list list;		/* 4 KiB: off PID 1's stack */
	char text[MODULES_LIST_MAX];
	ssize_t len;
	int dirfd, fd, rc = -1;

	if ((dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(why, REASON_MAX, "cannot open %s: %s", dir, strerror(errno));
		return -1;
	}
	if ((fd = openat(dirfd, MODULES_LIST, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			rc = 0;
		else
			snprintf(why, REASON_MAX, "cannot open %s/%s: %s", dir, MODULES_LIST,
				 strerror(errno));
		close(dirfd);
		return rc;
	}
	len = read_all(fd, text, sizeof text);
	if (len < 0)
		snprintf(why, REASON_MAX, "cannot read %s/%s: %s", dir, MODULES_LIST, strerror(errno));
	close(fd);
	if (len < 0 || modules_list_parse(text, (size_t)len, &list, why)) {
		close(dirfd);
		return -1;
	}
	for (int i = 0; i < list.count; i++) {
		if (load_one(dirfd, list.name[i], why)) {
			close(dirfd);
			return -1;
		}
	}
	close(dirfd);
	return list.count;
}
