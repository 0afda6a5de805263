#include "pki.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A PEM file is read whole: certificates and keys are small, and a file
 * larger than this is a mistake, not a chain. */
#define PKI_FILE_MAX 65536

/* What to do with the PEM objects of a file: take() says whether an object
 * of that name is wanted (then its DER goes to data()), done() checks it.
 * Errors found while data() runs are kept in the context and reported by
 * done(): the PEM decoder's callback cannot fail. */
struct pem_sink {
	void *ctx;
	int (*take)(void *ctx, const char *name, char *why, size_t whylen);
	void (*data)(void *ctx, const void *buf, size_t len);
	int (*done)(void *ctx, char *why, size_t whylen);
};

static int read_whole(const char *path, unsigned char *buf, size_t *len, char *why, size_t whylen)
{
	size_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (n <= PKI_FILE_MAX) {
		ssize_t r = read(fd, buf + n, PKI_FILE_MAX + 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			snprintf(why, whylen, "%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (n > PKI_FILE_MAX) {
		snprintf(why, whylen, "%s: larger than %d bytes", path, PKI_FILE_MAX);
		return -1;
	}
	*len = n;
	return 0;
}

/* Runs every PEM object of the file through s. A missing newline after
 * the last line is tolerated (BearSSL's tools do the same). */
static int pem_walk(const char *path, const struct pem_sink *s, char *why, size_t whylen)
{
	unsigned char file[PKI_FILE_MAX + 1];
	br_pem_decoder_context pc;
	const unsigned char *p = file;
	size_t len;
	int inobj = 0, extra_nl = 1, rc = -1;
	char reason[160];

	if (read_whole(path, file, &len, why, whylen) < 0)
		return -1;
	br_pem_decoder_init(&pc);
	while (len > 0) {
		size_t used = br_pem_decoder_push(&pc, p, len);

		p += used;
		len -= used;
		switch (br_pem_decoder_event(&pc)) {
		case BR_PEM_BEGIN_OBJ:
			reason[0] = '\0';
			switch (s->take(s->ctx, br_pem_decoder_name(&pc), reason, sizeof reason)) {
			case 1:
				br_pem_decoder_setdest(&pc, s->data, s->ctx);
				inobj = 1;
				break;
			case 0:
				br_pem_decoder_setdest(&pc, NULL, NULL);
				break;
			default:
				snprintf(why, whylen, "%s: %s", path, reason);
				goto out;
			}
			break;
		case BR_PEM_END_OBJ:
			if (!inobj)
				break;
			inobj = 0;
			reason[0] = '\0';
			if (s->done(s->ctx, reason, sizeof reason) < 0) {
				snprintf(why, whylen, "%s: %s", path, reason);
				goto out;
			}
			break;
		case BR_PEM_ERROR:
			snprintf(why, whylen, "%s: not valid PEM", path);
			goto out;
		}
		if (len == 0 && extra_nl) {
			extra_nl = 0;
			p = (const unsigned char *)"\n";
			len = 1;
		}
	}
	if (inobj) {
		snprintf(why, whylen, "%s: unfinished PEM object", path);
		goto out;
	}
	rc = 0;
out:
	/* The file may be a private key. */
	explicit_bzero(file, sizeof file);
	explicit_bzero(&pc, sizeof pc);
	return rc;
}

static int is_cert(const char *name)
{
	return strcmp(name, "CERTIFICATE") == 0 || strcmp(name, "X509 CERTIFICATE") == 0;
}

/* Trust anchors: the X.509 decoder reads the DER as the PEM decoder
 * produces it; the subject DN goes straight into the store, the public
 * key is copied there once the certificate is complete. */
struct anchors_ctx {
	struct pki_anchors *a;
	br_x509_decoder_context xd;
	size_t dn_start;
	int overflow;
};

static void *store_take(unsigned char *store, size_t *used, size_t len, int *overflow)
{
	void *p;

	if (len > PKI_STORE_MAX - *used) {
		*overflow = 1;
		return NULL;
	}
	p = store + *used;
	*used += len;
	return p;
}

static void anchors_dn(void *ctx, const void *buf, size_t len)
{
	struct anchors_ctx *c = ctx;
	void *p = store_take(c->a->store, &c->a->used, len, &c->overflow);

	if (p)
		memcpy(p, buf, len);
}

static int anchors_take(void *ctx, const char *name, char *why, size_t whylen)
{
	struct anchors_ctx *c = ctx;

	if (!is_cert(name))
		return 0;
	if (c->a->n == PKI_ANCHORS_MAX) {
		snprintf(why, whylen, "more than %d certificates", PKI_ANCHORS_MAX);
		return -1;
	}
	c->dn_start = c->a->used;
	br_x509_decoder_init(&c->xd, anchors_dn, c);
	return 1;
}

static void anchors_data(void *ctx, const void *buf, size_t len)
{
	struct anchors_ctx *c = ctx;

	br_x509_decoder_push(&c->xd, buf, len);
}

static unsigned char *store_copy(struct anchors_ctx *c, const unsigned char *src, size_t len)
{
	unsigned char *p = store_take(c->a->store, &c->a->used, len, &c->overflow);

	if (p)
		memcpy(p, src, len);
	return p;
}

static int anchors_done(void *ctx, char *why, size_t whylen)
{
	struct anchors_ctx *c = ctx;
	struct pki_anchors *a = c->a;
	br_x509_trust_anchor *ta = &a->ta[a->n];
	const br_x509_pkey *pk;
	int err = br_x509_decoder_last_error(&c->xd);

	if (err) {
		snprintf(why, whylen, "certificate %zu: not a valid X.509 certificate (BearSSL error %d)",
			 a->n + 1, err);
		return -1;
	}
	pk = br_x509_decoder_get_pkey(&c->xd);
	memset(ta, 0, sizeof *ta);
	ta->dn.data = a->store + c->dn_start;
	ta->dn.len = a->used - c->dn_start;
	ta->flags = BR_X509_TA_CA;
	ta->pkey.key_type = pk->key_type;
	if (pk->key_type == BR_KEYTYPE_EC) {
		ta->pkey.key.ec.curve = pk->key.ec.curve;
		ta->pkey.key.ec.qlen = pk->key.ec.qlen;
		ta->pkey.key.ec.q = store_copy(c, pk->key.ec.q, pk->key.ec.qlen);
	} else if (pk->key_type == BR_KEYTYPE_RSA) {
		ta->pkey.key.rsa.nlen = pk->key.rsa.nlen;
		ta->pkey.key.rsa.n = store_copy(c, pk->key.rsa.n, pk->key.rsa.nlen);
		ta->pkey.key.rsa.elen = pk->key.rsa.elen;
		ta->pkey.key.rsa.e = store_copy(c, pk->key.rsa.e, pk->key.rsa.elen);
	} else {
		snprintf(why, whylen, "certificate %zu: unsupported public key type", a->n + 1);
		return -1;
	}
	if (c->overflow) {
		snprintf(why, whylen, "certificates larger than %d bytes together", PKI_STORE_MAX);
		return -1;
	}
	a->n++;
	return 0;
}

int pki_load_anchors(const char *path, struct pki_anchors *a, char *why, size_t whylen)
{
	struct anchors_ctx c = { .a = a };
	struct pem_sink s = { &c, anchors_take, anchors_data, anchors_done };

	a->n = 0;
	a->used = 0;
	if (pem_walk(path, &s, why, whylen) < 0)
		return -1;
	if (a->n == 0) {
		snprintf(why, whylen, "%s: no CERTIFICATE in it", path);
		return -1;
	}
	return 0;
}

/* A chain is kept as DER; each certificate also goes through the X.509
 * decoder so that a broken one is named now, not in a handshake later. */
struct chain_ctx {
	struct pki_chain *c;
	br_x509_decoder_context xd;
	size_t start;
	int overflow;
};

static int chain_take(void *ctx, const char *name, char *why, size_t whylen)
{
	struct chain_ctx *c = ctx;

	if (!is_cert(name))
		return 0;
	if (c->c->n == PKI_CHAIN_MAX) {
		snprintf(why, whylen, "more than %d certificates", PKI_CHAIN_MAX);
		return -1;
	}
	c->start = c->c->used;
	br_x509_decoder_init(&c->xd, NULL, NULL);
	return 1;
}

static void chain_data(void *ctx, const void *buf, size_t len)
{
	struct chain_ctx *c = ctx;
	void *p = store_take(c->c->store, &c->c->used, len, &c->overflow);

	if (p)
		memcpy(p, buf, len);
	br_x509_decoder_push(&c->xd, buf, len);
}

static int chain_done(void *ctx, char *why, size_t whylen)
{
	struct chain_ctx *c = ctx;
	struct pki_chain *ch = c->c;
	int err = br_x509_decoder_last_error(&c->xd);

	if (c->overflow) {
		snprintf(why, whylen, "certificates larger than %d bytes together", PKI_STORE_MAX);
		return -1;
	}
	if (err) {
		snprintf(why, whylen, "certificate %zu: not a valid X.509 certificate (BearSSL error %d)",
			 ch->n + 1, err);
		return -1;
	}
	ch->cert[ch->n].data = ch->store + c->start;
	ch->cert[ch->n].data_len = ch->used - c->start;
	ch->n++;
	return 0;
}

int pki_load_chain(const char *path, struct pki_chain *c, char *why, size_t whylen)
{
	struct chain_ctx cc = { .c = c };
	struct pem_sink s = { &cc, chain_take, chain_data, chain_done };

	c->n = 0;
	c->used = 0;
	if (pem_walk(path, &s, why, whylen) < 0)
		return -1;
	if (c->n == 0) {
		snprintf(why, whylen, "%s: no CERTIFICATE in it", path);
		return -1;
	}
	return 0;
}

struct key_ctx {
	struct pki_key *k;
	br_skey_decoder_context kd;
	int found;
};

static int key_take(void *ctx, const char *name, char *why, size_t whylen)
{
	struct key_ctx *c = ctx;

	if (strcmp(name, "RSA PRIVATE KEY") == 0) {
		snprintf(why, whylen, "RSA key: only EC keys are supported");
		return -1;
	}
	if (strcmp(name, "ENCRYPTED PRIVATE KEY") == 0) {
		snprintf(why, whylen, "encrypted key: only unencrypted keys are supported");
		return -1;
	}
	if (strcmp(name, "EC PRIVATE KEY") != 0 && strcmp(name, "PRIVATE KEY") != 0)
		return 0;
	if (c->found) {
		snprintf(why, whylen, "more than one private key");
		return -1;
	}
	br_skey_decoder_init(&c->kd);
	return 1;
}

static void key_data(void *ctx, const void *buf, size_t len)
{
	struct key_ctx *c = ctx;

	br_skey_decoder_push(&c->kd, buf, len);
}

static int key_done(void *ctx, char *why, size_t whylen)
{
	struct key_ctx *c = ctx;
	const br_ec_private_key *ec;
	int err = br_skey_decoder_last_error(&c->kd);

	if (err) {
		snprintf(why, whylen, "not a valid private key (BearSSL error %d)", err);
		return -1;
	}
	if (br_skey_decoder_key_type(&c->kd) == BR_KEYTYPE_RSA) {
		snprintf(why, whylen, "RSA key: only EC keys are supported");
		return -1;
	}
	ec = br_skey_decoder_get_ec(&c->kd);
	if (!ec || ec->xlen > sizeof c->k->x) {
		snprintf(why, whylen, "unsupported private key");
		return -1;
	}
	memcpy(c->k->x, ec->x, ec->xlen);
	c->k->ec.curve = ec->curve;
	c->k->ec.x = c->k->x;
	c->k->ec.xlen = ec->xlen;
	c->found = 1;
	return 0;
}

int pki_load_key(const char *path, struct pki_key *k, char *why, size_t whylen)
{
	struct key_ctx c = { .k = k };
	struct pem_sink s = { &c, key_take, key_data, key_done };
	int rc = pem_walk(path, &s, why, whylen);

	explicit_bzero(&c.kd, sizeof c.kd);
	if (rc == 0 && !c.found) {
		snprintf(why, whylen, "%s: no EC PRIVATE KEY or PRIVATE KEY in it", path);
		rc = -1;
	}
	if (rc < 0)
		explicit_bzero(k, sizeof *k);
	return rc;
}
