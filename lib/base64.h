#ifndef STELE_BASE64_H
#define STELE_BASE64_H

#include <stddef.h>

/* Decodes standard base64 (RFC 4648 §4, '=' padding required, no
 * whitespace) from s[n] into out[cap]. Returns 0 with *len set, or -1 if
 * s is not such base64 or decodes to more than cap bytes. */
int base64_decode(const char *s, size_t n, unsigned char *out, size_t cap, size_t *len);

#endif
