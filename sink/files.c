/* The files sink: today's layout, DIR/HOST/BOOT_ID.jsonl, one line per
 * record, written by the embedded collector's store (store.h), with the
 * boot's seen records (seen.h) loaded from the tail of its file, so
 * that a restarted sink drops what it wrote before. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"

#define TAIL_MAX (8u << 20)	/* bytes read back: far more than SEEN_WINDOW lines */

int files_open(struct files_sink *f, const char *dir, char *why, size_t whylen)
{
	memset(f, 0, sizeof *f);
	f->tail = malloc(TAIL_MAX);
	if (!f->tail || seen_init(&f->seen) < 0) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return store_open(&f->store, dir, STORE_FSYNC_BATCH, why, whylen);
}

void files_close(struct files_sink *f)
{
	store_close(&f->store);
	seen_free(&f->seen);
	free(f->tail);
}

/* Marks the seqs of the last lines of st's file: each starts with the
 * stream's prefix, then the seq. */
static int load(struct files_sink *f, struct stream *st, struct seen_boot *b, char *why, size_t whylen)
{
	off_t from = st->size > (off_t)TAIL_MAX ? st->size - (off_t)TAIL_MAX : 0;
	size_t n = (size_t)(st->size - from), i = 0;
	ssize_t r = n ? pread(st->fd, f->tail, n, from) : 0;

	if (r < 0 || (size_t)r != n) {
		snprintf(why, whylen, "%s/%s.jsonl: reading back: %s", st->host, st->boot_id,
			 r < 0 ? strerror(errno) : "short read");
		return -1;
	}
	if (from > 0) {	/* starts inside a line: skip to the next */
		while (i < n && f->tail[i] != '\n')
			i++;
		i++;
	}
	while (i < n) {
		char *nl = memchr(f->tail + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (f->tail + i)) : n - i;

		if (len > st->prefix_len && memcmp(f->tail + i, st->prefix, st->prefix_len) == 0)
			seen_mark(b, strtoull(f->tail + i + st->prefix_len, NULL, 10));
		i += len + 1;
	}
	return 0;
}

static int same(const struct stream *st, const struct sink_msg *m)
{
	return strcmp(st->host, m->host) == 0 && strcmp(st->boot_id, m->boot_id) == 0;
}

static int append(struct files_sink *f, struct stream *st, const struct sink_msg *m, char *why,
		  size_t whylen)
{
	for (int tries = 0; tries < 2; tries++) {
		struct jbuf *b = store_buf(&f->store, st);
		size_t was = b->len;

		jb_raw(b, m->line, m->len);
		jb_raw(b, "\n", 1);
		if (!b->full) {
			store_took(&f->store, m->seq);
			return 0;
		}
		b->len = was;
		b->full = 0;
		if (tries == 0 && store_flush(&f->store, why, whylen) < 0)
			return -1;
	}
	snprintf(why, whylen, "%s seq %llu: line of %zu bytes too long", m->host,
		 (unsigned long long)m->seq, m->len);
	return -1;
}

/* Every stream keeps one reference, so that its file stays open, until
 * the store is full of them: then all are let go (their files closed),
 * and reopened as records come. */
static struct stream *stream(struct files_sink *f, const struct sink_msg *m, char *why,
			     size_t whylen)
{
	struct stream *st = store_stream_get(&f->store, m->host, m->boot_id, why, whylen);

	if (!st) {
		for (size_t i = 0; i < STORE_STREAMS_MAX; i++)
			if (f->store.streams[i].refs > 0)
				store_stream_put(&f->store, &f->store.streams[i]);
		st = store_stream_get(&f->store, m->host, m->boot_id, why, whylen);
	}
	if (st && st->refs > 1)
		store_stream_put(&f->store, st);
	return st;
}

enum sink_took files_take(void *ctx, const struct sink_msg *m, char *why, size_t whylen)
{
	struct files_sink *f = ctx;
	struct stream *st;
	struct seen_boot *b;
	int fresh;

	/* A batch is one stream's: the one before is committed first. */
	if (f->store.batch && !same(f->store.batch, m) && files_sync(f, why, whylen) < 0)
		return SINK_FAILED;
	st = stream(f, m, why, whylen);
	if (!st)
		return SINK_FAILED;
	b = seen_get(&f->seen, m->host, m->boot_id, &fresh);
	if (fresh && load(f, st, b, why, whylen) < 0) {
		b->in_use = 0;
		return SINK_FAILED;
	}
	if (seen_test(b, m->seq))
		return SINK_DUPLICATE;
	if (append(f, st, m, why, whylen) < 0) {
		seen_reset(&f->seen);
		return SINK_FAILED;
	}
	seen_mark(b, m->seq);
	return SINK_TAKEN;
}

int files_sync(void *ctx, char *why, size_t whylen)
{
	struct files_sink *f = ctx;

	if (store_commit(&f->store, why, whylen) < 0) {
		/* The batch was cut off the file: what it marked is not there. */
		seen_reset(&f->seen);
		return -1;
	}
	return 0;
}
