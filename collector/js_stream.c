/* Stream STELE: made when missing, and checked when there, so that a
 * stream someone made otherwise is said at start, not met as lost
 * records later. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

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

static int create(jsCtx *ctx, const struct js_config *c, char *why, size_t whylen)
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

/* Through a libnats JetStream context on nc, used only here. */
int js_stream_ensure(natsConnection *nc, const struct js_config *c, char *why, size_t whylen)
{
	jsStreamInfo *si = NULL;
	jsErrCode jerr = 0;
	jsCtx *ctx = NULL;
	natsStatus s = natsConnection_JetStream(&ctx, nc, NULL);
	int rc;

	if (s != NATS_OK) {
		snprintf(why, whylen, "JetStream: context: %s", natsStatus_GetText(s));
		return -1;
	}
	s = js_GetStreamInfo(&si, ctx, JS_STREAM, NULL, &jerr);
	if (s == NATS_NOT_FOUND || jerr == JSStreamNotFoundErr) {
		rc = create(ctx, c, why, whylen);
	} else if (s != NATS_OK) {
		const char *last = nats_GetLastError(NULL);

		snprintf(why, whylen, "JetStream: stream %s: %s%s%s (error %d); is JetStream "
			 "enabled on the servers?", JS_STREAM, natsStatus_GetText(s),
			 last && *last ? ": " : "", last && *last ? last : "", (int)jerr);
		rc = -1;
	} else {
		rc = check(si->Config, c, why, whylen);
		jsStreamInfo_Destroy(si);
	}
	jsCtx_Destroy(ctx);
	return rc;
}
