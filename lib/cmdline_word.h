#ifndef STELE_CMDLINE_WORD_H
#define STELE_CMDLINE_WORD_H

#include <stddef.h>

/* The kernel command line split as the kernel's own next_arg() splits it
 * (lib/cmdline.c): words are separated by spaces, tabs and newlines;
 * double quotes keep spaces inside a word and are dropped. PID 1, the
 * network service, the metadata fetcher and the agent all use this, so
 * that they agree on quoting. */

/* Copies the word starting at or after p into word[cap] (cut short if it
 * does not fit; *cut then set to 1, when cut is not NULL). Returns where
 * the next word may start; the line is done when that points at '\0'.
 * An empty word ("" on the line) comes out as "". */
const char *cmdline_next(const char *p, char *word, size_t cap, int *cut);

/* Copies the value of the last "key=" word of line into out[cap].
 * Returns 1 if found, 0 if not, -1 if the value does not fit. */
int cmdline_find(const char *line, const char *key, char *out, size_t cap);

#endif
