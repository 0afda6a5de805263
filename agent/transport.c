#include "transport.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS 10000		/* TCP connect and TLS handshake together */
#define BACKOFF_FIRST_MS 1000
#define BACKOFF_MAX_MS 60000
#define USER_TIMEOUT_MS 60000		/* sent data unacknowledged by TCP: dead peer */
#define DAYS_0AD_TO_1970 719528u	/* BearSSL counts days from 1 Jan 0 AD */

enum { ST_WAIT, ST_CONNECTING, ST_HANDSHAKE, ST_UP, ST_CLOSED };

/* Only AEAD suites with forward secrecy; BearSSL's client profile "full"
 * offers CBC and static RSA/ECDH too. */
static const uint16_t suites[] = {
	BR_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
	BR_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
	BR_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	BR_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
};

static const struct {
	int err;
	const char *name, *text;
} br_errors[] = {
#define E(code, text) { code, #code, text }
	E(BR_ERR_X509_NOT_TRUSTED, "bad certificate: not signed by the CA"),
	E(BR_ERR_X509_EXPIRED, "bad certificate: expired or not yet valid"),
	E(BR_ERR_X509_BAD_SERVER_NAME, "bad certificate: does not name the collector"),
	E(BR_ERR_X509_NOT_CA, "bad certificate: issuer is not a CA"),
	E(BR_ERR_X509_BAD_SIGNATURE, "bad certificate: bad signature"),
	E(BR_ERR_X509_FORBIDDEN_KEY_USAGE, "bad certificate: key usage forbids this use"),
	E(BR_ERR_X509_WEAK_PUBLIC_KEY, "bad certificate: weak public key"),
	E(BR_ERR_X509_CRITICAL_EXTENSION, "bad certificate: unknown critical extension"),
	E(BR_ERR_X509_EMPTY_CHAIN, "bad certificate: none sent"),
	E(BR_ERR_X509_TIME_UNKNOWN, "bad certificate: validation time unknown"),
	E(BR_ERR_X509_UNSUPPORTED, "bad certificate: unsupported algorithm"),
	E(BR_ERR_X509_WRONG_KEY_TYPE, "bad certificate: wrong key type"),
	E(BR_ERR_X509_LIMIT_EXCEEDED, "bad certificate: chain too long"),
	E(BR_ERR_UNSUPPORTED_VERSION, "collector does not speak TLS 1.2"),
	E(BR_ERR_BAD_VERSION, "wrong TLS version in a record"),
	E(BR_ERR_BAD_CIPHER_SUITE, "collector chose a cipher suite not offered"),
	E(BR_ERR_BAD_SIGNATURE, "bad signature on the key exchange"),
	E(BR_ERR_WRONG_KEY_USAGE, "certificate key usage does not allow the key exchange"),
	E(BR_ERR_NO_CLIENT_AUTH, "client authentication failed"),
	E(BR_ERR_INVALID_ALGORITHM, "collector asked for an unsupported signature algorithm"),
	E(BR_ERR_BAD_MAC, "bad record MAC"),
	E(BR_ERR_BAD_HANDSHAKE, "malformed handshake message"),
	E(BR_ERR_UNEXPECTED, "unexpected message"),
	E(BR_ERR_BAD_FINISHED, "bad Finished message"),
	E(BR_ERR_NO_RANDOM, "no entropy for the PRNG"),
	E(BR_ERR_TOO_LARGE, "record too large"),
#undef E
};

static const struct {
	int n;
	const char *name;
} alerts[] = {
	{ 10, "unexpected_message" }, { 20, "bad_record_mac" }, { 40, "handshake_failure" },
	{ 42, "bad_certificate" }, { 43, "unsupported_certificate" },
	{ 44, "certificate_revoked" }, { 45, "certificate_expired" },
	{ 46, "certificate_unknown" }, { 47, "illegal_parameter" }, { 48, "unknown_ca" },
	{ 49, "access_denied" }, { 50, "decode_error" }, { 51, "decrypt_error" },
	{ 70, "protocol_version" }, { 71, "insufficient_security" }, { 80, "internal_error" },
	{ 112, "unrecognized_name" },
};

static const char *alert_name(int n)
{
	for (size_t i = 0; i < sizeof alerts / sizeof alerts[0]; i++)
		if (alerts[i].n == n)
			return alerts[i].name;
	return "alert";
}

/* What the collector means by the alerts it sends to refuse a client
 * certificate. */
static const char *refusal(int alert)
{
	switch (alert) {
	case 40: return ": it got no client certificate from this agent";
	case 42: return ": it refused this agent's certificate";
	case 45: return ": this agent's certificate has expired or is not yet valid";
	case 48: return ": this agent's certificate is not signed by its client CA";
	default: return "";
	}
}

/* "what went wrong (BR_ERR_NAME)" for one of BearSSL's error codes. */
static void br_describe(char *out, size_t cap, int err)
{
	if (err >= BR_ERR_SEND_FATAL_ALERT) {
		snprintf(out, cap, "sent alert %s (BR_ERR_SEND_FATAL_ALERT+%d)",
			 alert_name(err - BR_ERR_SEND_FATAL_ALERT), err - BR_ERR_SEND_FATAL_ALERT);
		return;
	}
	if (err >= BR_ERR_RECV_FATAL_ALERT) {
		int a = err - BR_ERR_RECV_FATAL_ALERT;

		snprintf(out, cap, "collector sent alert %s%s (BR_ERR_RECV_FATAL_ALERT+%d)",
			 alert_name(a), refusal(a), a);
		return;
	}
	for (size_t i = 0; i < sizeof br_errors / sizeof br_errors[0]; i++) {
		if (br_errors[i].err == err) {
			snprintf(out, cap, "%s (%s)", br_errors[i].text, br_errors[i].name);
			return;
		}
	}
	if (err >= BR_ERR_X509_OK && err < BR_ERR_RECV_FATAL_ALERT)
		snprintf(out, cap, "bad certificate: malformed (BearSSL X.509 error %d)", err);
	else
		snprintf(out, cap, "BearSSL error %d", err);
}

static const struct host_port *addr(const struct transport *t)
{
	return &t->conf->collector[t->current];
}

static uint32_t random32(uint64_t now)
{
	uint32_t r;

	if (getrandom(&r, sizeof r, GRND_NONBLOCK) != (ssize_t)sizeof r)
		r = (uint32_t)(now * 2654435761u);
	return r;
}

/* 1 s, doubling to 60 s, each within +-25%. */
static uint64_t backoff_ms(unsigned failures, uint64_t now)
{
	uint64_t d = failures >= 6 ? BACKOFF_MAX_MS : (uint64_t)BACKOFF_FIRST_MS << failures;

	if (d > BACKOFF_MAX_MS)
		d = BACKOFF_MAX_MS;
	return d - d / 4 + random32(now) % (d / 2 + 1);
}

/* The one log line of a failure, then closed, and the next collector
 * after a backoff: this boot's first again if this connection had come
 * up. */
static void fail(struct transport *t, uint64_t now, const char *fmt, ...)
{
	const struct host_port *a = addr(t);
	int was_up = t->state == ST_UP;
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "collector %s:%u: %s\n", a->host, a->port, msg);

	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	t->item = NULL;
	t->in_len = 0;
	t->state = ST_WAIT;
	t->current = was_up ? t->first : (t->current + 1) % t->conf->n_collectors;
	t->retry_at_ms = now + backoff_ms(t->failures, now);
	if (t->failures < 16)
		t->failures++;
	t->reconnects++;
	if (was_up && t->ops.disconnected)
		t->ops.disconnected(t->ops.ctx);
}

static void handshake_start(struct transport *t, uint64_t now)
{
	uint64_t s = (uint64_t)time(NULL);
	unsigned char seed[32];
	char why[160];

	if (s < t->time_floor_s)
		s = t->time_floor_s;
	br_x509_minimal_set_time(&t->xc, (uint32_t)(s / 86400 + DAYS_0AD_TO_1970),
				 (uint32_t)(s % 86400));
	if (getrandom(seed, sizeof seed, GRND_NONBLOCK) == (ssize_t)sizeof seed)
		br_ssl_engine_inject_entropy(&t->sc.eng, seed, sizeof seed);
	t->state = ST_HANDSHAKE;
	if (!br_ssl_client_reset(&t->sc, addr(t)->name, 0)) {
		br_describe(why, sizeof why, br_ssl_engine_last_error(&t->sc.eng));
		fail(t, now, "TLS handshake failed: %s", why);
	}
}

static void handshake_done(struct transport *t)
{
	char label[CONF_HOST_MAX + 8];

	t->state = ST_UP;
	snprintf(label, sizeof label, "%s:%u", addr(t)->host, addr(t)->port);
	if (t->ops.connected)
		t->ops.connected(t->ops.ctx, label);
}

/* One {"ack": N} at p[len]: returns its length, 0 if incomplete, -1 if
 * it is not that shape. Any unsigned encoding of N is accepted. */
static int ack_decode(const unsigned char *p, size_t len, uint64_t *seq)
{
	static const unsigned char head[] = { 0xa1, 0x63, 'a', 'c', 'k' };
	size_t n = len < sizeof head ? len : sizeof head, size;
	unsigned ai;

	if (memcmp(p, head, n) != 0)
		return -1;
	if (len <= sizeof head)
		return 0;
	ai = p[5] & 0x1f;
	if (p[5] >> 5 != 0 || ai > 27)
		return -1;
	size = ai < 24 ? 0 : (size_t)1 << (ai - 24);
	if (len < 6 + size)
		return 0;
	*seq = ai < 24 ? ai : 0;
	for (size_t i = 0; i < size; i++)
		*seq = *seq << 8 | p[6 + i];
	return (int)(6 + size);
}

static int read_acks(struct transport *t, uint64_t now)
{
	br_ssl_engine_context *eng = &t->sc.eng;
	size_t len, n;
	unsigned char *buf = br_ssl_engine_recvapp_buf(eng, &len);
	uint64_t seq;
	int used;

	n = len < sizeof t->in - t->in_len ? len : sizeof t->in - t->in_len;
	memcpy(t->in + t->in_len, buf, n);
	t->in_len += n;
	br_ssl_engine_recvapp_ack(eng, n);
	while (t->in_len && (used = ack_decode(t->in, t->in_len, &seq)) != 0) {
		if (used < 0) {
			char hex[3 * 8 + 1] = "";

			for (size_t i = 0; i < t->in_len && i < 8; i++)
				snprintf(hex + 3 * i, sizeof hex - 3 * i, " %02x", t->in[i]);
			fail(t, now, "protocol error: expected {\"ack\": N}, got%s", hex);
			return -1;
		}
		t->failures = 0;	/* acknowledged data: this collector works */
		if (t->ops.acked)
			t->ops.acked(t->ops.ctx, seq);
		t->in_len -= (size_t)used;
		memmove(t->in, t->in + used, t->in_len);
	}
	return 0;
}

/* Copies the next piece of application data into the engine. Returns 1 if
 * something moved (data, or a record made by the flush), 0 if not. */
static int feed(struct transport *t)
{
	br_ssl_engine_context *eng = &t->sc.eng;
	unsigned char *buf;
	size_t room, n;

	if (!t->item) {
		t->item_off = 0;
		t->item_len = t->ops.next_item ? t->ops.next_item(t->ops.ctx, &t->item) : 0;
		if (t->item_len == 0) {
			t->item = NULL;
			br_ssl_engine_flush(eng, 0);
			return (br_ssl_engine_current_state(eng) & BR_SSL_SENDREC) != 0;
		}
	}
	buf = br_ssl_engine_sendapp_buf(eng, &room);
	n = t->item_len - t->item_off < room ? t->item_len - t->item_off : room;
	memcpy(buf, t->item + t->item_off, n);
	br_ssl_engine_sendapp_ack(eng, n);
	t->item_off += n;
	if (t->item_off == t->item_len) {
		t->item = NULL;
		if (t->ops.sent)
			t->ops.sent(t->ops.ctx);
	}
	return 1;
}

/* Socket errors in the handshake are handshake failures: a collector
 * that refuses the agent's certificate may just close the connection. */
static const char *during(const struct transport *t)
{
	return t->state == ST_HANDSHAKE ? "TLS handshake failed: " : "";
}

static void engine_closed(struct transport *t, uint64_t now)
{
	int err = br_ssl_engine_last_error(&t->sc.eng);
	char why[160];

	if (err == BR_ERR_OK) {
		fail(t, now, "%sclosed by peer", during(t));
		return;
	}
	br_describe(why, sizeof why, err);
	if (err == BR_ERR_X509_BAD_SERVER_NAME)
		snprintf(why, sizeof why, "bad certificate: does not name '%.80s' "
			 "(BR_ERR_X509_BAD_SERVER_NAME)", addr(t)->name);
	fail(t, now, t->state == ST_UP ? "TLS error: %s" : "TLS handshake failed: %s", why);
}

/* Moves bytes between socket and engine, and between engine and agent,
 * until neither side can move more without waiting. */
static void pump(struct transport *t, uint64_t now)
{
	br_ssl_engine_context *eng = &t->sc.eng;

	for (;;) {
		unsigned st = br_ssl_engine_current_state(eng);
		unsigned char *buf;
		size_t len;
		ssize_t n;

		if (st & BR_SSL_CLOSED) {
			engine_closed(t, now);
			return;
		}
		if (t->state == ST_HANDSHAKE && (st & (BR_SSL_SENDAPP | BR_SSL_RECVAPP)))
			handshake_done(t);
		if (st & BR_SSL_RECVAPP) {
			if (read_acks(t, now))
				return;
			continue;
		}
		if (st & BR_SSL_SENDREC) {
			buf = br_ssl_engine_sendrec_buf(eng, &len);
			n = send(t->fd, buf, len, MSG_NOSIGNAL);
			if (n > 0) {
				br_ssl_engine_sendrec_ack(eng, (size_t)n);
				t->bytes_sent += (uint64_t)n;
				continue;
			}
			if (errno != EAGAIN && errno != EINTR) {
				fail(t, now, "%ssend: %s", during(t), strerror(errno));
				return;
			}
		} else if (t->state == ST_UP && (st & BR_SSL_SENDAPP) && feed(t)) {
			continue;
		}
		if (st & BR_SSL_RECVREC) {
			buf = br_ssl_engine_recvrec_buf(eng, &len);
			n = recv(t->fd, buf, len, 0);
			if (n > 0) {
				br_ssl_engine_recvrec_ack(eng, (size_t)n);
				continue;
			}
			if (n == 0) {
				fail(t, now, "%sclosed by peer", during(t));
				return;
			}
			if (errno != EAGAIN && errno != EINTR) {
				fail(t, now, "%srecv: %s", during(t), strerror(errno));
				return;
			}
		}
		return;
	}
}

static void sockopt(int fd, int level, int name, int value)
{
	(void)setsockopt(fd, level, name, &value, sizeof value);
}

/* A DNS name is resolved with getaddrinfo, which blocks the agent's loop
 * for as long as the resolver takes (musl: up to timeout x attempts of
 * resolv.conf, 5 s x 2 by default); give IPv4 literals where that matters. */
static void connect_start(struct transport *t, uint64_t now)
{
	const struct host_port *a = addr(t);
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(a->port) };

	if (inet_pton(AF_INET, a->host, &sa.sin_addr) != 1) {
		struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM }, *res;
		int e = getaddrinfo(a->host, NULL, &hints, &res);

		if (e) {
			fail(t, now, "resolve: %s", e == EAI_SYSTEM ? strerror(errno) : gai_strerror(e));
			return;
		}
		memcpy(&sa.sin_addr, &((const struct sockaddr_in *)(const void *)res->ai_addr)->sin_addr,
		       sizeof sa.sin_addr);
		freeaddrinfo(res);
	}
	t->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (t->fd < 0) {
		fail(t, now, "socket: %s", strerror(errno));
		return;
	}
	sockopt(t->fd, IPPROTO_TCP, TCP_NODELAY, 1);
	sockopt(t->fd, IPPROTO_TCP, TCP_USER_TIMEOUT, USER_TIMEOUT_MS);
	sockopt(t->fd, SOL_SOCKET, SO_KEEPALIVE, 1);
	sockopt(t->fd, IPPROTO_TCP, TCP_KEEPIDLE, 30);
	sockopt(t->fd, IPPROTO_TCP, TCP_KEEPINTVL, 10);
	sockopt(t->fd, IPPROTO_TCP, TCP_KEEPCNT, 3);
	t->deadline_ms = now + TIMEOUT_MS;
	t->state = ST_CONNECTING;
	if (connect(t->fd, (const struct sockaddr *)&sa, sizeof sa) == 0) {
		handshake_start(t, now);
		if (t->state == ST_HANDSHAKE)
			pump(t, now);
	} else if (errno != EINPROGRESS) {
		fail(t, now, "connect: %s", strerror(errno));
	}
}

int transport_init(struct transport *t, const struct agent_conf *conf,
		   const struct transport_ops *ops, uint64_t time_floor_s, char *why, size_t whylen)
{
	unsigned char seed[32];

	memset(t, 0, sizeof *t);
	t->conf = conf;
	t->ops = *ops;
	t->fd = -1;
	t->state = ST_WAIT;
	t->time_floor_s = time_floor_s;
	if (conf->n_collectors == 0) {
		snprintf(why, whylen, "no collector: give collector = in agent.conf "
			 "or stele.collector= on the kernel command line");
		return -1;
	}
	if (pki_load_anchors(conf->ca, &t->ca, why, whylen) ||
	    pki_load_chain(conf->cert, &t->chain, why, whylen) ||
	    pki_load_key(conf->key, &t->key, why, whylen))
		return -1;
	/* Setup may block: the PRNG gets its seed from the kernel once, here. */
	if (getrandom(seed, sizeof seed, 0) != (ssize_t)sizeof seed) {
		snprintf(why, whylen, "getrandom: %s", strerror(errno));
		return -1;
	}
	br_ssl_client_init_full(&t->sc, &t->xc, t->ca.ta, t->ca.n);
	br_ssl_engine_set_versions(&t->sc.eng, BR_TLS12, BR_TLS12);
	br_ssl_engine_set_suites(&t->sc.eng, suites, sizeof suites / sizeof suites[0]);
	br_ssl_client_set_single_ec(&t->sc, t->chain.cert, t->chain.n, &t->key.ec,
				    BR_KEYTYPE_SIGN, BR_KEYTYPE_EC, br_ec_get_default(),
				    br_ecdsa_sign_asn1_get_default());
	br_ssl_engine_set_buffer(&t->sc.eng, t->iobuf, sizeof t->iobuf, 1);
	br_ssl_engine_inject_entropy(&t->sc.eng, seed, sizeof seed);
	return 0;
}

void transport_start_at(struct transport *t, size_t first)
{
	t->first = t->current = first < t->conf->n_collectors ? first : 0;
}

int transport_poll(struct transport *t, struct pollfd *pfd, uint64_t now, uint64_t *next_ms)
{
	unsigned st;

	(void)now;
	pfd->fd = -1;
	pfd->events = 0;
	switch (t->state) {
	case ST_WAIT:
		if (t->retry_at_ms < *next_ms)
			*next_ms = t->retry_at_ms;
		return 0;
	case ST_CONNECTING:
		pfd->events = POLLOUT;
		break;
	case ST_HANDSHAKE:
	case ST_UP:
		st = br_ssl_engine_current_state(&t->sc.eng);
		pfd->events = (short)((st & BR_SSL_SENDREC ? POLLOUT : 0) |
				      (st & BR_SSL_RECVREC ? POLLIN : 0));
		break;
	default:
		return 0;
	}
	pfd->fd = t->fd;
	if (t->state != ST_UP && t->deadline_ms < *next_ms)
		*next_ms = t->deadline_ms;
	return 1;
}

void transport_step(struct transport *t, short revents, uint64_t now)
{
	int err = 0;
	socklen_t len = sizeof err;

	switch (t->state) {
	case ST_WAIT:
		if (now >= t->retry_at_ms)
			connect_start(t, now);
		break;
	case ST_CONNECTING:
		if (revents & (POLLOUT | POLLERR | POLLHUP)) {
			if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
				err = errno;
			if (err) {
				fail(t, now, "connect: %s", strerror(err));
				break;
			}
			handshake_start(t, now);
			if (t->state == ST_HANDSHAKE)
				pump(t, now);
		} else if (now >= t->deadline_ms) {
			fail(t, now, "connect: timed out after %d s", TIMEOUT_MS / 1000);
		}
		break;
	case ST_HANDSHAKE:
		pump(t, now);
		if (t->state == ST_HANDSHAKE && now >= t->deadline_ms)
			fail(t, now, "TLS handshake failed: timed out after %d s", TIMEOUT_MS / 1000);
		break;
	case ST_UP:
		pump(t, now);
		break;
	}
}

/* Never blocks: close_notify goes if the socket takes it now. */
void transport_close(struct transport *t)
{
	br_ssl_engine_context *eng = &t->sc.eng;
	int was_up = t->state == ST_UP;

	if (was_up) {
		br_ssl_engine_close(eng);
		while (br_ssl_engine_current_state(eng) & BR_SSL_SENDREC) {
			size_t len;
			unsigned char *buf = br_ssl_engine_sendrec_buf(eng, &len);
			ssize_t n = send(t->fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);

			if (n <= 0)
				break;
			br_ssl_engine_sendrec_ack(eng, (size_t)n);
			t->bytes_sent += (uint64_t)n;
		}
	}
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
	t->item = NULL;
	t->state = ST_CLOSED;
	if (was_up && t->ops.disconnected)
		t->ops.disconnected(t->ops.ctx);
}

int transport_connected(const struct transport *t)
{
	return t->state == ST_UP;
}
