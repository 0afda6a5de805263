#ifndef STELE_TPM_MEASURE_H
#define STELE_TPM_MEASURE_H

#include <stddef.h>

/* The PCR stage 1 extends: systemd's for file systems and volumes
 * (systemd-pcrfs, systemd-cryptsetup), where the root belongs. */
#define TPM_ROOT_PCR 15
/* What is measured: this, then the root hash in lowercase hex. Each
 * active bank of PCR 15 is extended with that bank's hash of the text,
 * as systemd measures its words, so PCR 15 after stage 1 is, per bank,
 * H(0...0 || H("stele-verity-root:" HEX)). image/build-image predicts it. */
#define TPM_ROOT_EVENT "stele-verity-root:"

/* Extends PCR 15 with the verified root hash through /dev/tpm0, in
 * every bank the TPM has active for it. Returns 1 when measured, 0 when
 * the machine has no TPM 2.0 (why then says which), -1 with why when a
 * TPM is there but the measurement failed: the boot must not go on
 * unmeasured, or the root it starts could extend PCR 15 with whatever
 * value it likes. */
int tpm_measure_root(const unsigned char *roothash, size_t len, char *why);

#endif
