#include "users.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* An id field: 1-10 digits, below 2^32 - 1 (which means "no id"). */
static int parse_id(const char *s, size_t n, unsigned *id)
{
	unsigned long long v = 0;

	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v >= 0xffffffffULL)
		return -1;
	*id = (unsigned)v;
	return 0;
}

/* Finds the line of text whose first field is name; fields[] point at the
 * next want fields with their lengths. Returns 0 or -1. */
static int find_line(const char *text, size_t len, const char *name,
		     const char **field, size_t *flen, int want)
{
	size_t nlen = strlen(name);

	for (size_t at = 0; at < len;) {
		const char *line = text + at;
		const char *nl = memchr(line, '\n', len - at);
		size_t n = nl ? (size_t)(nl - line) : len - at;

		at += n + 1;
		if (n <= nlen || memcmp(line, name, nlen) != 0 || line[nlen] != ':')
			continue;
		const char *p = line + nlen + 1, *end = line + n;
		for (int i = 0; i < want; i++) {
			const char *c = memchr(p, ':', (size_t)(end - p));

			field[i] = p;
			flen[i] = c ? (size_t)(c - p) : (size_t)(end - p);
			if (!c && i + 1 < want)
				return -1;
			p = c ? c + 1 : end;
		}
		return 0;
	}
	return -1;
}

int passwd_find(const char *text, size_t len, const char *name, unsigned *uid, unsigned *gid)
{
	const char *f[3];
	size_t n[3];

	/* name:password:uid:gid:... */
	if (find_line(text, len, name, f, n, 3) < 0)
		return -1;
	return parse_id(f[1], n[1], uid) < 0 || parse_id(f[2], n[2], gid) < 0 ? -1 : 0;
}

int group_find(const char *text, size_t len, const char *name, unsigned *gid)
{
	const char *f[2];
	size_t n[2];

	if (find_line(text, len, name, f, n, 2) < 0)
		return -1;
	return parse_id(f[1], n[1], gid);
}

static char filebuf[USERS_FILE_MAX];

static ssize_t slurp(const char *path, char *why, size_t whylen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	n = read(fd, filebuf, sizeof filebuf);
	close(fd);
	if (n < 0 || n == (ssize_t)sizeof filebuf) {
		snprintf(why, whylen, "%s: %s", path, n < 0 ? strerror(errno) : "too large");
		return -1;
	}
	return n;
}

int user_lookup(const char *name, unsigned *uid, unsigned *gid, char *why, size_t whylen)
{
	ssize_t n;

	if ((n = slurp("/etc/passwd", why, whylen)) < 0)
		return -1;
	if (passwd_find(filebuf, (size_t)n, name, uid, gid) < 0) {
		snprintf(why, whylen, "no user '%s' in /etc/passwd", name);
		return -1;
	}
	return 0;
}

int group_lookup(const char *name, unsigned *gid, char *why, size_t whylen)
{
	ssize_t n;

	if ((n = slurp("/etc/group", why, whylen)) < 0)
		return -1;
	if (group_find(filebuf, (size_t)n, name, gid) < 0) {
		snprintf(why, whylen, "no group '%s' in /etc/group", name);
		return -1;
	}
	return 0;
}
