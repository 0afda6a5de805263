#ifndef STELE_COLLECTOR_STORE_H
#define STELE_COLLECTOR_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "json.h"

/* Where records go: DIR/HOST/BOOT_ID.jsonl, one JSON line per record, or
 * stdout. A stream is one (host, boot_id); every connection of that boot
 * shares it, and it remembers the highest seq stored, so that a record
 * sent again after a reconnect is dropped (DESIGN §6: the collector drops
 * duplicates by (boot_id, seq)). A reopened file gives its highest seq
 * back from its last line, so a restarted collector drops them too.
 *
 * Writing is in batches: records are appended to the store's one buffer,
 * store_commit() writes them with one write(2), fsyncs as the mode says,
 * and only then counts them as stored: acks must not run ahead of it.
 * A batch is for one stream; the caller commits or aborts it before it
 * starts one for another. */

#define STORE_NAME_MAX 64		/* host and boot_id: path components */
#define STORE_STREAMS_MAX 1024		/* boots remembered at once */
#define STORE_BUF_SIZE (2u << 20)	/* holds the longest line (8 x 64 KiB) */

enum store_fsync { STORE_FSYNC_NEVER, STORE_FSYNC_BATCH, STORE_FSYNC_ALWAYS };

struct stream {
	char host[STORE_NAME_MAX + 1], boot_id[STORE_NAME_MAX + 1];
	char prefix[2 * STORE_NAME_MAX + 40];	/* {"host":"H","boot_id":"B","seq": */
	size_t prefix_len;
	int fd;				/* -1 while not open */
	uint64_t last;			/* highest seq stored (committed) */
	uint64_t pending;		/* highest seq in the batch, >= last */
	off_t size;			/* file size up to last */
	off_t written;			/* and up to what the batch wrote so far */
	unsigned refs;			/* connections using it */
	uint64_t used;			/* for eviction: the least recent goes */
	int in_use;
	int disk_full;			/* its last commit failed for space: said once */
};

struct store {
	int dirfd;			/* -1: stdout */
	int out;			/* stdout's fd in that case */
	enum store_fsync fsync;
	struct jbuf buf;
	struct stream *batch;		/* whose records buf holds */
	uint64_t tick;
	uint64_t bytes;			/* written, in total */
	int error;			/* errno of the last failed write or fsync */
	struct stream streams[STORE_STREAMS_MAX];
};

/* dir "-" is stdout. Returns 0, or -1 with a reason. Allocates the buffer. */
int store_open(struct store *s, const char *dir, enum store_fsync mode, char *why, size_t whylen);
void store_close(struct store *s);

/* 1 if s[0..n) may be a host or boot_id: 1 to STORE_NAME_MAX characters
 * of A-Z a-z 0-9 . _ -, not starting with a dot. */
int store_name_ok(const char *s, size_t n);

/* The stream of (host, boot_id), opened (and recovered) if need be, with
 * one more reference. NULL with a reason when it cannot be opened. */
struct stream *store_stream_get(struct store *s, const char *host, const char *boot_id,
				char *why, size_t whylen);
void store_stream_put(struct store *s, struct stream *st);

/* 1 if seq is not stored yet and not in the batch: a new record. */
static inline int stream_is_new(const struct stream *st, uint64_t seq)
{
	return seq > st->pending;
}

/* The buffer to append st's next line to (starting st's batch). After the
 * line: store_took() with its seq, or, if the buffer was full, restore
 * len, clear full, store_flush() and write the line again. */
struct jbuf *store_buf(struct store *s, struct stream *st);
void store_took(struct store *s, uint64_t seq);

/* write(2) what the batch holds so far, no fsync. 0, or -1 with reason. */
int store_flush(struct store *s, char *why, size_t whylen);

/* Ends the batch: write, fsync as the mode says, then st->last = pending.
 * 0, or -1 with a reason: then the batch is aborted (the file cut back to
 * what was committed, pending back to last) and nothing was stored. */
int store_commit(struct store *s, char *why, size_t whylen);

/* The highest seq in the last complete line of fd's file, cutting off a
 * partial last line (a crash while writing it). 0 for an empty file.
 * Returns 0, or -1 with a reason. */
int store_recover(int fd, uint64_t *seq, off_t *size, char *why, size_t whylen);

#endif
