/* Which service sent a /dev/log datagram, from the pid and uid the kernel
 * attached. PID 1 starts each service in /sys/fs/cgroup/NAME, which it
 * cannot leave (the tree is root's, mounted nsdelegate): /proc/PID/cgroup
 * says "0::/NAME". A sender that has exited (syslog from a short-lived
 * process) is told by its uid, if one service alone runs as that user
 * (/run/stele/services, init/svc_status.c). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "senders.h"

#define CGROUP_TEXT_MAX 1024	/* a v2-only host has one short line */
#define SERVICES_TEXT_MAX 8192	/* SVC_MAX lines of init/svc_status.c */
#define SERVICES "/run/stele/services"

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

/* How many of a service name's characters are at p (before end). */
static size_t name_len(const char *p, const char *end)
{
	size_t n = 0;

	while (p + n < end && name_char(p[n]))
		n++;
	return n;
}

static int name_copy(char *name, size_t cap, const char *p, size_t n)
{
	if (n == 0 || n >= cap)
		return -1;
	memcpy(name, p, n);
	name[n] = '\0';
	return 0;
}

int cgroup_service_parse(const char *text, size_t len, char *name, size_t cap)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;

		if (e - p >= 4 && memcmp(p, "0::/", 4) == 0) {
			size_t n = name_len(p + 4, e);

			p += 4;
			if (p == e)	/* the root: only PID 1 (and the kernel's threads) */
				return name_copy(name, cap, "stele", 5);
			if (p + n < e && p[n] != '/')
				return -1;
			return name_copy(name, cap, p, n);
		}
		p = nl ? nl + 1 : end;
	}
	return -1;
}

int services_uid_parse(const char *text, size_t len, unsigned uid, char *name, size_t cap)
{
	const char *p = text, *end = text + len, *found = NULL;
	size_t found_len = 0;
	char want[24];
	int wn = snprintf(want, sizeof want, " uid=%u", uid);

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end, *u;
		size_t n;

		if (e - p > 5 && memcmp(p, "name=", 5) == 0 && (n = name_len(p + 5, e)) > 0 &&
		    p + 5 + n < e && p[5 + n] == ' ' && (u = memmem(p, (size_t)(e - p), want, (size_t)wn)) &&
		    (u + wn == e || u[wn] == ' ')) {
			if (found)
				return -1;	/* two services share the user: cannot tell */
			found = p + 5;
			found_len = n;
		}
		p = nl ? nl + 1 : end;
	}
	return found ? name_copy(name, cap, found, found_len) : -1;
}

static ssize_t read_at(int dir, const char *path, char *buf, size_t cap)
{
	int fd = openat(dir, path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, cap);
	close(fd);
	return n;
}

int sender_service(long pid, long uid, char *name, size_t cap)
{
	static char text[SERVICES_TEXT_MAX];
	char path[48];
	struct stat st;
	ssize_t n = -1;
	int dir;

	if (pid <= 0 || uid < 0)
		return -1;
	/* The directory pins this process: if the pid is reused meanwhile,
	 * reads through it fail instead of naming the newcomer. */
	snprintf(path, sizeof path, "/proc/%ld", pid);
	if ((dir = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		if (fstat(dir, &st) == 0 && st.st_uid == (uid_t)uid)
			n = read_at(dir, "cgroup", text, CGROUP_TEXT_MAX);
		close(dir);
		if (n > 0 && cgroup_service_parse(text, (size_t)n, name, cap) == 0)
			return 0;
	}
	n = read_at(AT_FDCWD, SERVICES, text, sizeof text);
	return n > 0 ? services_uid_parse(text, (size_t)n, (unsigned)uid, name, cap) : -1;
}
