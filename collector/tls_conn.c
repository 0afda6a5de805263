#include "tls_conn.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int tls_conn_init(struct tls_conn *t, const struct tls_config *cfg)
{
	static const uint16_t suites[] = {
		BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
		BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
		BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	};
	static const unsigned char cn_oid[] = { 3, 0x55, 0x04, 0x03 };
	static const unsigned char san_dns[] = { 0, 2 };	/* GeneralName dNSName */
	static const unsigned char *const oids[TLS_NAMES] = { san_dns, cn_oid };
	br_ssl_engine_context *eng = &t->sc.eng;

	/* Issuer key type: only static ECDH suites care, and they are off. */
	br_ssl_server_init_full_ec(&t->sc, cfg->chain->cert, cfg->chain->n, BR_KEYTYPE_EC,
				   &cfg->key->ec);
	br_ssl_engine_set_versions(eng, BR_TLS12, BR_TLS12);
	br_ssl_engine_set_suites(eng, suites, sizeof suites / sizeof suites[0]);
	/* The client's CertificateVerify: full_ec does not set these. */
	br_ssl_engine_set_default_ecdsa(eng);
	br_ssl_engine_set_default_rsavrfy(eng);
	br_ssl_engine_add_flags(eng, BR_OPT_NO_RENEGOTIATION);

	br_x509_minimal_init_full(&t->xc, cfg->ca->ta, cfg->ca->n);
	for (int i = 0; i < TLS_NAMES; i++) {
		t->name[i] = (br_name_element){ .oid = oids[i], .buf = t->name_buf[i],
						.len = sizeof t->name_buf[i] };
		t->name_buf[i][0] = '\0';
	}
	br_x509_minimal_set_name_elements(&t->xc, t->name, TLS_NAMES);
	br_ssl_engine_set_x509(eng, &t->xc.vtable);
	/* Asking for a client certificate makes it required: no
	 * BR_OPT_TOLERATE_NO_CLIENT_AUTH. */
	br_ssl_server_set_trust_anchor_names_alt(&t->sc, cfg->ca->ta, cfg->ca->n);

	br_ssl_engine_set_buffer(eng, t->iobuf, sizeof t->iobuf, 1);
	t->raw_off = t->raw_len = 0;
	return br_ssl_server_reset(&t->sc) ? 0 : -1;
}

ssize_t tls_conn_send(struct tls_conn *t, int fd)
{
	size_t len;
	unsigned char *buf = br_ssl_engine_sendrec_buf(&t->sc.eng, &len);
	ssize_t n;

	if (!buf || len == 0)
		return 0;
	do
		n = send(fd, buf, len, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
	br_ssl_engine_sendrec_ack(&t->sc.eng, (size_t)n);
	return n;
}

ssize_t tls_conn_recv(struct tls_conn *t, int fd)
{
	size_t len, n;
	unsigned char *buf = br_ssl_engine_recvrec_buf(&t->sc.eng, &len);

	if (!buf || len == 0)
		return 0;
	if (t->raw_off == t->raw_len) {
		ssize_t r;

		do
			r = read(fd, t->raw, sizeof t->raw);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
		if (r == 0) {
			errno = 0;
			return -1;
		}
		t->raw_off = 0;
		t->raw_len = (size_t)r;
	}
	n = t->raw_len - t->raw_off;
	if (n > len)
		n = len;
	memcpy(buf, t->raw + t->raw_off, n);
	t->raw_off += n;
	br_ssl_engine_recvrec_ack(&t->sc.eng, n);
	return (ssize_t)n;
}

int tls_conn_write(struct tls_conn *t, const void *p, size_t n)
{
	size_t len;
	unsigned char *buf;

	if (!(br_ssl_engine_current_state(&t->sc.eng) & BR_SSL_SENDAPP))
		return -1;
	buf = br_ssl_engine_sendapp_buf(&t->sc.eng, &len);
	if (!buf || len < n)
		return -1;
	memcpy(buf, p, n);
	br_ssl_engine_sendapp_ack(&t->sc.eng, n);
	br_ssl_engine_flush(&t->sc.eng, 0);
	return 0;
}

const char *tls_conn_peer_name(const struct tls_conn *t)
{
	for (int i = 0; i < TLS_NAMES; i++)
		if (t->name[i].status == 1 && t->name_buf[i][0])
			return t->name_buf[i];
	return NULL;
}

static int refusal_alert(int err)
{
	switch (err) {
	case BR_ERR_X509_NOT_TRUSTED: return 48;	/* unknown_ca */
	case BR_ERR_X509_EXPIRED: return 45;		/* certificate_expired */
	case BR_ERR_NO_CLIENT_AUTH:
	case BR_ERR_X509_EMPTY_CHAIN: return 40;	/* handshake_failure */
	default:
		return err > BR_ERR_X509_OK && err < 64 ? 42 : -1;	/* bad_certificate */
	}
}

void tls_conn_alert_refusal(int fd, int err)
{
	int alert = refusal_alert(err);
	/* ContentType alert, TLS 1.2, length 2, level fatal, description. */
	unsigned char rec[7] = { 21, 3, 3, 0, 2, 2, 0 };

	if (alert < 0)
		return;
	rec[6] = (unsigned char)alert;
	if (send(fd, rec, sizeof rec, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
		return;	/* the peer is gone: nobody to tell */
}

static const char *alert_name(int a)
{
	switch (a) {
	case 0: return "close notify";
	case 10: return "unexpected message";
	case 20: return "bad record MAC";
	case 40: return "handshake failure";
	case 42: return "bad certificate";
	case 43: return "unsupported certificate";
	case 44: return "certificate revoked";
	case 45: return "certificate expired";
	case 46: return "certificate unknown";
	case 47: return "illegal parameter";
	case 48: return "unknown CA";
	case 50: return "decode error";
	case 51: return "decrypt error";
	case 70: return "protocol version";
	case 71: return "insufficient security";
	case 80: return "internal error";
	case 116: return "certificate required";
	default: return "alert";
	}
}

const char *tls_conn_error(int err, char *buf, size_t len)
{
	const char *what;

	if (err >= BR_ERR_SEND_FATAL_ALERT) {
		snprintf(buf, len, "TLS error %d (sent alert: %s)", err,
			 alert_name(err - BR_ERR_SEND_FATAL_ALERT));
		return buf;
	}
	if (err >= BR_ERR_RECV_FATAL_ALERT) {
		snprintf(buf, len, "TLS error %d (peer sent alert: %s)", err,
			 alert_name(err - BR_ERR_RECV_FATAL_ALERT));
		return buf;
	}
	switch (err) {
	case BR_ERR_UNSUPPORTED_VERSION: what = "unsupported TLS version (TLS 1.2 only)"; break;
	case BR_ERR_BAD_VERSION: what = "bad TLS version"; break;
	case BR_ERR_BAD_MAC: what = "bad record MAC"; break;
	case BR_ERR_UNEXPECTED: what = "unexpected message"; break;
	case BR_ERR_BAD_HANDSHAKE: what = "bad handshake message"; break;
	case BR_ERR_BAD_CIPHER_SUITE: what = "no common cipher suite"; break;
	case BR_ERR_BAD_SIGNATURE: what = "bad signature"; break;
	case BR_ERR_WRONG_KEY_USAGE: what = "wrong key usage"; break;
	case BR_ERR_NO_CLIENT_AUTH: what = "no client certificate"; break;
	case BR_ERR_BAD_LENGTH: case BR_ERR_TOO_LARGE: case BR_ERR_BAD_FRAGLEN:
		what = "bad record (not TLS?)"; break;
	case BR_ERR_X509_EMPTY_CHAIN: what = "no client certificate"; break;
	case BR_ERR_X509_EXPIRED: what = "certificate expired or not yet valid"; break;
	case BR_ERR_X509_NOT_TRUSTED: what = "bad certificate: not signed by the client CA"; break;
	case BR_ERR_X509_BAD_SIGNATURE: what = "bad certificate: bad signature"; break;
	case BR_ERR_X509_NOT_CA: what = "bad certificate: issuer not a CA"; break;
	case BR_ERR_X509_FORBIDDEN_KEY_USAGE: what = "bad certificate: key usage"; break;
	case BR_ERR_X509_WEAK_PUBLIC_KEY: what = "bad certificate: weak key"; break;
	case BR_ERR_X509_CRITICAL_EXTENSION: what = "bad certificate: unknown critical extension"; break;
	default:
		what = err >= BR_ERR_X509_OK && err <= BR_ERR_X509_NOT_TRUSTED ? "bad certificate"
									   : "protocol error";
	}
	snprintf(buf, len, "TLS error %d (%s)", err, what);
	return buf;
}
