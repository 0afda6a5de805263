/* The TPM 2.0 commands of stage 1's measurement (init/boot/tpm2_cmd.c):
 * the bytes it sends, and replies captured from swtpm 0.7 (libtpms),
 * whole and cut or altered. */

#include <stdint.h>
#include <string.h>

#include "check.h"
#include "hex.h"
#include "power.h"
#include "tpm2_cmd.h"

/* GetCapability(TPM_CAP_PCRS) from a swtpm made with --pcr-banks sha256:
 * four banks, only sha256 with PCRs 0-23 selected. */
static const char getcap_hex[] =
	"80010000002b0000000000000000050000000400040300000000"
	"0b03ffffff000c03000000000d03000000";
/* Its PCR_Extend reply: success, an empty password session back. */
static const char extend_ok_hex[] = "80020000001300000000000000000000010000";

static size_t unhex(unsigned char *out, const char *hex)
{
	size_t n = strlen(hex) / 2;

	if (hex_decode(out, n, hex))
		abort();
	return n;
}

static void check_bytes(const unsigned char *got, size_t n, const char *want_hex)
{
	unsigned char want[TPM2_CMD_MAX];
	size_t want_n = unhex(want, want_hex);

	if (CHECK_INT(want_n, n))
		CHECK_MEM(want, got, n);
}

static void test_commands(void)
{
	unsigned char cmd[TPM2_CMD_MAX];
	struct tpm2_digest d[2] = { { TPM2_ALG_SHA256, { 0 } }, { TPM2_ALG_SHA1, { 0 } } };

	check_what = "GetCapability(TPM_CAP_PCRS)";
	check_bytes(cmd, tpm2_cmd_get_pcrs(cmd), "8001000000160000017a000000050000000000000001");

	check_what = "PCR_Extend(15), sha256 and sha1";
	memset(d[0].d, 0xab, 32);
	memset(d[1].d, 0xcd, 20);
	check_bytes(cmd, tpm2_cmd_extend(cmd, 15, d, 2),
		    "80020000005700000182" "0000000f" "00000009" "40000009" "0000" "00" "0000"
		    "00000002"
		    "000b" "abababababababababababababababababababababababababababababababab"
		    "0004" "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd");
	check_what = NULL;
}

static void test_banks(void)
{
	unsigned char rsp[TPM2_RSP_MAX];
	size_t n = unhex(rsp, getcap_hex);
	struct tpm2_banks b;
	char why[REASON_MAX];

	CHECK_INT(0, tpm2_rsp_pcr_banks(rsp, n, 15, &b, why));
	CHECK_INT(1, b.n);
	CHECK_INT(TPM2_ALG_SHA256, b.alg[0]);
	/* PCR 24 is past every bank's selection: in none of them. */
	CHECK_INT(0, tpm2_rsp_pcr_banks(rsp, n, 24, &b, why));
	CHECK_INT(0, b.n);

	/* sha1 and sha384 switched on for PCRs 8-15 too. */
	rsp[23] = 0xff;
	rsp[35] = 0xff;
	CHECK_INT(0, tpm2_rsp_pcr_banks(rsp, n, 15, &b, why));
	CHECK_INT(3, b.n);
	CHECK_INT(TPM2_ALG_SHA1, b.alg[0]);
	CHECK_INT(TPM2_ALG_SHA384, b.alg[2]);
	CHECK_INT(0, tpm2_rsp_pcr_banks(rsp, n, 3, &b, why));
	CHECK_INT(1, b.n);

	/* Every cut of the reply is refused, none read past its end. */
	for (size_t cut = 0; cut < n; cut++) {
		unsigned char *copy = malloc(cut ? cut : 1);

		memcpy(copy, rsp, cut);
		if (cut >= 6) {	/* the header's size agrees: only the body is short */
			copy[2] = (unsigned char)(cut >> 24), copy[3] = (unsigned char)(cut >> 16);
			copy[4] = (unsigned char)(cut >> 8), copy[5] = (unsigned char)cut;
		}
		check_what = "a cut reply";
		CHECK_INT(-1, tpm2_rsp_pcr_banks(copy, cut, 15, &b, why));
		free(copy);
	}
	check_what = NULL;
	CHECK_HAS(why, "malformed");

	/* A size that is not the reply's, a count naming banks that are not there. */
	n = unhex(rsp, getcap_hex);
	CHECK_INT(-1, tpm2_rsp_pcr_banks(rsp, n - 1, 15, &b, why));
	CHECK_HAS(why, "malformed reply");
	rsp[18] = 5;
	CHECK_INT(-1, tpm2_rsp_pcr_banks(rsp, n, 15, &b, why));
	CHECK_STR("TPM2_GetCapability: malformed list of PCR banks", why);
}

static void test_replies(void)
{
	unsigned char rsp[TPM2_RSP_MAX];
	size_t n = unhex(rsp, extend_ok_hex);
	char why[REASON_MAX];

	CHECK_INT(0, tpm2_rsp_check(rsp, n, "PCR_Extend", why));
	/* swtpm in failure mode (TPM_RC_FAILURE), as when its state is unwritable. */
	n = unhex(rsp, "80010000000a00000101");
	CHECK_INT(-1, tpm2_rsp_check(rsp, n, "PCR_Extend", why));
	CHECK_STR("TPM2_PCR_Extend failed: response code 0x101", why);
	CHECK_INT(-1, tpm2_rsp_pcr_banks(rsp, n, 15, &(struct tpm2_banks){ 0 }, why));
	CHECK_STR("TPM2_GetCapability failed: response code 0x101", why);
	CHECK_INT(-1, tpm2_rsp_check(rsp, 4, "PCR_Extend", why));
	CHECK_STR("TPM2_PCR_Extend: malformed reply (4 bytes)", why);
}

static void test_algs(void)
{
	char buf[8];

	CHECK_INT(20, tpm2_alg_size(TPM2_ALG_SHA1));
	CHECK_INT(64, tpm2_alg_size(TPM2_ALG_SHA512));
	CHECK_INT(0, tpm2_alg_size(0x0012));	/* SM3_256 */
	CHECK_STR("sha384", tpm2_alg_name(TPM2_ALG_SHA384, buf));
	CHECK_STR("0x0012", tpm2_alg_name(0x0012, buf));
}

int main(void)
{
	test_commands();
	test_banks();
	test_replies();
	test_algs();
	return check_done();
}
