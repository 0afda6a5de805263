#ifndef STELE_AGENT_RECORD_H
#define STELE_AGENT_RECORD_H

#include <stddef.h>
#include <stdint.h>

#include "cbor_out.h"
#include "logparse.h"

/* The items of DESIGN.md 6, each encoded into a caller's buffer. Every
 * function returns the item's length, or 0 if it did not fit. */

/* version, pcr11, pcr15: NULL or "" leaves the key out (README: the
 * hello as it is now, beyond DESIGN.md 6). */
struct hello {
	const char *host, *boot_id, *agent, *roothash;
	const char *version, *pcr11, *pcr15;
};

size_t record_hello(unsigned char *buf, size_t cap, const struct hello *h);

/* kind "log". src: "kmsg", "service" or "syslog"; stream: "out"/"err"
 * for service lines, else NULL. app, tag and msg are text if valid UTF-8,
 * else byte strings; uid, tag and cont ("cont": true) only when set.
 * f->t_ns is used when it is >= 0, else t_ns. */
size_t record_log(unsigned char *buf, size_t cap, uint64_t seq, int64_t t_ns,
		  const char *src, const struct log_fields *f, const char *stream);

/* kind "event": event is its name ("dropped", "agent_started", ...);
 * app (the service it is about) and msg may be NULL; count < 0 leaves it
 * out. */
size_t record_event(unsigned char *buf, size_t cap, uint64_t seq, int64_t t_ns,
		    const char *event, const char *app, const char *msg, int64_t count);

/* kind "metrics", built sample by sample. */
struct metrics_record {
	struct cbw w;
	size_t samples_at;
	size_t n;
};

void record_metrics_begin(struct metrics_record *m, unsigned char *buf, size_t cap,
			  uint64_t seq, int64_t t_ns);
/* Returns 0, or -1 if the sample did not fit (the record is then full:
 * end it and start another). */
int record_metrics_sample(struct metrics_record *m, const char *name,
			  const char *const *label_kv, size_t n_labels, double value);
size_t record_metrics_end(struct metrics_record *m);

#endif
