#ifndef STELE_VERITY_SIG_H
#define STELE_VERITY_SIG_H

/* The DPS root verity signature partition: one JSON object
 *   {"rootHash": HEX, "certificateFingerprint": HEX, "signature": BASE64}
 * NUL-padded to a multiple of 4096 bytes. signature is a detached PKCS#7
 * signature of the root hash as lowercase hex text; the kernel checks it
 * (dm-verity root_hash_sig_key_desc), stage 1 only carries it there. */

#include <stddef.h>

#define VERITY_SIG_READ_MAX 65536	/* bytes of the partition looked at */
#define VERITY_SIG_MAX 8192		/* a decoded PKCS#7 signature */
#define VERITY_SIG_KEY_DESC "stele:roothash-sig"	/* its kernel user key */

struct verity_sig {
	unsigned char roothash[32];
	unsigned char fingerprint[32];	/* sha256 of the signer's DER cert */
	unsigned char sig[VERITY_SIG_MAX];
	size_t sig_len;
};

/* Parses the partition's first len bytes (len <= VERITY_SIG_READ_MAX):
 * optional whitespace, the object, optional whitespace, then only NUL bytes
 * to the end, at least one. The object has exactly the three members above,
 * each once, in any order, as strings without escapes; the hashes are 64
 * hex digits (sha256), the signature non-empty padded base64. Returns 0,
 * or -1 with a one-line reason in why[REASON_MAX]; *out is then undefined. */
int verity_sig_parse(const unsigned char *buf, size_t len, struct verity_sig *out, char *why);

#endif
