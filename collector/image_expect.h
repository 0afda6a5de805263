#ifndef STELE_COLLECTOR_IMAGE_EXPECT_H
#define STELE_COLLECTOR_IMAGE_EXPECT_H

#include <stddef.h>

#include "image_word.h"

/* --expect FILE: the images the fleet should run (README, "Drift visible
 * to the fleet"). One image a line, three fields separated by blanks:
 *
 *     VERSION ROOTHASH PCR11
 *
 * VERSION an image version (image_version_ok), ROOTHASH 64 or 128 hex
 * digits, PCR11 IMAGE_PCR_HEX hex digits, hex in either case. Any field
 * may be "*": anything, said or not; or "-": not said (an image without
 * IMAGE_VERSION, an agent without a root hash, a machine without a TPM).
 * '#' starts a comment to the end of the line; blank lines are skipped.
 * The file is outside input: every fault is refused, none skipped. */

#define IMAGE_EXPECT_MAX 1024			/* images */
#define IMAGE_EXPECT_LINE_MAX 1024		/* bytes of one line, comment included */
#define IMAGE_EXPECT_FILE_MAX (1024 * 1024)	/* bytes of the file */
#define IMAGE_ROOTHASH_MAX 128

struct image_expect_entry {
	char version[IMAGE_VERSION_MAX + 1];
	char roothash[IMAGE_ROOTHASH_MAX + 1];	/* lowercase, or "*" or "-" */
	char pcr11[IMAGE_PCR_HEX + 1];
};

struct image_expect {
	size_t n;
	struct image_expect_entry e[IMAGE_EXPECT_MAX];
};

/* Parses text[len], the contents of the file name, into x. 0; or -1 with
 * the first fault in why as "NAME:LINE: what is wrong" (a file without
 * any image is a fault too: "NAME: ..."). */
int image_expect_parse(struct image_expect *x, const char *name, const char *text, size_t len,
		       char *why, size_t whylen);

/* Reads path (at most IMAGE_EXPECT_FILE_MAX bytes) and parses it; 0 or -1
 * with why. For the collector's setup only: it allocates. */
int image_expect_load(struct image_expect *x, const char *path, char *why, size_t whylen);

/* 1 if a line of x takes the image (version, roothash, pcr11), each ""
 * when the hello did not say; else 0. Hex is compared without case. */
int image_expect_match(const struct image_expect *x, const char *version, const char *roothash,
		       const char *pcr11);

#endif
