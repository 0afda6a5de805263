#include "tpm_measure.h"

#include <bearssl_hash.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hex.h"
#include "power.h"
#include "read_small.h"
#include "tpm2_cmd.h"

#define TPM_DEV "/dev/tpm0"
#define TPM_VERSION "/sys/class/tpm/tpm0/tpm_version_major"
#define ROOTHASH_HEX_MAX 128

static const br_hash_class *hash_of(uint16_t alg)
{
	switch (alg) {
	case TPM2_ALG_SHA1: return &br_sha1_vtable;
	case TPM2_ALG_SHA256: return &br_sha256_vtable;
	case TPM2_ALG_SHA384: return &br_sha384_vtable;
	case TPM2_ALG_SHA512: return &br_sha512_vtable;
	default: return NULL;
	}
}

/* One command, one reply: the driver takes a whole command per write and
 * gives the whole reply to the next read. */
static int transact(int fd, const unsigned char *cmd, size_t n, unsigned char *rsp, size_t *len,
		    const char *name, char *why)
{
	ssize_t w, r;

	do
		w = write(fd, cmd, n);
	while (w < 0 && errno == EINTR);
	if (w != (ssize_t)n) {
		snprintf(why, REASON_MAX, "cannot send TPM2_%s to " TPM_DEV ": %s", name,
			 w < 0 ? strerror(errno) : "short write");
		return -1;
	}
	do
		r = read(fd, rsp, TPM2_RSP_MAX);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		snprintf(why, REASON_MAX, "no reply to TPM2_%s from " TPM_DEV ": %s", name,
			 strerror(errno));
		return -1;
	}
	*len = (size_t)r;
	return 0;
}

/* The event's digest in every bank; a bank stage 1 cannot hash would be
 * left for anyone to extend, so it is refused. */
static int event_digests(const struct tpm2_banks *b, const char *event, struct tpm2_digest *d,
			 char *why)
{
	char name[8];

	for (size_t i = 0; i < b->n; i++) {
		const br_hash_class *h = hash_of(b->alg[i]);
		br_hash_compat_context ctx;

		if (!h) {
			snprintf(why, REASON_MAX, "PCR %d is active in bank %s, which stage 1 "
				 "cannot compute", TPM_ROOT_PCR, tpm2_alg_name(b->alg[i], name));
			return -1;
		}
		d[i].alg = b->alg[i];
		h->init(&ctx.vtable);
		h->update(&ctx.vtable, event, strlen(event));
		h->out(&ctx.vtable, d[i].d);
	}
	return 0;
}

static int measure(int fd, const char *event, char *why)
{
	static unsigned char cmd[TPM2_CMD_MAX], rsp[TPM2_RSP_MAX];
	struct tpm2_digest d[TPM2_BANKS_MAX];
	struct tpm2_banks banks;
	size_t len;

	if (transact(fd, cmd, tpm2_cmd_get_pcrs(cmd), rsp, &len, "GetCapability", why) ||
	    tpm2_rsp_pcr_banks(rsp, len, TPM_ROOT_PCR, &banks, why))
		return -1;
	if (banks.n == 0) {
		snprintf(why, REASON_MAX, "the TPM has no active bank for PCR %d", TPM_ROOT_PCR);
		return -1;
	}
	if (event_digests(&banks, event, d, why) ||
	    transact(fd, cmd, tpm2_cmd_extend(cmd, TPM_ROOT_PCR, d, banks.n), rsp, &len,
		     "PCR_Extend", why) ||
	    tpm2_rsp_check(rsp, len, "PCR_Extend", why))
		return -1;
	return 0;
}

int tpm_measure_root(const unsigned char *roothash, size_t len, char *why)
{
	char event[sizeof TPM_ROOT_EVENT + ROOTHASH_HEX_MAX], version[8];
	int fd, rc;

	if (len == 0 || 2 * len > ROOTHASH_HEX_MAX) {
		snprintf(why, REASON_MAX, "cannot measure a root hash of %zu bytes", len);
		return -1;
	}
	if ((fd = open(TPM_DEV, O_RDWR | O_CLOEXEC)) < 0) {
		if (errno != ENOENT && errno != ENODEV && errno != ENXIO) {
			snprintf(why, REASON_MAX, "cannot open " TPM_DEV ": %s", strerror(errno));
			return -1;
		}
		snprintf(why, REASON_MAX, "no TPM");
		return 0;
	}
	if (read_small(TPM_VERSION, version, sizeof version) > 0 && version[0] != '2') {
		close(fd);
		snprintf(why, REASON_MAX, "a TPM 1.2, not 2.0");
		return 0;
	}
	memcpy(event, TPM_ROOT_EVENT, sizeof TPM_ROOT_EVENT - 1);
	hex_encode(event + sizeof TPM_ROOT_EVENT - 1, roothash, len);
	rc = measure(fd, event, why);
	close(fd);
	return rc < 0 ? -1 : 1;
}
