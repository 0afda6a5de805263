/* lib/pki: the PKI that `make pki` writes loads as trust anchors, a chain
 * and an EC key that belong together; every bad file is refused with a
 * reason naming the file and the fault. Needs build/pki (the Makefile
 * runs make pki before building this test) and openssl for the odd
 * formats (RSA, PKCS#8, encrypted). */

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "pki.h"

static char pki[PATH_MAX], tmp[PATH_MAX];
static struct pki_anchors a;
static struct pki_chain c;
static struct pki_key k;

static const char *in_pki(const char *name)
{
	static char path[2][PATH_MAX + 32];
	static int i;

	i ^= 1;
	snprintf(path[i], sizeof path[i], "%s/%s", pki, name);
	return path[i];
}

static const char *in_tmp(const char *name)
{
	static char path[2][PATH_MAX + 32];
	static int i;

	i ^= 1;
	snprintf(path[i], sizeof path[i], "%s/%s", tmp, name);
	return path[i];
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!CHECK(f != NULL))
		return;
	CHECK(fwrite(data, 1, len, f) == len);
	fclose(f);
}

static size_t read_file(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!CHECK(f != NULL))
		return 0;
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static int sh(const char *fmt, const char *a1, const char *a2)
{
	char cmd[3 * PATH_MAX];

	snprintf(cmd, sizeof cmd, fmt, a1, a2);
	return system(cmd);
}

/* The certificate's public key, for comparing with what the key gives. */
static int cert_pubkey(const br_x509_certificate *crt, unsigned char *q, size_t *qlen)
{
	br_x509_decoder_context xd;
	const br_x509_pkey *pk;

	br_x509_decoder_init(&xd, NULL, NULL);
	br_x509_decoder_push(&xd, crt->data, crt->data_len);
	pk = br_x509_decoder_get_pkey(&xd);
	if (!pk || pk->key_type != BR_KEYTYPE_EC)
		return -1;
	memcpy(q, pk->key.ec.q, pk->key.ec.qlen);
	*qlen = pk->key.ec.qlen;
	return 0;
}

static void check_pair(const char *what)
{
	unsigned char want[BR_EC_KBUF_PUB_MAX_SIZE], got[BR_EC_KBUF_PUB_MAX_SIZE];
	size_t want_len = 0, got_len;

	check_what = what;
	CHECK(cert_pubkey(&c.cert[0], want, &want_len) == 0);
	got_len = br_ec_compute_pub(br_ec_get_default(), NULL, got, &k.ec);
	CHECK_INT(want_len, got_len);
	if (want_len == got_len)
		CHECK_MEM(want, got, got_len);
	check_what = NULL;
}

static void test_make_pki(void)
{
	char why[256];
	static const unsigned char stele_ca[] = "stele server CA";

	CHECK(pki_load_anchors(in_pki("server-ca.crt"), &a, why, sizeof why) == 0);
	CHECK_INT(1, a.n);
	CHECK_INT(BR_X509_TA_CA, a.ta[0].flags);
	CHECK_INT(BR_KEYTYPE_EC, a.ta[0].pkey.key_type);
	CHECK_INT(BR_EC_secp256r1, a.ta[0].pkey.key.ec.curve);
	CHECK_INT(65, a.ta[0].pkey.key.ec.qlen);
	CHECK(a.ta[0].pkey.key.ec.q >= a.store && a.ta[0].pkey.key.ec.q + 65 <= a.store + a.used);
	CHECK(a.ta[0].dn.len > 8 && memmem(a.ta[0].dn.data, a.ta[0].dn.len, stele_ca, 15) != NULL);

	CHECK(pki_load_chain(in_pki("collector.crt"), &c, why, sizeof why) == 0);
	CHECK_INT(1, c.n);
	CHECK_INT(0x30, c.cert[0].data[0]);
	CHECK_INT(c.used, c.cert[0].data_len);

	CHECK(pki_load_key(in_pki("collector.key"), &k, why, sizeof why) == 0);
	CHECK_INT(BR_EC_secp256r1, k.ec.curve);
	CHECK_INT(32, k.ec.xlen);
	CHECK(k.ec.x == k.x);
	check_pair("collector.key is collector.crt's");

	CHECK(pki_load_chain(in_pki("agent.crt"), &c, why, sizeof why) == 0);
	CHECK(pki_load_key(in_pki("agent.key"), &k, why, sizeof why) == 0);
	check_pair("agent.key is agent.crt's");
}

/* Two certificates in one file, leaf first; PKCS#8; no final newline. */
static void test_variants(void)
{
	char why[256], buf[8192], buf2[8192];
	size_t n1, n2;
	unsigned char x[32];

	n1 = read_file(in_pki("agent.crt"), buf, sizeof buf);
	n2 = read_file(in_pki("server-ca.crt"), buf + n1, sizeof buf - n1);
	write_file(in_tmp("bundle.crt"), buf, n1 + n2);
	CHECK(pki_load_chain(in_tmp("bundle.crt"), &c, why, sizeof why) == 0);
	CHECK_INT(2, c.n);
	CHECK(pki_load_anchors(in_tmp("bundle.crt"), &a, why, sizeof why) == 0);
	CHECK_INT(2, a.n);
	CHECK(a.ta[0].dn.len != a.ta[1].dn.len || memcmp(a.ta[0].dn.data, a.ta[1].dn.data, a.ta[0].dn.len));

	/* Text around the PEM and no newline at the end. */
	n1 = read_file(in_pki("server-ca.crt"), buf2 + 6, sizeof buf2 - 6);
	memcpy(buf2, "notes\n", 6);
	write_file(in_tmp("nonl.crt"), buf2, 6 + n1 - 1);
	CHECK(pki_load_anchors(in_tmp("nonl.crt"), &a, why, sizeof why) == 0);
	CHECK_INT(1, a.n);

	CHECK(pki_load_key(in_pki("agent.key"), &k, why, sizeof why) == 0);
	memcpy(x, k.x, sizeof x);
	if (sh("openssl pkcs8 -topk8 -nocrypt -in %s -out %s 2>/dev/null", in_pki("agent.key"),
	       in_tmp("pkcs8.key")) != 0) {
		check_skip("openssl pkcs8 failed: no PKCS#8 test");
		return;
	}
	n1 = read_file(in_tmp("pkcs8.key"), buf, sizeof buf);
	CHECK(n1 > 27 && memcmp(buf, "-----BEGIN PRIVATE KEY-----", 27) == 0);
	memset(&k, 0, sizeof k);
	CHECK(pki_load_key(in_tmp("pkcs8.key"), &k, why, sizeof why) == 0);
	CHECK_INT(32, k.ec.xlen);
	CHECK_MEM(x, k.x, 32);

	/* openssl ecparam without -noout puts EC PARAMETERS first. */
	if (sh("openssl ecparam -name prime256v1 -genkey -out %s 2>/dev/null%s", in_tmp("params.key"), "") == 0)
		CHECK(pki_load_key(in_tmp("params.key"), &k, why, sizeof why) == 0);
}

struct bad {
	const char *name;	/* file in tmp */
	int (*load)(const char *, char *, size_t);
	const char *reason;
};

static int anchors(const char *p, char *why, size_t n) { return pki_load_anchors(p, &a, why, n); }
static int chain(const char *p, char *why, size_t n) { return pki_load_chain(p, &c, why, n); }
static int key(const char *p, char *why, size_t n) { return pki_load_key(p, &k, why, n); }

static void test_bad_files(void)
{
	static const struct bad cases[] = {
		{ "missing", anchors, "No such file" },
		{ "empty", anchors, "no CERTIFICATE" },
		{ "empty", chain, "no CERTIFICATE" },
		{ "empty", key, "no EC PRIVATE KEY or PRIVATE KEY" },
		{ "cert-as-key", key, "no EC PRIVATE KEY" },
		{ "key-as-cert", chain, "no CERTIFICATE" },
		{ "badb64", anchors, "not valid PEM" },
		{ "notder", anchors, "certificate 1: not a valid X.509 certificate" },
		{ "notder", chain, "certificate 1: not a valid X.509 certificate" },
		{ "unfinished", chain, "unfinished PEM object" },
		{ "badkey", key, "not a valid private key" },
		{ "big", anchors, "larger than 65536 bytes" },
		{ "nine", anchors, "more than 8 certificates" },
		{ "five", chain, "more than 4 certificates" },
		{ "twokeys", key, "more than one private key" },
		{ "rsa.key", key, "RSA key: only EC keys are supported" },
		{ "rsa8.key", key, "RSA key: only EC keys are supported" },
		{ "enc.key", key, "encrypted key" },
	};
	char buf[70000], one[4096], why[256];
	size_t n, m;

	write_file(in_tmp("empty"), "", 0);
	n = read_file(in_pki("server-ca.crt"), one, sizeof one);
	write_file(in_tmp("cert-as-key"), one, n);
	m = read_file(in_pki("server-ca.key"), buf, sizeof buf);
	write_file(in_tmp("key-as-cert"), buf, m);
	memcpy(buf + m, buf, m);
	write_file(in_tmp("twokeys"), buf, 2 * m);
	write_file(in_tmp("badb64"), "-----BEGIN CERTIFICATE-----\nMII*\n-----END CERTIFICATE-----\n", 59);
	write_file(in_tmp("notder"), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", 59);
	write_file(in_tmp("unfinished"), one, (size_t)((char *)memchr(one + n / 2, '\n', n / 2) - one) + 1);
	write_file(in_tmp("badkey"), "-----BEGIN EC PRIVATE KEY-----\nMAMCAQE=\n-----END EC PRIVATE KEY-----\n", 67);
	for (m = 0; m + n <= sizeof buf; m += n)
		memcpy(buf + m, one, n);
	write_file(in_tmp("big"), buf, m);
	write_file(in_tmp("nine"), buf, 9 * n);
	write_file(in_tmp("five"), buf, 5 * n);
	if (sh("openssl genrsa -traditional -out %s 2048 2>/dev/null%s", in_tmp("rsa.key"), "") ||
	    sh("openssl pkcs8 -topk8 -nocrypt -in %s -out %s 2>/dev/null", in_tmp("rsa.key"),
	       in_tmp("rsa8.key")) ||
	    sh("openssl pkcs8 -topk8 -passout pass:x -in %s -out %s 2>/dev/null", in_pki("server-ca.key"),
	       in_tmp("enc.key"))) {
		check_skip("openssl cannot make RSA or encrypted keys: those cases not run");
	}

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct bad *b = &cases[i];
		char path[PATH_MAX + 32];

		snprintf(path, sizeof path, "%s/%s", tmp, b->name);
		if (strcmp(b->name, "missing") && access(path, R_OK) != 0)
			continue;	/* skipped above */
		check_what = b->name;
		why[0] = '\0';
		CHECK_INT(-1, b->load(path, why, sizeof why));
		CHECK_HAS(why, path);
		CHECK_HAS(why, b->reason);
		check_what = NULL;
	}
	/* A refused key leaves nothing behind. */
	memset(&k, 0xa5, sizeof k);
	CHECK_INT(-1, key(in_tmp("badkey"), why, sizeof why));
	for (size_t i = 0; i < sizeof k.x; i++)
		if (!CHECK_INT(0, k.x[i]))
			break;
	/* A short reason buffer is cut, not overrun. */
	memset(why, 'z', sizeof why);
	CHECK_INT(-1, anchors(in_tmp("empty"), why, 8));
	CHECK_INT(7, strlen(why));
	CHECK_INT('z', why[8]);
}

int main(void)
{
	const char *build = getenv("BUILD") ? getenv("BUILD") : "build";
	char cmd[PATH_MAX + 16];

	snprintf(pki, sizeof pki, "%s/pki", build);
	check_what = "build/pki, made by make pki";
	if (!CHECK(access(in_pki("agent.key"), R_OK) == 0))
		return check_done();
	check_what = NULL;
	snprintf(tmp, sizeof tmp, "/tmp/collector_pki.XXXXXX");
	if (!CHECK(mkdtemp(tmp) != NULL))
		return check_done();
	test_make_pki();
	test_variants();
	test_bad_files();
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmp);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmp);
	return check_done();
}
