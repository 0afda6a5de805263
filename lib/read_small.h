#ifndef STELE_READ_SMALL_H
#define STELE_READ_SMALL_H

#include <stddef.h>

/* Reads what one read(2) of path gives, at most cap - 1 bytes, into out,
 * NUL-terminated: for /proc and /sys files and small settings files.
 * Returns the length; 0 (out "") if the file is missing, unreadable or
 * empty. */
size_t read_small(const char *path, char *out, size_t cap);

#endif
