#ifndef STELE_HEX_H
#define STELE_HEX_H

#include <stddef.h>

/* Decodes exactly 2*n hex digits from s into out[n]. Both cases accepted.
 * Returns 0, or -1 if s holds anything but hex digits in that span. */
int hex_decode(unsigned char *out, size_t n, const char *s);

/* Writes 2*n lowercase hex digits and a NUL into out; out must hold 2*n+1. */
void hex_encode(char *out, const unsigned char *in, size_t n);

#endif
