#include "svc_output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

size_t log_escape(char *dst, size_t cap, const char *src, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	for (size_t i = 0; i < n && o + 5 <= cap; i++) {
		unsigned char c = (unsigned char)src[i];

		if (c == '\\') {
			dst[o++] = '\\';
			dst[o++] = '\\';
		} else if (c == '\t' || (c >= 0x20 && c < 0x7f)) {
			dst[o++] = (char)c;
		} else {
			dst[o++] = '\\';
			dst[o++] = 'x';
			dst[o++] = hex[c >> 4];
			dst[o++] = hex[c & 15];
		}
	}
	if (cap)
		dst[o < cap ? o : cap - 1] = '\0';
	return o;
}

size_t log_format(char *dst, const struct log_piece *p)
{
	int n = snprintf(dst, 64, "%s[%s%s]: ", p->name, p->tag, p->continued ? "+" : "");

	if (n < 0 || n >= 64)
		n = 0;
	n += (int)log_escape(dst + n, LOG_ESCAPED_MAX - (size_t)n - 1, p->text, p->len);
	dst[n++] = '\n';
	return (size_t)n;
}

static void emit(struct svc_stream *s, const char *name, int more, line_sink sink, void *ctx)
{
	struct log_piece p = { name, s->tag, s->continued, more, s->buf, s->len };

	sink(ctx, &p);
	s->len = 0;
}

void stream_feed(struct svc_stream *s, const char *name, const char *data, size_t n,
		 line_sink sink, void *ctx)
{
	for (size_t i = 0; i < n; i++) {
		if (data[i] == '\n') {
			if (s->len && s->buf[s->len - 1] == '\r')
				s->len--;
			emit(s, name, 0, sink, ctx);
			s->continued = 0;
			continue;
		}
		if (s->len == sizeof s->buf) {
			emit(s, name, 1, sink, ctx);
			s->continued = 1;
		}
		s->buf[s->len++] = data[i];
	}
}

void stream_flush(struct svc_stream *s, const char *name, line_sink sink, void *ctx)
{
	if (s->len == 0)
		return;
	emit(s, name, 0, sink, ctx);
	s->continued = 0;
}

int stream_open(struct svc_stream *s, const char *tag)
{
	int p[2];

	s->tag = tag;
	s->len = 0;
	s->continued = 0;
	s->rfd = s->wfd = -1;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	if (fcntl(p[0], F_SETFL, O_NONBLOCK) < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	s->rfd = p[0];
	s->wfd = p[1];
	return 0;
}

int stream_drain(struct svc_stream *s, const char *name, int max_reads, line_sink sink,
		 void *ctx)
{
	char chunk[4096];

	for (int i = 0; i < max_reads; i++) {
		ssize_t n = read(s->rfd, chunk, sizeof chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return 0;
		stream_feed(s, name, chunk, (size_t)n, sink, ctx);
	}
	return 1;
}
