#ifndef STELE_TPM2_CMD_H
#define STELE_TPM2_CMD_H

#include <stddef.h>
#include <stdint.h>

/* The two TPM 2.0 commands stage 1 sends (TCG TPM 2.0 Library, Part 3),
 * built into and parsed from byte buffers: which PCR banks are active
 * (TPM2_GetCapability, TPM_CAP_PCRS) and TPM2_PCR_Extend. Nothing here
 * touches a device; the replies are outside input and parsed to their
 * exact size. Every *why is one line of at most REASON_MAX bytes. */

#define TPM2_CMD_MAX 512
#define TPM2_RSP_MAX 4096

enum {
	TPM2_ALG_SHA1 = 0x0004,
	TPM2_ALG_SHA256 = 0x000b,
	TPM2_ALG_SHA384 = 0x000c,
	TPM2_ALG_SHA512 = 0x000d,
};

#define TPM2_BANKS_MAX 8
#define TPM2_DIGEST_MAX 64

/* The banks in which a PCR is active, in the TPM's order. */
struct tpm2_banks {
	size_t n;
	uint16_t alg[TPM2_BANKS_MAX];
};

struct tpm2_digest {
	uint16_t alg;
	unsigned char d[TPM2_DIGEST_MAX];
};

/* Digest size of alg, or 0 for an algorithm stage 1 cannot compute. */
size_t tpm2_alg_size(uint16_t alg);
/* "sha256", or "0x0012" written into buf[8]. */
const char *tpm2_alg_name(uint16_t alg, char buf[8]);

/* Each returns the command's length (out holds TPM2_CMD_MAX bytes). */
size_t tpm2_cmd_get_pcrs(unsigned char *out);
size_t tpm2_cmd_extend(unsigned char *out, uint32_t pcr, const struct tpm2_digest *d, size_t n);

/* A reply's header: its size is len and its response code success.
 * 0, or -1 with why. */
int tpm2_rsp_check(const unsigned char *rsp, size_t len, const char *cmd, char *why);

/* The banks of a GetCapability(TPM_CAP_PCRS) reply in which pcr is
 * selected. 0, or -1 with why (a reply that is malformed, or names more
 * than TPM2_BANKS_MAX banks). */
int tpm2_rsp_pcr_banks(const unsigned char *rsp, size_t len, unsigned pcr, struct tpm2_banks *b,
		       char *why);

#endif
