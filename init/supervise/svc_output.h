#ifndef STELE_SVC_OUTPUT_H
#define STELE_SVC_OUTPUT_H

#include <stddef.h>

/* A service's stdout or stderr, cut into lines for the log. The pipe is
 * made once per service and both of its ends stay open in PID 1, so a
 * restart of the service (or, later, of the log consumer) never closes it
 * and never loses what is in it. */

#define LOG_LINE_MAX 1024	/* bytes of one line before it is split */
/* An escaped line: every byte may become "\xHH", plus the tag. */
#define LOG_ESCAPED_MAX (4 * LOG_LINE_MAX + 64)

struct svc_stream {
	int rfd, wfd;			/* -1 when the pipe could not be made */
	const char *tag;		/* "out" or "err" */
	size_t len;
	int continued;			/* buf continues a line already emitted */
	char buf[LOG_LINE_MAX];
};

/* One line, or one piece of a line longer than LOG_LINE_MAX, as the
 * service wrote it (raw bytes, no newline). */
struct log_piece {
	const char *name;		/* the service */
	const char *tag;		/* "out" or "err" */
	int continued;			/* not the first piece of its line */
	int more;			/* not the last */
	const char *text;
	size_t len;
};

typedef void (*line_sink)(void *ctx, const struct log_piece *p);

/* The console form of a piece: "name[tag]: text", "name[tag+]: text" for
 * continued pieces, text escaped as log_escape does, and a newline.
 * dst holds LOG_ESCAPED_MAX bytes. Returns the length. */
size_t log_format(char *dst, const struct log_piece *p);

/* Writes src[n] into dst (LOG_ESCAPED_MAX bytes) as printable ASCII:
 * tab and 0x20-0x7e pass, except '\\' which doubles; every other byte
 * becomes \xHH. Returns the length written (dst is NUL-terminated). */
size_t log_escape(char *dst, size_t cap, const char *src, size_t n);

/* Feeds data[n] read from the stream of service name; complete lines (and
 * full pieces of long ones) go to sink. A '\r' before '\n' is dropped. */
void stream_feed(struct svc_stream *s, const char *name, const char *data, size_t n,
		 line_sink sink, void *ctx);

/* Emits what is buffered without a newline (the service exited). */
void stream_flush(struct svc_stream *s, const char *name, line_sink sink, void *ctx);

/* Opens the stream's pipe (read end non-blocking, both close-on-exec). */
int stream_open(struct svc_stream *s, const char *tag);

/* Reads what is in the pipe now, at most max_reads reads, so that one
 * chatty service cannot hold PID 1. Returns 1 if data may remain. */
int stream_drain(struct svc_stream *s, const char *name, int max_reads, line_sink sink,
		 void *ctx);

#endif
