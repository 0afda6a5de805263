#ifndef STELE_SINK_RELP_OUT_H
#define STELE_SINK_RELP_OUT_H

#include <stddef.h>
#include <stdint.h>

/* A RELP client over TLS (librelp, GnuTLS driver: what rsyslog's imrelp
 * speaks), for the relp sink: syslog messages in, RELP's acknowledgements
 * out, so that the sink acks JetStream only for what rsyslog has taken
 * (at least once, DESIGN §7).
 *
 * How an acknowledgement is known. librelp's public API has no call that
 * says which frames have their "rsp" yet: relpCltSendSyslog() returns
 * once a frame is written, and only reads responses, to make room in its
 * window, before it writes the next. The one point where it waits for all
 * of them is the session's close: the "close" command goes after every
 * frame, and librelp waits for the close's "rsp" (or a time-out). A
 * response other than 200, a closed or broken connection, a time-out:
 * each reaches the engine's onErr (or onAuthErr) callback. So
 * relp_out_sync() closes the session, and it succeeded if no callback said
 * anything since the last sync; the next relp_out_send() opens a new
 * session. That is one TLS handshake per sync: the caller syncs per batch
 * (up to RELP_OUT_WINDOW - 1 messages, so that the close never waits for
 * room), not per message.
 *
 * What this rests on: a server that answers the close has answered every
 * frame before it. librelp's server (rsyslog's imrelp) does, in order, as
 * it reads each frame; one that answered the close and skipped a frame
 * would get a false ack here, as librelp drops what is unanswered at the
 * close without a word. And rsyslog's "200" means imrelp handed the
 * message to its queue (librelp answers 200 even when that fails); what
 * it is worth after that is rsyslog's queue and action configuration.
 *
 * Errors: each failing call writes one line (log_msg: "relp HOST:PORT:
 * what: why") and returns -1; the session is dropped, and the next call
 * opens a new one. Nothing is retried here: the caller backs off. Every
 * call is bounded in time: librelp's own time-outs (RELP_OUT_TIMEOUT), and
 * for the TLS handshake, which has none, a deadline (deadline.h: it uses
 * DEADLINE_SIGNAL, sent to the calling thread).
 *
 * Memory: librelp keeps a copy of each frame until its response, at most
 * RELP_OUT_WINDOW of them; nothing else grows, but for librelp's leak
 * (relp_out_open()). */

#define RELP_OUT_WINDOW 256		/* frames without a response, at most */
#define RELP_OUT_TIMEOUT 10		/* seconds: connect, handshake, room, responses */
#define RELP_OUT_MSG_MAX (256u << 10)	/* the longest message send takes */

struct relpEngine_s;
struct relpClt_s;

/* The caller owns it; relp_out_open() fills it in. */
struct relp_out {
	char host[256], port[8], where[272];	/* where: "HOST:PORT", for the lines */
	char peer[256];				/* the name the server's certificate must carry */
	const char *ca, *cert, *key;		/* the caller's strings, kept until close */
	unsigned timeout;			/* seconds */
	struct relpEngine_s *engine;
	struct relpClt_s *clt;			/* NULL between sessions */
	uint64_t unsynced;			/* sends since the last sync */
	int failed;				/* a send since the last sync failed */
	char why[512];				/* the first thing librelp reported */
};

/* to is "HOST:PORT" (an IPv6 address in brackets). peer is the name the
 * server's certificate must carry (a DNS SAN, else the CN), or NULL for
 * HOST. ca, cert and key are PEM files, and MUST stay valid until
 * relp_out_close(). The server's chain is checked against ca, its name
 * against peer. Opens no connection yet. Ignores SIGPIPE for the process
 * when nothing else handles it: a server that goes away must be an error,
 * not the end of the sink. Returns 0, or -1 with the one line written
 * (bad "to", no librelp engine).
 *
 * A cost that is librelp's: 1.11 does not free its permitted-peer arrays,
 * 16 bytes every session (so every sync that sent something) and about 70
 * every failed connect. The name check cannot be dropped to avoid it: the
 * alternative mode ("certvalid") checks nothing with GnuTLS. */
int relp_out_open(struct relp_out *r, const char *to, const char *peer, const char *ca,
		  const char *cert, const char *key);

/* Sends one syslog message (len at most RELP_OUT_MSG_MAX; no framing:
 * RELP has its own), connecting first if there is no session. Returns 0
 * once librelp has written it, which is not yet an acknowledgement. -1:
 * this message and every one since the last sync may be lost. */
int relp_out_send(struct relp_out *r, const char *msg, size_t len);

/* Returns 0 only if every message relp_out_send() accepted since the last
 * relp_out_sync() (or relp_out_open()) has RELP's acknowledgement; -1 if
 * any may not (a failed send, a refusal, a broken session, a time-out):
 * the caller MUST then treat all of them as not delivered, and send them
 * again. Either way the session is closed. With nothing sent, 0 at once. */
int relp_out_sync(struct relp_out *r);

/* Drops the session (unacknowledged messages are not waited for) and the
 * engine. */
void relp_out_close(struct relp_out *r);

#endif
