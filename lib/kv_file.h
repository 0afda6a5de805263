#ifndef STELE_KV_FILE_H
#define STELE_KV_FILE_H

#include <stddef.h>
#include <stdint.h>

/* "key = value" files (service definitions, agent.conf): one setting a
 * line, blanks around key and value and a CR at the end ignored, blank
 * lines and lines starting with '#' skipped. A parser is a table of keys,
 * each with its setter, and the setters; kv_parse walks the text, and
 * refuses, as one line "NAME:LINE: reason" in why: a line without '=' or
 * with an empty key, a key not in the table ("KEY: unknown key"), a key
 * given twice that may not repeat ("KEY: given twice"), an empty value for
 * a key that needs one ("KEY: no value"), a line or file over the table's
 * limits, a NUL byte. Nothing is allocated. */

#define KV_LINE_MAX 1024		/* a line's bytes, NUL included, at most */
#define KV_KEYS_MAX 32

/* A key's flags. */
#define KV_REPEAT 1u			/* may be given more than once */
#define KV_VALUE 2u			/* its value must not be empty */

struct kv_file;

/* Takes the trimmed value (NUL-terminated, writable: it may be cut up).
 * Returns 0, or -1 after kv_bad. */
typedef int (*kv_setter)(struct kv_file *f, char *value);

struct kv_key {
	const char *name;
	kv_setter set;
	unsigned flags;
};

struct kv_table {
	const struct kv_key *keys;
	size_t n_keys;			/* at most KV_KEYS_MAX */
	size_t line_max;		/* bytes of a line with its NUL, <= KV_LINE_MAX */
	size_t file_max;		/* bytes of the file */
};

struct kv_file {
	const struct kv_table *t;
	const char *name;		/* in messages: the path, or the service */
	char *why;			/* the caller's, why_cap bytes */
	size_t why_cap;
	void *ctx;			/* the setters' */
	unsigned line;			/* being read; 0: the file as a whole */
	uint32_t seen;			/* bit i: t->keys[i] was given */
};

/* Parses text[len] (need not be NUL-terminated) into f's setters. f->t,
 * name, why, why_cap and ctx are the caller's; line and seen are set here.
 * Returns 0, or -1 with the reason in why. Afterwards f->line is 0, so
 * that the caller's own checks (a key that is missing) name the file. */
int kv_parse(struct kv_file *f, const char *text, size_t len);

/* 1 if the key called name was given. */
int kv_given(const struct kv_file *f, const char *name);

/* Fails with "NAME[:LINE]: [KEY: ]REASON[ 'DETAIL']" in f->why (DETAIL
 * cut at 60 bytes); key and detail may be NULL. Returns -1. */
int kv_bad(struct kv_file *f, const char *key, const char *reason, const char *detail);

#endif
