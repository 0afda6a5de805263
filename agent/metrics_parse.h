#ifndef STELE_AGENT_METRICS_PARSE_H
#define STELE_AGENT_METRICS_PARSE_H

/* Inside metrics_system and metrics_stele: one parser per /proc text,
 * fed text[len] (not NUL-terminated, never read past len) so that tests
 * can give it fixtures, and one wrapper per parser that reads the file.
 * Every sample goes straight to the sink; label values are copied into
 * the parser's own bounded buffers, and a line that does not fit them
 * is skipped, never cut. */

#include <stdint.h>
#include <sys/statfs.h>
#include <sys/utsname.h>

#include "metrics.h"

/* Big enough for /proc/stat's per-CPU lines, /proc/self/mountinfo and the
 * rest on any host the guest runs on. */
#define METRICS_FILE_MAX 65536

/* Reads path into a buffer all sources share, valid until the next call;
 * a file larger than METRICS_FILE_MAX is cut back to its last whole line.
 * Returns the text and its length in *len, or NULL if unreadable. */
const char *metrics_read(const char *path, size_t *len);

/* A cursor over text: the helpers never read at or past end. */
struct mtext {
	const char *p, *end;
};

/* The next line (without its '\n') into *line; 0 at the end. */
int mtext_line(struct mtext *t, struct mtext *line);
/* The next word separated by spaces or tabs; returns its length, 0 if
 * none is left. */
size_t mtext_word(struct mtext *t, const char **w);
/* All n bytes at s are decimal digits (n > 0, no overflow): 1, else 0. */
int mtext_u64(const char *s, size_t n, uint64_t *v);
/* Digits with an optional fraction ("0.52", "17"): 1, else 0. */
int mtext_dec(const char *s, size_t n, double *v);
/* The next word as mtext_u64 or mtext_dec reads it: 1, else 0. */
int mtext_next_u64(struct mtext *t, uint64_t *v);
int mtext_next_dec(struct mtext *t, double *v);
/* s[n] as a C string in dst[cap]: 1, or 0 if it does not fit. */
int mtext_copy(char *dst, size_t cap, const char *s, size_t n);

void metrics_cpu_parse(const char *text, size_t len, metric_sink sink, void *ctx);
void metrics_mem_parse(const char *text, size_t len, metric_sink sink, void *ctx);
void metrics_loadavg_parse(const char *text, size_t len, metric_sink sink, void *ctx);
/* resource: "cpu", "memory" or "io", the name of the /proc/pressure file. */
void metrics_pressure_parse(const char *resource, const char *text, size_t len,
			    metric_sink sink, void *ctx);
void metrics_disk_parse(const char *text, size_t len, metric_sink sink, void *ctx);
void metrics_net_parse(const char *text, size_t len, metric_sink sink, void *ctx);
/* /proc/self/mountinfo text; fs_stat is statfs(2), or a test's stand-in. */
void metrics_fs_parse(const char *text, size_t len, int (*fs_stat)(const char *, struct statfs *),
		      metric_sink sink, void *ctx);
void metrics_uname_emit(const struct utsname *u, metric_sink sink, void *ctx);
void metrics_verity_parse(const char *text, size_t len, metric_sink sink, void *ctx);
void metrics_services_parse(const char *text, size_t len, metric_sink sink, void *ctx);
struct timex;
void metrics_timex_emit(const struct timex *t, int state, metric_sink sink, void *ctx);

/* The wrappers: each reads its files with metrics_read and skips what
 * is missing. */
void metrics_cpu(metric_sink sink, void *ctx);
void metrics_mem(metric_sink sink, void *ctx);
void metrics_load(metric_sink sink, void *ctx);
void metrics_disk(metric_sink sink, void *ctx);
void metrics_net(metric_sink sink, void *ctx);
void metrics_fs(metric_sink sink, void *ctx);
void metrics_uname(metric_sink sink, void *ctx);
void metrics_timex(metric_sink sink, void *ctx);

#endif
