#ifndef STELE_COLLECTOR_JSON_IN_H
#define STELE_COLLECTOR_JSON_IN_H

#include <stddef.h>
#include <stdint.h>

/* Reading JSON (RFC 8259) in a caller's buffer, without allocating: for
 * the collector's own JSON lines as sinks take them from JetStream, which
 * are outside input all the same.
 *
 * json_parse() checks the whole text once, strictly: the grammar of RFC
 * 8259 (no comments, no trailing commas, no leading zeros, no BOM, only
 * space, tab, LF and CR as white space), strings of valid UTF-8 without
 * raw control characters, and, as I-JSON (RFC 7493 §2.1) asks, escapes
 * that name Unicode characters: a \uD800-\uDBFF escape MUST be followed
 * by a \uDC00-\uDFFF one, and one of those MUST NOT come alone. Arrays and
 * objects nest at most JSON_DEPTH_MAX deep. Duplicate member names are
 * not refused: json_object_get() finds the first.
 *
 * A value is a span of the caller's text, never a copy: the caller MUST
 * keep the text unchanged while it uses any value taken from it. Every
 * function below other than json_parse() MUST only be given values that
 * came from json_parse() or from the functions here applied to them: they
 * trust the text to be checked already, and do not check it again. */

#define JSON_DEPTH_MAX 32	/* arrays and objects inside one another */
#define JSON_NUMBER_MAX 64	/* the longest number json_double() reads */

enum json_type {
	JSON_NULL, JSON_FALSE, JSON_TRUE, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT,
};

/* The raw text of one value: a string with its quotes, an object from
 * '{' to '}' and so on, without white space around it. */
struct json_val {
	enum json_type type;
	const char *p;
	size_t len;
};

/* s[0..n) (no NUL needed, NULs in it are refused outside strings and as
 * raw bytes inside them) must be exactly one value, with white space
 * around it allowed. Returns 0 with *out spanning it, or -1 with *why a
 * static string naming what was wrong. */
int json_parse(const char *s, size_t n, struct json_val *out, const char **why);

/* The value of obj's first member named key (compared after decoding
 * the member's name, so "\u0061pp" is "app"). Returns 0, or -1 if obj
 * is not an object or has no such member. */
int json_object_get(const struct json_val *obj, const char *key, struct json_val *out);

/* Walking an array's elements or an object's members, in order. */
struct json_iter {
	const char *p, *end;
};

/* it starts before the first element or member of v (an array or an
 * object; for anything else the walk is empty). */
void json_iter_init(struct json_iter *it, const struct json_val *v);

/* The next element (or member: its name, a JSON_STRING, and its value).
 * Returns 1 with it filled in, 0 at the end. */
int json_array_next(struct json_iter *it, struct json_val *elem);
int json_object_next(struct json_iter *it, struct json_val *name, struct json_val *val);

/* A string's decoded content as UTF-8 (escapes undone, surrogate pairs
 * joined) into out[outlen], NUL-terminated; *len is its length without
 * the NUL (it may hold NULs of its own, from \u0000). Returns 0, or -1 if
 * v is not a string or out cannot hold it and the NUL (then out holds
 * what fitted, cut at a character, and *len says how much). The decoded
 * length is never more than v->len - 2. */
int json_string(const struct json_val *v, char *out, size_t outlen, size_t *len);

/* Whether v is a string whose decoded content is exactly s. */
int json_string_is(const struct json_val *v, const char *s);

/* A number written as an integer (no fraction, no exponent) that fits:
 * 0 with *u set, else -1. */
int json_u64(const struct json_val *v, uint64_t *u);
int json_i64(const struct json_val *v, int64_t *i);

/* A number as the nearest double (strtod, in the "C" locale, which a
 * program that never calls setlocale() is in). -1 if v is not a number,
 * is longer than JSON_NUMBER_MAX characters, or is too large for a
 * double; one too small for it reads as 0 or a subnormal. */
int json_double(const struct json_val *v, double *d);

#endif
