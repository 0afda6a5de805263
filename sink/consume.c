#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nats/nats.h>

#include "clock.h"
#include "jetstream.h"
#include "log.h"
#include "sink.h"
#include "store.h"

#define FETCH_WAIT_MS 250
/* Idle fetches between looks at the consumer: a deleted one does not
 * always fail a fetch (it may only time out), so an idle sink asks. */
#define IDLE_CHECK_FETCHES 20
#define ACK_WAIT_S 30
#define MAX_ACK_PENDING 65536
#define NAK_DELAY_MS 1000
#define FAIL_PAUSE_MS 1000	/* after a batch that could not be written */

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	stopping = sig;
}

static int fail(const char *what, natsStatus s, jsErrCode jerr)
{
	const char *last = nats_GetLastError(NULL);

	log_msg("%s: %s%s%s (error %d)", what, natsStatus_GetText(s), last && *last ? ": " : "",
		last && *last ? last : "", (int)jerr);
	return 111;
}

static int subscribe(jsCtx *js, const struct sink_config *c, const struct sink_ops *ops,
		     natsSubscription **sub)
{
	jsSubOptions so;
	jsErrCode jerr = 0;
	natsStatus s;
	char what[200];

	jsSubOptions_Init(&so);
	so.Stream = JS_STREAM;
	so.Config.Durable = c->durable;
	so.Config.AckPolicy = js_AckExplicit;
	so.Config.AckWait = (int64_t)ACK_WAIT_S * 1000000000;
	so.Config.MaxAckPending = MAX_ACK_PENDING;
	so.Config.DeliverPolicy = js_DeliverAll;
	s = js_PullSubscribe(sub, js, ops->subject, c->durable, NULL, &so, &jerr);
	if (s == NATS_OK)
		return 0;
	if (s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr) {
		log_msg("sink %s: stream %s is missing; a collector with --jetstream makes it",
			ops->kind, JS_STREAM);
		return 111;
	}
	snprintf(what, sizeof what, "sink %s: consumer %s of stream %s (subjects %s)", ops->kind,
		 c->durable, JS_STREAM, ops->subject);
	return fail(what, s, jerr);
}

/* The record a message carries, from its subject and Stele-* headers;
 * -1 (with why) if it is not one. */
static int record_of(natsMsg *m, struct sink_msg *r, char *kind, const char **why)
{
	const char *subj = natsMsg_GetSubject(m), *seq = NULL, *dot;
	char *end;

	*r = (struct sink_msg){ 0 };
	if (strncmp(subj, "stele.", 6) != 0 || !(dot = strchr(subj + 6, '.')) ||
	    dot - (subj + 6) > 16 || !js_kind_ok(subj + 6, (size_t)(dot - (subj + 6)))) {
		*why = "subject not stele.KIND.HOST";
		return -1;
	}
	memcpy(kind, subj + 6, (size_t)(dot - (subj + 6)));
	kind[dot - (subj + 6)] = '\0';
	r->kind = kind;
	if (natsMsgHeader_Get(m, "Stele-Host", &r->host) != NATS_OK ||
	    natsMsgHeader_Get(m, "Stele-Boot", &r->boot_id) != NATS_OK ||
	    natsMsgHeader_Get(m, "Stele-Seq", &seq) != NATS_OK) {
		*why = "a Stele-Host, Stele-Boot or Stele-Seq header missing";
		return -1;
	}
	if (!store_name_ok(r->host, strlen(r->host)) ||
	    !store_name_ok(r->boot_id, strlen(r->boot_id))) {
		*why = "Stele-Host or Stele-Boot not a name (A-Z a-z 0-9 . _ -)";
		return -1;
	}
	errno = 0;
	r->seq = strtoull(seq, &end, 10);
	if (errno || *end || end == seq || seq[0] == '-' || r->seq == 0) {
		*why = "Stele-Seq not a number from 1";
		return -1;
	}
	r->line = natsMsg_GetData(m);
	r->len = (size_t)natsMsg_GetDataLength(m);
	return 0;
}

struct batch_result { int taken, failed; };

/* Takes what it can of the list; what was taken is acked only once
 * sync() said it is durable, the rest goes back with a delay. */
static void handle(const struct sink_ops *ops, void *ctx, natsMsgList *list, struct log_limit *ll,
		   uint64_t *counts, int *failing)

{
	char why[256], kind[17];
	int n = 0, bad = 0, failed = 0;

	for (; n < list->Count; n++) {
		struct sink_msg r;
		const char *reason;
		enum sink_took t;

		if (record_of(list->Msgs[n], &r, kind, &reason) < 0) {
			/* Not a record: left in the stream, never delivered here again. */
			log_limited(ll, clock_ms(), "sink %s: message %s: %s; not delivered to this sink "
				    "again", ops->kind, natsMsg_GetSubject(list->Msgs[n]), reason);
			natsMsg_Term(list->Msgs[n], NULL);
			natsMsg_Destroy(list->Msgs[n]);
			list->Msgs[n] = NULL;
			bad++;
			continue;
		}
		t = ops->take(ctx, &r, why, sizeof why);
		if (t == SINK_FAILED) {
			if (!*failing)
				log_msg("sink %s: %s; not acked, JetStream delivers it again (said once "
					"until writing works again)", ops->kind, why);
			failed = 1;
			break;
		}
		counts[t]++;
	}
	if (ops->sync(ctx, why, sizeof why) < 0) {
		if (!*failing && !failed)
			log_msg("sink %s: %s; batch not acked, JetStream delivers it again (said once "
				"until writing works again)", ops->kind, why);
		failed = 1;
		n = 0;
	}
	if (*failing && !failed)
		log_msg("sink %s: writing again", ops->kind);
	*failing = failed;
	for (int i = 0; i < list->Count; i++) {
		if (!list->Msgs[i])
			continue;
		if (i < n)
			natsMsg_Ack(list->Msgs[i], NULL);
		else
			natsMsg_NakWithDelay(list->Msgs[i], NAK_DELAY_MS, NULL);
	}
	counts[2] += (uint64_t)bad;
}

/* A fetch that failed otherwise than by finding nothing: if the
 * consumer is gone, nothing will come again. 1: stop. */
static int consumer_gone(jsCtx *js, const struct sink_config *c, const struct sink_ops *ops)
{
	jsConsumerInfo *ci = NULL;
	jsErrCode jerr = 0;
	natsStatus s = js_GetConsumerInfo(&ci, js, JS_STREAM, c->durable, NULL, &jerr);

	if (s == NATS_OK) {
		jsConsumerInfo_Destroy(ci);
		return 0;
	}
	if (s != NATS_NOT_FOUND)
		return 0;	/* the servers, not the consumer: try again */
	log_msg("sink %s: consumer %s of stream %s no longer exists (deleted?); stopping: start the "
		"sink again to make it anew (it drops what it has already taken)", ops->kind,
		c->durable, JS_STREAM);
	return 1;
}

static int loop(jsCtx *js, natsSubscription *sub, const struct sink_config *c,
		const struct sink_ops *ops, void *ctx)
{
	struct log_limit ll = { 0 };
	uint64_t counts[3] = { 0 };
	int failing = 0, idle = 0;

	while (!stopping) {
		natsMsgList list = { 0 };
		jsErrCode jerr = 0;
		natsStatus s = natsSubscription_Fetch(&list, sub, c->batch, FETCH_WAIT_MS, &jerr);

		if (s == NATS_OK) {
			idle = 0;
			handle(ops, ctx, &list, &ll, counts, &failing);
			natsMsgList_Destroy(&list);
			if (failing) {
				/* Whatever failed will not work again at once. */
				if (ops->idle)
					ops->idle(ctx, FAIL_PAUSE_MS);
				else
					usleep(FAIL_PAUSE_MS * 1000);
			}
		} else if (s == NATS_TIMEOUT) {
			natsMsgList_Destroy(&list);
			if (++idle % IDLE_CHECK_FETCHES == 0 && consumer_gone(js, c, ops))
				return 111;
		} else {
			natsMsgList_Destroy(&list);
			if (consumer_gone(js, c, ops))
				return 111;
			log_limited(&ll, clock_ms(), "sink %s: fetch: %s (error %d); trying again",
				    ops->kind, natsStatus_GetText(s), (int)jerr);
			if (ops->idle)
				ops->idle(ctx, FETCH_WAIT_MS);
			else
				usleep(FETCH_WAIT_MS * 1000);
			continue;
		}
		if (ops->idle)
			ops->idle(ctx, 0);
	}
	log_msg("sink %s: signal %d: stopping; %" PRIu64 " taken, %" PRIu64 " duplicates, %" PRIu64
		" not records", ops->kind, (int)stopping, counts[SINK_TAKEN], counts[SINK_DUPLICATE],
		counts[2]);
	return 0;
}

int sink_run(const struct sink_config *c, const struct sink_ops *ops, void *ctx)
{
	struct sigaction sa = { .sa_handler = on_signal };
	natsConnection *nc = NULL;
	natsSubscription *sub = NULL;
	jsCtx *js = NULL;
	char why[300];
	natsStatus s;
	int rc;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGTERM, &sa, NULL) < 0 || sigaction(SIGINT, &sa, NULL) < 0) {
		log_msg("sigaction: %s", strerror(errno));
		return 111;
	}
	signal(SIGPIPE, SIG_IGN);
	if (js_connect(c->urls, "stele-sink", &nc, why, sizeof why) < 0) {
		log_msg("sink %s: %s", ops->kind, why);
		return 111;
	}
	s = natsConnection_JetStream(&js, nc, NULL);
	if (s != NATS_OK) {
		natsConnection_Destroy(nc);
		return fail("JetStream context", s, 0);
	}
	rc = subscribe(js, c, ops, &sub);
	if (rc == 0) {
		log_msg("sink %s: consuming %s of stream %s as durable %s, into %s", ops->kind,
			ops->subject, JS_STREAM, c->durable, c->where);
		rc = loop(js, sub, c, ops, ctx);
	}
	natsSubscription_Destroy(sub);
	jsCtx_Destroy(js);
	js_disconnect(nc);
	return rc;
}
