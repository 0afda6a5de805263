/* nats_publish: the ceiling a collector on JetStream can reach. A bare
 * libnats publisher (no TLS intake, no CBOR) sends records shaped like
 * stele's (subject stele.log.benchhost, a JSON record line, the headers of
 * DESIGN §7) into stream STELE, a bounded number in flight, and waits for
 * every PubAck.
 *   --mode js    js_PublishMsgAsync, jsOptions.PublishAsync.MaxPending
 *   --mode core  natsConnection_PublishMsg with reply INBOX.SEQ, one
 *                wildcard subscription on INBOX.* reading the PubAcks
 * Exit 0 when every record has a positive PubAck, 1 when some did not,
 * 100 usage, 111 system or NATS error. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <nats/nats.h>

#define STREAM       "STELE"
#define SUBJECT      "stele.log.benchhost"
#define HOST         "benchhost"
#define DUP_WINDOW   (120 * INT64_C(1000000000))
#define MAX_AGE      (24 * 3600 * INT64_C(1000000000))
#define ACK_WAIT_MS  30000

struct opts {
	const char *url;
	const char *mode;
	const char *boot;
	uint64_t records;
	int64_t replicas;
	int64_t max_bytes;
	int inflight;
	int recreate;
	int purge;
};

/* Written by the library's delivery thread, read by main. */
static struct {
	atomic_uint_fast64_t acked, dup, failed;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int waiting;
} st = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static void die(const char *what, natsStatus s)
{
	fprintf(stderr, "nats-publish: %s: %s (%s)\n", what, natsStatus_GetText(s),
		nats_GetLastError(NULL) ? nats_GetLastError(NULL) : "");
	exit(111);
}

static void usage(void)
{
	fprintf(stderr, "usage: nats_publish --url nats://H:P[,...] [--records N] [--replicas K]\n"
		"  [--inflight M] [--mode js|core] [--boot ID] [--max-bytes B] [--recreate] [--purge]\n");
	exit(100);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static double cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static void acked(int ok, int dup)
{
	if (!ok)
		atomic_fetch_add(&st.failed, 1);
	else if (dup)
		atomic_fetch_add(&st.dup, 1);
	atomic_fetch_add(&st.acked, 1);
	if (st.waiting) {
		pthread_mutex_lock(&st.mu);
		pthread_cond_signal(&st.cv);
		pthread_mutex_unlock(&st.mu);
	}
}

/* Until at most `most` are unacknowledged of `sent`; 0, or -1 past ACK_WAIT_MS. */
static int wait_acks(uint64_t sent, uint64_t most)
{
	struct timespec dl;
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += ACK_WAIT_MS / 1000;
	pthread_mutex_lock(&st.mu);
	st.waiting = 1;
	int rc = 0;
	while (sent - atomic_load(&st.acked) > most && rc == 0)
		if (pthread_cond_timedwait(&st.cv, &st.mu, &dl) == ETIMEDOUT)
			rc = -1;
	st.waiting = 0;
	pthread_mutex_unlock(&st.mu);
	return rc;
}

static void on_jsack(jsCtx *js, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *closure)
{
	(void)js, (void)closure;
	if (pae && atomic_load(&st.failed) == 0)
		fprintf(stderr, "nats-publish: first PubAck error: %s (%d) %s\n",
			natsStatus_GetText(pae->Err), (int)pae->ErrCode, pae->ErrText ? pae->ErrText : "");
	acked(pa != NULL, pa && pa->Duplicate);
	natsMsg_Destroy(msg);
}

/* "duplicate": true, as the server writes it (2.9 puts a space there). */
static int is_dup(const char *d)
{
	const char *p = strstr(d, "\"duplicate\"");
	if (!p)
		return 0;
	p += sizeof "\"duplicate\"" - 1;
	p += strspn(p, " :");
	return strncmp(p, "true", 4) == 0;
}

/* A PubAck on the inbox: {"stream":"STELE", "seq":N[,"duplicate": true]},
 * {"error":{...},"stream":"STELE","seq":0}, or a 503 status message when
 * no stream took it. */
static void on_inbox(natsConnection *nc, natsSubscription *sub, natsMsg *msg, void *closure)
{
	(void)nc, (void)sub, (void)closure;
	const char *d = natsMsg_GetData(msg);
	int ok = !natsMsg_IsNoResponders(msg) && d && !strstr(d, "\"error\"");
	if (!ok && atomic_load(&st.failed) == 0)
		fprintf(stderr, "nats-publish: first PubAck error: %s\n",
			natsMsg_IsNoResponders(msg) ? "no responders (503)" : d ? d : "(empty)");
	acked(ok, ok && is_dup(d));
	natsMsg_Destroy(msg);
}

static void on_error(natsConnection *nc, natsSubscription *sub, natsStatus err, void *closure)
{
	(void)nc, (void)sub, (void)closure;
	fprintf(stderr, "nats-publish: asynchronous error: %s\n", natsStatus_GetText(err));
}

/* natsOptions_SetURL takes one URL in nats.c 3.4 (a comma-separated list
 * parses, then Connect finds "no server available"): split the list for
 * natsOptions_SetServers, as natsConnection_ConnectTo does. */
static natsStatus set_servers(natsOptions *no, const char *list)
{
	char buf[1024], *save = NULL;
	const char *urls[16];
	int n = 0;
	if (snprintf(buf, sizeof buf, "%s", list) >= (int)sizeof buf)
		return NATS_INVALID_ARG;
	for (char *u = strtok_r(buf, ", ", &save); u; u = strtok_r(NULL, ", ", &save)) {
		if (n == (int)(sizeof urls / sizeof urls[0]))
			return NATS_INVALID_ARG;
		urls[n++] = u;
	}
	return n ? natsOptions_SetServers(no, urls, n) : NATS_INVALID_ARG;
}

static void stream_ready(natsConnection *nc, const struct opts *o)
{
	jsErrCode ec = 0;
	jsStreamInfo *si = NULL;
	jsCtx *js = NULL;
	natsStatus s = natsConnection_JetStream(&js, nc, NULL);

	if (s != NATS_OK)
		die("jetstream context", s);
	if (o->recreate) {
		s = js_DeleteStream(js, STREAM, NULL, &ec);
		if (s != NATS_OK && s != NATS_NOT_FOUND)
			die("delete stream " STREAM, s);
	}
	s = js_GetStreamInfo(&si, js, STREAM, NULL, &ec);
	if (s == NATS_NOT_FOUND) {
		const char *subjects[] = { "stele.>" };
		jsStreamConfig cfg;
		jsStreamConfig_Init(&cfg);
		cfg.Name = STREAM;
		cfg.Subjects = subjects;
		cfg.SubjectsLen = 1;
		cfg.Storage = js_FileStorage;
		cfg.Replicas = o->replicas;
		cfg.Duplicates = DUP_WINDOW;
		cfg.MaxAge = MAX_AGE;
		cfg.MaxBytes = o->max_bytes;
		s = js_AddStream(&si, js, &cfg, NULL, &ec);
		if (s != NATS_OK) {
			fprintf(stderr, "nats-publish: add stream %s: error code %d\n", STREAM, (int)ec);
			die("add stream " STREAM, s);
		}
	} else if (s != NATS_OK) {
		die("stream info " STREAM, s);
	} else if (si->Config->Replicas != o->replicas) {
		fprintf(stderr, "nats-publish: stream %s has %" PRId64 " replicas, not %" PRId64
			" (use --recreate)\n", STREAM, si->Config->Replicas, o->replicas);
		exit(111);
	}
	jsStreamInfo_Destroy(si);
	if (o->purge && (s = js_PurgeStream(js, STREAM, NULL, &ec)) != NATS_OK)
		die("purge stream " STREAM, s);
	jsCtx_Destroy(js);
}

/* One record: the JSON line of a log record, about 200 bytes, and the
 * headers the collector sets. */
static natsMsg *record(const struct opts *o, uint64_t seq, const char *reply)
{
	char data[320], id[96], seqs[24];
	natsMsg *m = NULL;
	int n = snprintf(data, sizeof data,
			 "{\"host\":\"" HOST "\",\"boot_id\":\"%s\",\"seq\":%" PRIu64 ",\"kind\":\"log\","
			 "\"t\":1767225600.%06" PRIu64 ",\"stream\":\"stdout\",\"app\":\"ticker\",\"pid\":412,"
			 "\"msg\":\"tick %" PRIu64 " the quick brown fox jumps over the lazy dog\"}",
			 o->boot, seq, seq % 1000000, seq);
	snprintf(id, sizeof id, "%s:%" PRIu64, o->boot, seq);
	snprintf(seqs, sizeof seqs, "%" PRIu64, seq);
	natsStatus s = natsMsg_Create(&m, SUBJECT, reply, data, n);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, "Nats-Msg-Id", id);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, "Stele-Host", HOST);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, "Stele-Boot", o->boot);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, "Stele-Seq", seqs);
	if (s != NATS_OK)
		die("message", s);
	return m;
}

static void run_js(natsConnection *nc, const struct opts *o)
{
	jsOptions jo;
	jsCtx *js = NULL;
	jsOptions_Init(&jo);
	jo.PublishAsync.MaxPending = o->inflight;
	jo.PublishAsync.AckHandler = on_jsack;
	jo.PublishAsync.StallWait = ACK_WAIT_MS;
	natsStatus s = natsConnection_JetStream(&js, nc, &jo);
	if (s != NATS_OK)
		die("jetstream context", s);
	for (uint64_t i = 1; i <= o->records; i++) {
		natsMsg *m = record(o, i, NULL);
		if ((s = js_PublishMsgAsync(js, &m, NULL)) != NATS_OK)
			die("publish", s);
		natsMsg_Destroy(m);
	}
	jsPubOptions po;
	jsPubOptions_Init(&po);
	po.MaxWait = ACK_WAIT_MS;
	if ((s = js_PublishAsyncComplete(js, &po)) != NATS_OK)
		die("waiting for PubAcks", s);
	jsCtx_Destroy(js);
}

static void run_core(natsConnection *nc, const struct opts *o)
{
	natsInbox *inbox = NULL;
	natsSubscription *sub = NULL;
	char wild[64], reply[96];
	natsStatus s = natsInbox_Create(&inbox);
	if (s != NATS_OK)
		die("inbox", s);
	snprintf(wild, sizeof wild, "%s.*", inbox);
	if ((s = natsConnection_Subscribe(&sub, nc, wild, on_inbox, NULL)) != NATS_OK)
		die("subscribe", s);
	natsSubscription_SetPendingLimits(sub, -1, -1);
	for (uint64_t i = 1; i <= o->records; i++) {
		if (i - 1 - atomic_load(&st.acked) >= (uint64_t)o->inflight &&
		    wait_acks(i - 1, (uint64_t)o->inflight - 1) < 0)
			break;
		snprintf(reply, sizeof reply, "%s.%" PRIu64, inbox, i);
		natsMsg *m = record(o, i, reply);
		if ((s = natsConnection_PublishMsg(nc, m)) != NATS_OK)
			die("publish", s);
		natsMsg_Destroy(m);
	}
	natsConnection_Flush(nc);
	wait_acks(o->records, 0);
	natsSubscription_Unsubscribe(sub);
	natsSubscription_Destroy(sub);
	natsInbox_Destroy(inbox);
}

static void parse(struct opts *o, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--recreate"))
			o->recreate = 1;
		else if (!strcmp(a, "--purge"))
			o->purge = 1;
		else if (!v)
			usage();
		else if (i++, !strcmp(a, "--url"))
			o->url = v;
		else if (!strcmp(a, "--mode"))
			o->mode = v;
		else if (!strcmp(a, "--boot"))
			o->boot = v;
		else if (!strcmp(a, "--records"))
			o->records = strtoull(v, NULL, 10);
		else if (!strcmp(a, "--replicas"))
			o->replicas = strtoll(v, NULL, 10);
		else if (!strcmp(a, "--max-bytes"))
			o->max_bytes = strtoll(v, NULL, 10);
		else if (!strcmp(a, "--inflight"))
			o->inflight = atoi(v);
		else
			usage();
	}
	if (!o->url || o->records == 0 || o->replicas < 1 || o->replicas > 5 || o->inflight < 1 ||
	    (strcmp(o->mode, "js") && strcmp(o->mode, "core")))
		usage();
}

int main(int argc, char **argv)
{
	struct opts o = { .mode = "js", .records = 200000, .replicas = 1,
			  .max_bytes = INT64_C(1) << 30, .inflight = 4096 };
	char boot[40];
	natsOptions *no = NULL;
	natsConnection *nc = NULL;
	natsStatus s;

	parse(&o, argc, argv);
	if (!o.boot) {
		snprintf(boot, sizeof boot, "bench-%ld-%ld", (long)time(NULL), (long)getpid());
		o.boot = boot;
	}
	if ((s = natsOptions_Create(&no)) != NATS_OK ||
	    (s = set_servers(no, o.url)) != NATS_OK ||
	    (s = natsOptions_SetErrorHandler(no, on_error, NULL)) != NATS_OK ||
	    (s = natsOptions_SetTimeout(no, 5000)) != NATS_OK)
		die("options", s);
	if ((s = natsConnection_Connect(&nc, no)) != NATS_OK)
		die(o.url, s);

	stream_ready(nc, &o);
	double t0 = now(), c0 = cpu();
	if (!strcmp(o.mode, "js"))
		run_js(nc, &o);
	else
		run_core(nc, &o);
	double secs = now() - t0, used = cpu() - c0;

	uint64_t got = atomic_load(&st.acked), failed = atomic_load(&st.failed);
	printf("nats-publish: %" PRIu64 " records in %.2f s = %.0f rec/s, CPU %.2f s (%.3f per 100k), "
	       "replicas %" PRId64 " (mode %s, %d in flight)\n",
	       o.records, secs, (double)o.records / secs, used, used * 1e5 / (double)o.records,
	       o.replicas, o.mode, o.inflight);
	if (got != o.records || failed || atomic_load(&st.dup))
		printf("nats-publish: %" PRIu64 " PubAcks of %" PRIu64 ", %" PRIu64 " errors, %" PRIu64
		       " duplicates\n", got, o.records, failed, (uint64_t)atomic_load(&st.dup));
	natsConnection_Destroy(nc);
	natsOptions_Destroy(no);
	nats_Close();
	return got == o.records && failed == 0 ? 0 : 1;
}
