#ifndef STELE_SINK_RELP_H
#define STELE_SINK_RELP_H

#include "relp_out.h"
#include "seen.h"
#include "sink.h"

/* The relp sink: log records, events and invalid records as RFC 5424
 * messages (syslog5424.h) over RELP with TLS (relp_out.h) into rsyslog's
 * imrelp; metrics are not sent. A batch is acked to JetStream only after
 * RELP acknowledged every message of it: at least once into rsyslog.
 * What it sent is remembered by (boot, seq) while it runs, so that a
 * redelivery is not sent twice; after a restart, a batch whose JetStream
 * acks were lost may reach rsyslog again. */

#define RELP_SINK_BATCH_MAX (RELP_OUT_WINDOW - 1)	/* messages per sync */
#define RELP_SINK_MSG_MAX 8192	/* rsyslog's default maxMessageSize */

struct relp_sink {
	struct relp_out out;
	struct seen seen;
	char msg[RELP_SINK_MSG_MAX];
};

/* 0, or -1 (said). Connects on the first message. */
int relp_sink_open(struct relp_sink *r, const char *to, const char *peer, const char *ca,
		   const char *cert, const char *key);
void relp_sink_close(struct relp_sink *r);

enum sink_took relp_sink_take(void *ctx, const struct sink_msg *m, char *why, size_t whylen);
int relp_sink_sync(void *ctx, char *why, size_t whylen);

#endif
