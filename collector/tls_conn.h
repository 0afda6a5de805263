#ifndef STELE_COLLECTOR_TLS_CONN_H
#define STELE_COLLECTOR_TLS_CONN_H

#include <stddef.h>
#include <sys/types.h>

#include <bearssl.h>

#include "pki.h"

/* The server side of one agent's TLS connection (DESIGN §6): TLS 1.2
 * only, ECDHE-ECDSA with AEAD suites, the collector's chain and key, and a
 * client certificate required and verified against the client CA. The
 * engine never touches the socket: tls_conn_send() and tls_conn_recv()
 * move the bytes, so the caller's poll loop decides when. */

#define TLS_RAW_MAX 32768	/* socket bytes read at once, then fed in */

/* Shared by every connection, read-only, owned by the caller. */
struct tls_config {
	const struct pki_anchors *ca;
	const struct pki_chain *chain;
	const struct pki_key *key;
};

/* What the client certificate names: its first DNS SAN and its CN,
 * each valid when its status is 1 (BearSSL's br_name_element). */
#define TLS_NAME_MAX 256
enum { TLS_NAME_SAN, TLS_NAME_CN, TLS_NAMES };

struct tls_conn {
	br_ssl_server_context sc;
	br_x509_minimal_context xc;
	br_name_element name[TLS_NAMES];
	char name_buf[TLS_NAMES][TLS_NAME_MAX];
	size_t raw_off, raw_len;
	unsigned char raw[TLS_RAW_MAX];
	unsigned char iobuf[BR_SSL_BUFSIZE_BIDI];
};

/* Ready for a new handshake. 0, or -1 if BearSSL refuses the setup. */
int tls_conn_init(struct tls_conn *t, const struct tls_config *cfg);

/* Writes the records the engine has ready. Returns the bytes written, 0
 * if nothing could be (nothing ready, or EAGAIN), -1 on a socket error. */
ssize_t tls_conn_send(struct tls_conn *t, int fd);

/* Feeds the engine what was read and not yet taken, reading the socket
 * when nothing is left (one read of up to TLS_RAW_MAX). Returns the bytes
 * fed, 0 if the socket has nothing now, -1 at end of stream (errno 0) or
 * on a socket error (errno set). */
ssize_t tls_conn_recv(struct tls_conn *t, int fd);

/* Bytes read from the socket that the engine has not taken yet. */
static inline size_t tls_conn_pending(const struct tls_conn *t)
{
	return t->raw_len - t->raw_off;
}

/* Queues application data and flushes it into a record. Returns 0, or -1
 * if the engine has no room now (try again after sending). */
int tls_conn_write(struct tls_conn *t, const void *p, size_t n);

/* The client certificate's DNS SAN, else its CN; NULL if it has neither
 * (or before the handshake checked it). */
const char *tls_conn_peer_name(const struct tls_conn *t);

/* After the engine refused the client's certificate (err): the fatal alert
 * that says why (unknown_ca, certificate_expired, bad_certificate,
 * handshake_failure), written to fd as a plaintext record, since the
 * server's side of the handshake is not encrypted yet, and BearSSL itself
 * closes without one. Best effort: one non-blocking send. */
void tls_conn_alert_refusal(int fd, int err);

/* "TLS error N (what it means)" for br_ssl_engine_last_error(). */
const char *tls_conn_error(int err, char *buf, size_t len);

#endif
