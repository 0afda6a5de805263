#include "run_file.h"

#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int run_dir_open(void)
{
	if (mkdir(RUN_DIR, 0755) < 0 && errno != EEXIST)
		return -1;
	return open(RUN_DIR, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

int run_file_write(const char *name, const void *data, size_t len, mode_t mode)
{
	char tmp[64];
	int dir, fd, err = 0;
	ssize_t n;

	if (strchr(name, '/') || snprintf(tmp, sizeof tmp, "%s.tmp", name) >= (int)sizeof tmp) {
		errno = EINVAL;
		return -1;
	}
	if ((dir = run_dir_open()) < 0)
		return -1;
	if (unlinkat(dir, tmp, 0) < 0 && errno != ENOENT)
		err = errno;
	else if ((fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			      mode)) < 0)
		err = errno;
	else {
		n = write(fd, data, len);
		if (n != (ssize_t)len)
			err = n < 0 ? errno : EIO;
		if (close(fd) < 0 && !err)
			err = errno;
		if (!err && renameat(dir, tmp, dir, name) < 0)
			err = errno;
	}
	close(dir);
	errno = err;
	return err ? -1 : 0;
}

void run_count_publish(struct run_count *c, uint64_t now, uint64_t *next_ms)
{
	char text[24];
	int n;

	if (c->value == c->published)
		return;
	if (now < c->due) {
		if (c->due < *next_ms)
			*next_ms = c->due;
		return;
	}
	c->due = now + RUN_COUNT_MS;
	n = snprintf(text, sizeof text, "%lu\n", c->value);
	if (run_file_write(c->name, text, (size_t)n, 0644) == 0)
		c->published = c->value;
	else if (!c->said++)
		say("cannot write " RUN_DIR "/%s: %s; trying each second", c->name, strerror(errno));
}
