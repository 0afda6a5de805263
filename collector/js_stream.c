/* Stream STELE: made when missing, and checked when there, so that a
 * stream someone made otherwise is said at start, not met as lost
 * records later. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "jetstream.h"
#include "log.h"

#define NS_PER_S INT64_C(1000000000)

int js_stream_ensure(natsConnection *nc, const struct js_config *c, char *why, size_t whylen);

static int covers_stele(const jsStreamConfig *sc)
{
	for (int i = 0; i < sc->SubjectsLen; i++)
		if (strcmp(sc->Subjects[i], "stele.>") == 0 || strcmp(sc->Subjects[i], ">") == 0)
			return 1;
	return 0;
}

/* The stream there must take every stele subject, on disk, with the
 * replicas asked for; its limits are the operator's to choose. */
static int check(const jsStreamConfig *sc, const struct js_config *c, char *why, size_t whylen)
{
	const char *fix = "; change the stream or the collector's options";

	if (!covers_stele(sc)) {
		snprintf(why, whylen, "JetStream: stream %s exists but does not take subjects "
			 "stele.>%s", JS_STREAM, fix);
		return -1;
	}
	if (sc->Storage != js_FileStorage) {
		snprintf(why, whylen, "JetStream: stream %s exists with memory storage; stele "
			 "acknowledges only what is on disk%s", JS_STREAM, fix);
		return -1;
	}
	if (sc->Replicas != (int64_t)c->replicas) {
		snprintf(why, whylen, "JetStream: stream %s exists with %" PRId64 " replicas, "
			 "--stream-replicas says %u%s", JS_STREAM, sc->Replicas, c->replicas, fix);
		return -1;
	}
	if (sc->Duplicates < (int64_t)c->dup_window_s * NS_PER_S)
		log_msg("JetStream: warning: stream %s drops duplicates within %" PRId64 " s only "
			"(--dup-window %" PRIu64 " s)", JS_STREAM, (int64_t)(sc->Duplicates / NS_PER_S),
			c->dup_window_s);
	return 0;
}

/* A cluster that is still electing its leaders, or placing a stream on
 * its peers, answers late or not at all: worth another try. */
static int transient(natsStatus s, jsErrCode jerr)
{
	return s == NATS_TIMEOUT || s == NATS_NO_RESPONDERS || jerr == JSClusterNoPeersErr ||
	       jerr == JSClusterNotAvailErr || jerr == JSClusterNotLeaderErr;
}

static int create(jsCtx *ctx, const struct js_config *c, int *again, char *why, size_t whylen)
{
	const char *subjects[] = { "stele.>" };
	jsStreamConfig sc;
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	natsStatus s;

	jsStreamConfig_Init(&sc);
	sc.Name = JS_STREAM;
	sc.Description = "stele records: stele.KIND.HOST, one JSON line each";
	sc.Subjects = subjects;
	sc.SubjectsLen = 1;
	sc.Storage = js_FileStorage;
	sc.Retention = js_LimitsPolicy;
	sc.Discard = js_DiscardOld;
	sc.Replicas = c->replicas;
	sc.MaxAge = (int64_t)c->max_age_s * NS_PER_S;
	sc.MaxBytes = c->max_bytes;
	sc.Duplicates = (int64_t)c->dup_window_s * NS_PER_S;
	s = js_AddStream(&si, ctx, &sc, NULL, &jerr);
	if (s != NATS_OK) {
		const char *last = nats_GetLastError(NULL);

		*again = transient(s, jerr);
		snprintf(why, whylen, "JetStream: cannot create stream %s (%u replicas): %s%s%s "
			 "(error %d)", JS_STREAM, c->replicas, natsStatus_GetText(s),
			 last && *last ? ": " : "", last && *last ? last : "", (int)jerr);
		return -1;
	}
	jsStreamInfo_Destroy(si);
	log_msg("JetStream: created stream %s: stele.>, file storage, %u replicas, max age %" PRIu64
		" s, max bytes %" PRId64 ", duplicates within %" PRIu64 " s", JS_STREAM, c->replicas,
		c->max_age_s, c->max_bytes, c->dup_window_s);
	return 0;
}

/* One look at the stream: checked, made, or -1 with why; *again set when
 * the failure may pass. A stream made by a try whose reply timed out is
 * found, and checked, by the next. */
static int ensure_once(jsCtx *ctx, const struct js_config *c, int *again, char *why, size_t whylen)
{
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	natsStatus s = js_GetStreamInfo(&si, ctx, JS_STREAM, NULL, &jerr);
	int rc;

	*again = 0;
	if (s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr)
		return create(ctx, c, again, why, whylen);
	if (s != NATS_OK) {
		const char *last = nats_GetLastError(NULL);

		*again = transient(s, jerr);
		snprintf(why, whylen, "JetStream: stream %s: %s%s%s (error %d)%s", JS_STREAM,
			 natsStatus_GetText(s), last && *last ? ": " : "", last && *last ? last : "",
			 (int)jerr, *again ? "" : "; is JetStream enabled on the servers?");
		return -1;
	}
	rc = check(si->Config, c, why, whylen);
	jsStreamInfo_Destroy(si);
	return rc;
}

/* Through a libnats JetStream context on nc, used only here. A failure
 * that may pass is tried again after 1, 2, 4 and 8 s, said each time. */
int js_stream_ensure(natsConnection *nc, const struct js_config *c, char *why, size_t whylen)
{
	jsCtx *ctx = NULL;
	natsStatus s = natsConnection_JetStream(&ctx, nc, NULL);
	int rc, again;

	if (s != NATS_OK) {
		snprintf(why, whylen, "JetStream: context: %s", natsStatus_GetText(s));
		return -1;
	}
	for (unsigned wait_s = 1;; wait_s *= 2) {
		rc = ensure_once(ctx, c, &again, why, whylen);
		if (rc == 0 || !again || wait_s > 8)
			break;
		log_msg("%s; trying again in %u s", why, wait_s);
		sleep(wait_s);
	}
	jsCtx_Destroy(ctx);
	return rc;
}
