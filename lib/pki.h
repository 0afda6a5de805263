#ifndef STELE_PKI_H
#define STELE_PKI_H

#include <stddef.h>

#include <bearssl.h>

/* Certificates and keys from PEM files, for BearSSL, in caller-owned fixed
 * storage: the agent and the collector both load their CA (as trust
 * anchors), their certificate chain and their EC private key this way.
 * Every function returns 0, or -1 with a one-line reason in why[whylen]
 * that names the file and what is wrong with it. Nothing is allocated. */

#define PKI_ANCHORS_MAX 8
#define PKI_CHAIN_MAX 4
#define PKI_STORE_MAX 16384	/* bytes of DER (and DNs, keys) per object */

struct pki_anchors {
	br_x509_trust_anchor ta[PKI_ANCHORS_MAX];
	size_t n;
	unsigned char store[PKI_STORE_MAX];	/* DNs and public keys of ta[] */
	size_t used;
};

struct pki_chain {
	br_x509_certificate cert[PKI_CHAIN_MAX];	/* leaf first */
	size_t n;
	unsigned char store[PKI_STORE_MAX];		/* their DER */
	size_t used;
};

struct pki_key {
	br_ec_private_key ec;		/* only EC keys (P-256 is what make pki makes) */
	unsigned char x[BR_EC_KBUF_PRIV_MAX_SIZE];
};

/* Every CERTIFICATE in path becomes a trust anchor (flagged CA). */
int pki_load_anchors(const char *path, struct pki_anchors *a, char *why, size_t whylen);

/* The CERTIFICATEs in path, leaf first, as a chain to present. */
int pki_load_chain(const char *path, struct pki_chain *c, char *why, size_t whylen);

/* An EC PRIVATE KEY or PRIVATE KEY (PKCS#8) in path. */
int pki_load_key(const char *path, struct pki_key *k, char *why, size_t whylen);

#endif
