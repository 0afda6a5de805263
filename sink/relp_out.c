#include "relp_out.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <librelp.h>

#include "../collector/log.h"	/* not init/log.h */
#include "deadline.h"

/* TLS 1.2 with ECDHE and AEAD suites, as on stele's agent link (DESIGN
 * §6). Not 1.3: its handshake ends with the client's flight, so the RELP
 * "open" written right after it waits (Nagle; librelp sets no TCP_NODELAY
 * and has no way to) for the server's delayed ACK, about 40 ms, and that
 * is every session, so every sync. 1.2 ends with the server's Finished. */
#define PRIORITY "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+ECDHE-ECDSA:+ECDHE-RSA:" \
	"-CIPHER-ALL:+AES-256-GCM:+AES-128-GCM:+CHACHA20-POLY1305"

/* librelp's return codes, as words for the one line. */
static const char *relp_strerror(relpRetVal rc)
{
	static const struct {
		relpRetVal rc;
		const char *text;
	} t[] = {
		{ RELP_RET_OUT_OF_MEMORY, "out of memory" },
		{ RELP_RET_SESSION_BROKEN, "session broken" },
		{ RELP_RET_IO_ERR, "I/O error" },
		{ RELP_RET_TIMED_OUT, "timed out" },
		{ RELP_RET_RSP_STATE_ERR, "refused by the server (error response)" },
		{ RELP_RET_CMD_DISABLED, "server does not take syslog" },
		{ RELP_RET_RQD_FEAT_MISSING, "server does not take syslog" },
		{ RELP_RET_INCOMPAT_OFFERS, "incompatible RELP offers" },
		{ RELP_RET_ERR_TLS_SETUP, "TLS setup failed" },
		{ RELP_RET_ERR_TLS_HANDS, "TLS handshake failed" },
		{ RELP_RET_ERR_TLS, "TLS error" },
		{ RELP_RET_AUTH_ERR_FP, "server certificate refused (fingerprint)" },
		{ RELP_RET_AUTH_ERR_NAME, "server certificate does not name the peer" },
		{ RELP_RET_AUTH_NO_CERT, "server sent no certificate" },
		{ RELP_RET_AUTH_CERT_INVL, "server certificate invalid" },
		{ RELP_RET_INVALID_PORT, "invalid port" },
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i].rc == rc)
			return t[i].text;
	return "librelp error";
}

/* librelp's reports: the first since the last sync is kept for the line. */
static void note(struct relp_out *r, relpRetVal rc, const char *msg, const char *info)
{
	if (r->why[0] == '\0')
		snprintf(r->why, sizeof r->why, "%s: %s%s%s (librelp %d)", relp_strerror(rc),
			 msg ? msg : "", info && *info ? "; " : "", info && *info ? info : "", rc);
	r->failed = 1;
}

static void on_err(void *usr, char *objinfo, char *msg, relpRetVal rc)
{
	(void)objinfo;	/* "conn to srvr HOST:PORT": the line says where already */
	note(usr, rc, msg, NULL);
}

/* authinfo: the certificate's names, or its fingerprint. */
static void on_auth_err(void *usr, char *authinfo, char *msg, relpRetVal rc)
{
	struct relp_out *r = usr;
	char info[400];

	if (rc == RELP_RET_AUTH_ERR_NAME)
		snprintf(info, sizeof info, "wanted %.100s, certificate has %.250s", r->peer,
			 authinfo ? authinfo : "");
	else
		snprintf(info, sizeof info, "%s", authinfo ? authinfo : "");
	note(r, rc, msg, info);
}

static void drop(struct relp_out *r)
{
	if (r->clt)
		relpEngineCltDestruct(r->engine, &r->clt);
	r->clt = NULL;
}

/* The one line, then the session dropped: the next call starts afresh. */
static int fail(struct relp_out *r, const char *what, relpRetVal rc)
{
	if (r->why[0])
		log_msg("relp %s: %s: %s", r->where, what, r->why);
	else
		log_msg("relp %s: %s: %s (librelp %d)", r->where, what, relp_strerror(rc), rc);
	drop(r);
	r->why[0] = '\0';
	r->failed = 1;
	return -1;
}

/* "HOST:PORT" or "[V6]:PORT" into r->host and r->port. */
static int split(struct relp_out *r, const char *to)
{
	const char *colon = strrchr(to, ':'), *h = to;
	size_t hlen;
	char *end;
	long port;

	if (!colon)
		return -1;
	hlen = (size_t)(colon - to);
	if (to[0] == '[') {
		if (hlen < 3 || colon[-1] != ']')
			return -1;
		h++;
		hlen -= 2;
	} else if (memchr(to, ':', hlen)) {
		return -1;	/* a bare IPv6 address: which colon is the port's? */
	}
	port = strtol(colon + 1, &end, 10);
	if (hlen == 0 || hlen >= sizeof r->host || *end || colon[1] < '0' || colon[1] > '9' ||
	    port < 1 || port > 65535)
		return -1;
	memcpy(r->host, h, hlen);
	r->host[hlen] = '\0';
	snprintf(r->port, sizeof r->port, "%ld", port);
	return 0;
}

static void sigpipe_ignored(void)
{
	struct sigaction sa;
	sigset_t blocked;

	if (sigaction(SIGPIPE, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL &&
	    sigprocmask(SIG_BLOCK, NULL, &blocked) == 0 && !sigismember(&blocked, SIGPIPE))
		signal(SIGPIPE, SIG_IGN);
}

int relp_out_open(struct relp_out *r, const char *to, const char *peer, const char *ca,
		  const char *cert, const char *key)
{
	relpRetVal rc;

	memset(r, 0, sizeof *r);
	snprintf(r->where, sizeof r->where, "%s", to);
	if (split(r, to) < 0) {
		log_msg("relp %s: not HOST:PORT (a port 1-65535, an IPv6 address in brackets)", to);
		return -1;
	}
	if (peer && strlen(peer) >= sizeof r->peer) {
		log_msg("relp %s: peer name longer than %zu bytes", to, sizeof r->peer - 1);
		return -1;
	}
	snprintf(r->peer, sizeof r->peer, "%s", peer ? peer : r->host);
	r->ca = ca;
	r->cert = cert;
	r->key = key;
	r->timeout = RELP_OUT_TIMEOUT;
	sigpipe_ignored();
	if ((rc = relpEngineConstruct(&r->engine)) != RELP_RET_OK ||
	    (rc = relpEngineSetDbgprint(r->engine, NULL)) != RELP_RET_OK ||
	    (rc = relpEngineSetTLSLibByName(r->engine, "gnutls")) != RELP_RET_OK ||
	    (rc = relpEngineSetOnErr(r->engine, on_err)) != RELP_RET_OK ||
	    (rc = relpEngineSetOnAuthErr(r->engine, on_auth_err)) != RELP_RET_OK ||
	    (rc = relpEngineSetEnableCmd(r->engine, (unsigned char *)"syslog",
					 eRelpCmdState_Required)) != RELP_RET_OK) {
		log_msg("relp %s: librelp engine: %s (librelp %d)", to, relp_strerror(rc), rc);
		if (r->engine)
			relpEngineDestruct(&r->engine);
		return -1;
	}
	return 0;
}

/* librelp says only "error opening connection" when TCP's connect fails
 * (errno is its poll's): one plain connect, to say why. */
static void why_no_tcp(struct relp_out *r)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai;
	struct pollfd p = { .events = POLLOUT };
	socklen_t len = sizeof(int);
	int rc, err = 0;

	if ((rc = getaddrinfo(r->host, r->port, &hints, &ai)) != 0) {
		snprintf(r->why, sizeof r->why, "%s: %s", r->host, gai_strerror(rc));
		return;
	}
	p.fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (p.fd >= 0 && connect(p.fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		err = errno;
		if (err == EINPROGRESS) {
			err = ETIMEDOUT;
			if (poll(&p, 1, 1000) == 1)
				getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &err, &len);
		}
	}
	if (err)
		snprintf(r->why, sizeof r->why, "TCP: %s", strerror(err));
	if (p.fd >= 0)
		close(p.fd);
	freeaddrinfo(ai);
}

/* A new session: TLS with our certificate, the server's chain checked
 * against the CA and its name against the peer's. Always "name": with the
 * GnuTLS driver, librelp's "certvalid" checks nothing at all on a client
 * (its verify callback only acts for "name" and "fingerprint"). */
static int connect_session(struct relp_out *r)
{
	struct deadline d;
	relpRetVal rc;

	r->why[0] = '\0';
	if ((rc = relpEngineCltConstruct(r->engine, &r->clt)) != RELP_RET_OK) {
		r->clt = NULL;
		return fail(r, "connect", rc);
	}
	if ((rc = relpCltSetUsrPtr(r->clt, r)) != RELP_RET_OK ||
	    (rc = relpCltSetTimeout(r->clt, r->timeout)) != RELP_RET_OK ||
	    (rc = relpCltSetConnTimeout(r->clt, (int)r->timeout)) != RELP_RET_OK ||
	    (rc = relpCltSetWindowSize(r->clt, RELP_OUT_WINDOW)) != RELP_RET_OK ||
	    (rc = relpCltEnableTLS(r->clt)) != RELP_RET_OK ||
	    (rc = relpCltSetGnuTLSPriString(r->clt, (char *)PRIORITY)) != RELP_RET_OK ||
	    (rc = relpCltSetAuthMode(r->clt, (char *)"name")) != RELP_RET_OK ||
	    (rc = relpCltAddPermittedPeer(r->clt, r->peer)) != RELP_RET_OK ||
	    (rc = relpCltSetCACert(r->clt, (char *)r->ca)) != RELP_RET_OK ||
	    (rc = relpCltSetOwnCert(r->clt, (char *)r->cert)) != RELP_RET_OK ||
	    (rc = relpCltSetPrivKey(r->clt, (char *)r->key)) != RELP_RET_OK)
		return fail(r, "TLS settings", rc);
	/* TCP's connect and RELP's open have librelp's time-out, the TLS
	 * handshake between them has none: the whole is given one. */
	deadline_arm(&d, r->timeout);
	rc = relpCltConnect(r->clt, AF_UNSPEC, (unsigned char *)r->port, (unsigned char *)r->host);
	if (deadline_disarm(&d) && rc != RELP_RET_OK)
		snprintf(r->why, sizeof r->why, "no answer in %u s", r->timeout);
	else if (rc == RELP_RET_IO_ERR && strstr(r->why, "error opening connection"))
		why_no_tcp(r);
	if (rc != RELP_RET_OK)
		return fail(r, "connect", rc);
	return 0;
}

int relp_out_send(struct relp_out *r, const char *msg, size_t len)
{
	relpRetVal rc;

	if (len > RELP_OUT_MSG_MAX) {
		log_msg("relp %s: message of %zu bytes, more than %u", r->where, len, RELP_OUT_MSG_MAX);
		r->failed = 1;
		return -1;
	}
	if (!r->clt && connect_session(r) < 0)
		return -1;
	rc = relpCltSendSyslog(r->clt, (unsigned char *)msg, len);
	if (rc != RELP_RET_OK)
		return fail(r, "send", rc);
	r->unsynced++;
	return 0;
}

int relp_out_sync(struct relp_out *r)
{
	int failed = r->failed;

	r->failed = 0;
	if (!r->clt) {
		r->unsynced = 0;
		if (failed)
			r->why[0] = '\0';
		return failed ? -1 : 0;	/* the failure's line is out already */
	}
	/* librelp's close waits for every response before its own: any
	 * refusal, break or time-out on the way lands in note(). */
	relpEngineCltDestruct(r->engine, &r->clt);
	r->clt = NULL;
	if (r->failed) {
		log_msg("relp %s: %llu messages not acknowledged: %s", r->where,
			(unsigned long long)r->unsynced, r->why);
		failed = 1;
	}
	r->failed = 0;
	r->why[0] = '\0';
	r->unsynced = 0;
	return failed ? -1 : 0;
}

void relp_out_close(struct relp_out *r)
{
	drop(r);
	if (r->engine)
		relpEngineDestruct(&r->engine);
	r->engine = NULL;
}
