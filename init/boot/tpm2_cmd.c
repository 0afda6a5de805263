#include "tpm2_cmd.h"

#include <stdio.h>
#include <string.h>

#include "power.h"

#define ST_NO_SESSIONS 0x8001
#define ST_SESSIONS 0x8002
#define CC_PCR_EXTEND 0x00000182
#define CC_GET_CAPABILITY 0x0000017a
#define CAP_PCRS 0x00000005
#define RS_PW 0x40000009	/* the empty password session: PCRs 0-15 need no auth */
#define HEADER 10		/* tag, size, command or response code */

struct wbuf {
	unsigned char *p;
	size_t n;
};

static void put16(struct wbuf *w, uint16_t v)
{
	w->p[w->n++] = (unsigned char)(v >> 8);
	w->p[w->n++] = (unsigned char)v;
}

static void put32(struct wbuf *w, uint32_t v)
{
	put16(w, (uint16_t)(v >> 16));
	put16(w, (uint16_t)v);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Writes the header's size once the command is complete. */
static size_t finish(struct wbuf *w)
{
	struct wbuf at = { w->p, 2 };

	put32(&at, (uint32_t)w->n);
	return w->n;
}

size_t tpm2_alg_size(uint16_t alg)
{
	switch (alg) {
	case TPM2_ALG_SHA1: return 20;
	case TPM2_ALG_SHA256: return 32;
	case TPM2_ALG_SHA384: return 48;
	case TPM2_ALG_SHA512: return 64;
	default: return 0;
	}
}

const char *tpm2_alg_name(uint16_t alg, char buf[8])
{
	switch (alg) {
	case TPM2_ALG_SHA1: return "sha1";
	case TPM2_ALG_SHA256: return "sha256";
	case TPM2_ALG_SHA384: return "sha384";
	case TPM2_ALG_SHA512: return "sha512";
	default:
		snprintf(buf, 8, "0x%04x", alg);
		return buf;
	}
}

size_t tpm2_cmd_get_pcrs(unsigned char *out)
{
	struct wbuf w = { out, 0 };

	put16(&w, ST_NO_SESSIONS);
	put32(&w, 0);
	put32(&w, CC_GET_CAPABILITY);
	put32(&w, CAP_PCRS);
	put32(&w, 0);		/* property: none for this capability */
	put32(&w, 1);		/* count: the TPM returns every bank at once */
	return finish(&w);
}

size_t tpm2_cmd_extend(unsigned char *out, uint32_t pcr, const struct tpm2_digest *d, size_t n)
{
	struct wbuf w = { out, 0 };

	put16(&w, ST_SESSIONS);
	put32(&w, 0);
	put32(&w, CC_PCR_EXTEND);
	put32(&w, pcr);
	put32(&w, 9);		/* the authorization area: one password session */
	put32(&w, RS_PW);
	put16(&w, 0);		/* nonce */
	w.p[w.n++] = 0;		/* session attributes */
	put16(&w, 0);		/* password */
	put32(&w, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		put16(&w, d[i].alg);
		memcpy(w.p + w.n, d[i].d, tpm2_alg_size(d[i].alg));
		w.n += tpm2_alg_size(d[i].alg);
	}
	return finish(&w);
}

int tpm2_rsp_check(const unsigned char *rsp, size_t len, const char *cmd, char *why)
{
	uint32_t rc;

	if (len < HEADER || get32(rsp + 2) != len) {
		snprintf(why, REASON_MAX, "TPM2_%s: malformed reply (%zu bytes)", cmd, len);
		return -1;
	}
	if ((rc = get32(rsp + 6)) != 0) {
		snprintf(why, REASON_MAX, "TPM2_%s failed: response code 0x%03x", cmd, (unsigned)rc);
		return -1;
	}
	return 0;
}

/* TPMS_CAPABILITY_DATA after moreData: capability, then TPML_PCR_SELECTION
 * (count, then per bank: hash, sizeofSelect, pcrSelect[sizeofSelect]). */
int tpm2_rsp_pcr_banks(const unsigned char *rsp, size_t len, unsigned pcr, struct tpm2_banks *b,
		       char *why)
{
	const unsigned char *p = rsp + HEADER + 1, *end = rsp + len;
	uint32_t count;

	b->n = 0;
	if (tpm2_rsp_check(rsp, len, "GetCapability", why))
		return -1;
	if (end - p < 8 || get32(p) != CAP_PCRS)
		goto bad;
	count = get32(p + 4);
	p += 8;
	for (uint32_t i = 0; i < count; i++) {
		uint16_t alg;
		size_t size;

		if (end - p < 3)
			goto bad;
		alg = get16(p);
		size = p[2];
		p += 3;
		if ((size_t)(end - p) < size)
			goto bad;
		if (pcr / 8 < size && (p[pcr / 8] >> (pcr % 8) & 1)) {
			if (b->n == TPM2_BANKS_MAX) {
				snprintf(why, REASON_MAX, "TPM2_GetCapability: more than %d PCR banks",
					 TPM2_BANKS_MAX);
				return -1;
			}
			b->alg[b->n++] = alg;
		}
		p += size;
	}
	if (p == end)
		return 0;
bad:
	snprintf(why, REASON_MAX, "TPM2_GetCapability: malformed list of PCR banks");
	return -1;
}
