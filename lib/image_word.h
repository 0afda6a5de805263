#ifndef STELE_IMAGE_WORD_H
#define STELE_IMAGE_WORD_H

#include <stddef.h>

/* The words that name an image in the agent's hello, one rule for the
 * agent that sends them and the collector that checks them (README,
 * "Drift visible to the fleet"). */

#define IMAGE_VERSION_MAX 64	/* os-release IMAGE_VERSION, as make image VERSION= sets it */
#define IMAGE_PCR_HEX 64	/* a SHA-256 PCR value, in hex */

/* 1 if s[0..n) is an image version: 1 to IMAGE_VERSION_MAX of
 * A-Z a-z 0-9 . _ ~ + -, the first a letter or digit (image/build-image's
 * rule for VERSION=; "-" and "*" stay free for --expect's wildcards),
 * else 0. */
int image_version_ok(const char *s, size_t n);

/* n hex digits of s, either case, copied lowercase into out[n + 1].
 * 0, or -1 with out "" if one is not a hex digit. */
int image_hex_copy(char *out, const char *s, size_t n);

/* A PCR value: exactly IMAGE_PCR_HEX hex digits in s[0..n), either case,
 * copied lowercase into out[IMAGE_PCR_HEX + 1]. 0, or -1 with out "". */
int image_pcr_copy(char *out, const char *s, size_t n);

#endif
