#ifndef STELE_AGENT_IMAGE_ID_H
#define STELE_AGENT_IMAGE_ID_H

#include "image_word.h"

/* What the hello says of the image this machine runs (README, "Drift
 * visible to the fleet"), read once at start: the image's IMAGE_VERSION
 * (os-release, set by make image VERSION=) and, when there is a TPM, its
 * SHA-256 PCR 11 (the UKI, as systemd-stub measured it) and PCR 15 (the
 * root hash, as stage 1 extends it). Each is "" when there is none; the
 * hello then leaves its key out. */
struct image_id {
	char version[IMAGE_VERSION_MAX + 1];
	char pcr11[IMAGE_PCR_HEX + 1], pcr15[IMAGE_PCR_HEX + 1];
};

/* IMAGE_VERSION of the NUL-terminated os-release text (os-release(5):
 * KEY=VALUE lines, the value bare or in "" or ''; the last assignment
 * counts) into out[IMAGE_VERSION_MAX + 1]. 1 if set to an image version
 * (image_version_ok); 0 if not set; -1 if set to anything else. out is ""
 * unless 1. */
int image_id_os_release(const char *text, char *out);

/* Fills id from the files under root ("" on the guest): etc/os-release,
 * else usr/lib/os-release; sys/class/tpm/tpm0/pcr-sha256/11 and 15. A
 * value that is there but unusable is said once on stderr and left out. */
void image_id_read(struct image_id *id, const char *root);

#endif
