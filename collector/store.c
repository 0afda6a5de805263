#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How far back a reopened file is searched for its last line end. Our
 * lines are under 1 MiB; more than this without one is not our file. */
#define RECOVER_SCAN_MAX (8 << 20)
#define RECOVER_CHUNK 65536

int store_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > STORE_NAME_MAX || s[0] == '.')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

int store_open(struct store *s, const char *dir, enum store_fsync mode, char *why, size_t whylen)
{
	memset(s, 0, sizeof *s);
	s->fsync = mode;
	s->dirfd = -1;
	s->out = -1;
	for (size_t i = 0; i < STORE_STREAMS_MAX; i++)
		s->streams[i].fd = -1;
	if (strcmp(dir, "-") == 0) {
		struct stat sb;

		s->out = STDOUT_FILENO;
		/* fsync means something for a file only, not a pipe. */
		if (fstat(s->out, &sb) < 0 || !S_ISREG(sb.st_mode))
			s->fsync = STORE_FSYNC_NEVER;
	} else {
		if (mkdir(dir, 0750) < 0 && errno != EEXIST) {
			snprintf(why, whylen, "%s: %s", dir, strerror(errno));
			return -1;
		}
		s->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (s->dirfd < 0) {
			snprintf(why, whylen, "%s: %s", dir, strerror(errno));
			return -1;
		}
	}
	s->buf.cap = STORE_BUF_SIZE;
	s->buf.p = malloc(s->buf.cap);
	if (!s->buf.p) {
		snprintf(why, whylen, "out of memory");
		if (s->dirfd >= 0)
			close(s->dirfd);
		return -1;
	}
	return 0;
}

void store_close(struct store *s)
{
	for (size_t i = 0; i < STORE_STREAMS_MAX; i++) {
		struct stream *st = &s->streams[i];

		if (st->in_use && st->fd >= 0 && st->fd != s->out)
			close(st->fd);
		st->fd = -1;
	}
	if (s->dirfd >= 0)
		close(s->dirfd);
	s->dirfd = -1;
	free(s->buf.p);
	s->buf.p = NULL;
}

/* Position of the last '\n' in the RECOVER_SCAN_MAX bytes before end: -1
 * if there is none, -2 on a read error. */
static off_t last_newline(int fd, off_t end)
{
	unsigned char chunk[RECOVER_CHUNK];
	off_t floor = end > RECOVER_SCAN_MAX ? end - RECOVER_SCAN_MAX : 0;

	while (end > floor) {
		size_t n = end - floor > RECOVER_CHUNK ? RECOVER_CHUNK : (size_t)(end - floor);
		ssize_t r = pread(fd, chunk, n, end - (off_t)n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r != (ssize_t)n)
			return -2;
		for (size_t i = n; i > 0; i--)
			if (chunk[i - 1] == '\n')
				return end - (off_t)n + (off_t)(i - 1);
		end -= (off_t)n;
	}
	return end == 0 ? -1 : -2;
}

int store_recover(int fd, uint64_t *seq, off_t *size, char *why, size_t whylen)
{
	char head[512];
	struct stat sb;
	off_t e, b;
	ssize_t r;
	const char *p;
	uint64_t v = 0;

	*seq = 0;
	if (fstat(fd, &sb) < 0) {
		snprintf(why, whylen, "fstat: %s", strerror(errno));
		return -1;
	}
	*size = sb.st_size;
	if (sb.st_size == 0)
		return 0;
	e = last_newline(fd, sb.st_size);
	if (e == -2) {
		snprintf(why, whylen, "no line end in its last %d bytes, or unreadable", RECOVER_SCAN_MAX);
		return -1;
	}
	if (e + 1 != sb.st_size) {
		/* A line cut short by a crash: never acked, so the agent
		 * still has it and will send it again. */
		if (ftruncate(fd, e + 1) < 0) {
			snprintf(why, whylen, "cutting a partial last line: %s", strerror(errno));
			return -1;
		}
		*size = e + 1;
		if (e < 0)
			return 0;
	}
	b = last_newline(fd, e);
	if (b == -2) {
		snprintf(why, whylen, "last line longer than %d bytes, or unreadable", RECOVER_SCAN_MAX);
		return -1;
	}
	do
		r = pread(fd, head, sizeof head - 1, b + 1);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		snprintf(why, whylen, "read: %s", strerror(errno));
		return -1;
	}
	head[r] = '\0';
	p = strstr(head, "\"seq\":");
	if (!p || p[6] < '0' || p[6] > '9') {
		snprintf(why, whylen, "last line has no \"seq\"");
		return -1;
	}
	for (p += 6; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10) {
			snprintf(why, whylen, "last line's \"seq\" out of range");
			return -1;
		}
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*seq = v;
	return 0;
}

/* Creating a file only lasts if its directory entry does: fsync the
 * directory too, unless nothing is to be fsynced at all. */
static int open_file(struct store *s, struct stream *st, char *why, size_t whylen)
{
	char name[STORE_NAME_MAX + 8], reason[200];
	int made_dir = 0, created = 1, hfd, fd;

	if (mkdirat(s->dirfd, st->host, 0750) == 0)
		made_dir = 1;
	else if (errno != EEXIST) {
		snprintf(why, whylen, "%s: %s", st->host, strerror(errno));
		return -1;
	}
	hfd = openat(s->dirfd, st->host, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (hfd < 0) {
		snprintf(why, whylen, "%s: %s", st->host, strerror(errno));
		return -1;
	}
	snprintf(name, sizeof name, "%s.jsonl", st->boot_id);
	fd = openat(hfd, name, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640);
	if (fd < 0 && errno == EEXIST) {
		created = 0;
		fd = openat(hfd, name, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0) {
		snprintf(why, whylen, "%s/%s: %s", st->host, name, strerror(errno));
		close(hfd);
		return -1;
	}
	if (s->fsync != STORE_FSYNC_NEVER && ((created && fsync(hfd) < 0) ||
					     (made_dir && fsync(s->dirfd) < 0))) {
		snprintf(why, whylen, "%s: fsync: %s", st->host, strerror(errno));
		close(hfd);
		close(fd);
		return -1;
	}
	close(hfd);
	if (store_recover(fd, &st->last, &st->size, reason, sizeof reason) < 0) {
		snprintf(why, whylen, "%s/%s: %s", st->host, name, reason);
		close(fd);
		return -1;
	}
	/* The lines found may have been written by a collector that died
	 * before its fsync: they are acked from here on, so make them
	 * durable first. */
	if (!created && s->fsync != STORE_FSYNC_NEVER && st->size > 0 && fdatasync(fd) < 0) {
		s->error = errno;
		snprintf(why, whylen, "%s/%s: fsync: %s", st->host, name, strerror(errno));
		close(fd);
		return -1;
	}
	st->pending = st->last;
	st->written = st->size;
	st->fd = fd;
	return 0;
}

static struct stream *slot(struct store *s)
{
	struct stream *lru = NULL;

	for (size_t i = 0; i < STORE_STREAMS_MAX; i++) {
		struct stream *st = &s->streams[i];

		if (!st->in_use)
			return st;
		if (st->refs == 0 && (!lru || st->used < lru->used))
			lru = st;
	}
	if (lru && lru->fd >= 0 && lru->fd != s->out)
		close(lru->fd);
	return lru;
}

struct stream *store_stream_get(struct store *s, const char *host, const char *boot_id,
				char *why, size_t whylen)
{
	struct stream *st = NULL;

	if (!store_name_ok(host, strlen(host)) || !store_name_ok(boot_id, strlen(boot_id))) {
		snprintf(why, whylen, "host or boot_id not a safe file name");
		return NULL;
	}
	for (size_t i = 0; i < STORE_STREAMS_MAX && !st; i++)
		if (s->streams[i].in_use && strcmp(s->streams[i].host, host) == 0 &&
		    strcmp(s->streams[i].boot_id, boot_id) == 0)
			st = &s->streams[i];
	if (!st) {
		st = slot(s);
		if (!st) {
			snprintf(why, whylen, "more than %d boots connected at once", STORE_STREAMS_MAX);
			return NULL;
		}
		memset(st, 0, sizeof *st);
		st->fd = -1;
		snprintf(st->host, sizeof st->host, "%s", host);
		snprintf(st->boot_id, sizeof st->boot_id, "%s", boot_id);
		st->prefix_len = (size_t)snprintf(st->prefix, sizeof st->prefix,
						  "{\"host\":\"%s\",\"boot_id\":\"%s\",\"seq\":", host, boot_id);
		st->in_use = 1;
	}
	if (st->fd < 0) {
		if (s->dirfd < 0)
			st->fd = s->out;
		else if (open_file(s, st, why, whylen) < 0) {
			if (st->refs == 0)
				st->in_use = 0;
			return NULL;
		}
	}
	st->refs++;
	st->used = ++s->tick;
	return st;
}

void store_stream_put(struct store *s, struct stream *st)
{
	if (st->refs > 0)
		st->refs--;
	/* Keep what it knows (last), not its descriptor: reopening recovers. */
	if (st->refs == 0 && st->fd >= 0 && st->fd != s->out) {
		close(st->fd);
		st->fd = -1;
	}
}

struct jbuf *store_buf(struct store *s, struct stream *st)
{
	s->batch = st;
	return &s->buf;
}

void store_took(struct store *s, uint64_t seq)
{
	s->batch->pending = seq;
}

static void batch_abort(struct store *s)
{
	struct stream *st = s->batch;

	s->buf.len = 0;
	s->buf.full = 0;
	s->batch = NULL;
	if (!st)
		return;
	if (st->fd >= 0 && st->fd != s->out && st->written != st->size)
		(void)!ftruncate(st->fd, st->size);
	st->written = st->size;
	st->pending = st->last;
}

int store_flush(struct store *s, char *why, size_t whylen)
{
	struct stream *st = s->batch;
	size_t off = 0;

	while (st && off < s->buf.len) {
		ssize_t r = write(st->fd, s->buf.p + off, s->buf.len - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			s->error = errno;
			snprintf(why, whylen, "%s/%s.jsonl: write: %s", st->host, st->boot_id,
				 strerror(errno));
			batch_abort(s);
			return -1;
		}
		off += (size_t)r;
		st->written += r;
	}
	s->bytes += off;
	s->buf.len = 0;
	s->buf.full = 0;
	return 0;
}

int store_commit(struct store *s, char *why, size_t whylen)
{
	struct stream *st = s->batch;

	if (!st)
		return 0;
	if (store_flush(s, why, whylen) < 0)
		return -1;
	if (s->fsync != STORE_FSYNC_NEVER && st->written != st->size && fdatasync(st->fd) < 0) {
		s->error = errno;
		snprintf(why, whylen, "%s/%s.jsonl: fsync: %s", st->host, st->boot_id, strerror(errno));
		batch_abort(s);
		return -1;
	}
	st->size = st->written;
	st->last = st->pending;
	s->batch = NULL;
	return 0;
}
