#ifndef STELE_COLLECTOR_JSON_H
#define STELE_COLLECTOR_JSON_H

#include <stddef.h>
#include <stdint.h>

/* Text output into a caller-owned buffer. A write that does not fit sets
 * full and writes nothing more: the caller checks full once, after a whole
 * line, and either flushes and starts the line again or gives up. */
struct jbuf {
	char *p;
	size_t len, cap;
	int full;
};

void jb_raw(struct jbuf *b, const void *s, size_t n);
void jb_cstr(struct jbuf *b, const char *s);
void jb_u64(struct jbuf *b, uint64_t u);
void jb_nint(struct jbuf *b, uint64_t u);	/* the CBOR negative integer -1 - u */

/* Shortest decimal that reads back as the same double. Not finite: JSON
 * has no spelling for it, so null; Prometheus spells NaN, +Inf, -Inf. */
void jb_double_json(struct jbuf *b, double d);
void jb_double_prom(struct jbuf *b, double d);

/* A JSON string, quotes included: ", \ and control characters escaped,
 * valid UTF-8 copied, every byte of an invalid UTF-8 sequence written as
 * \ufffd (so the line is always valid JSON). */
void jb_str(struct jbuf *b, const unsigned char *s, size_t n);

/* Base64 (RFC 4648, padded) in quotes. */
void jb_b64(struct jbuf *b, const unsigned char *s, size_t n);

/* A Prometheus label value without its quotes: \, " and newline escaped,
 * invalid UTF-8 as U+FFFD. */
void jb_label(struct jbuf *b, const unsigned char *s, size_t n);

/* Length of the valid UTF-8 sequence at s[0..n), 0 if there is none. */
size_t utf8_seq(const unsigned char *s, size_t n);

#endif
