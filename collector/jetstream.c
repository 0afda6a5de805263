#include "jetstream.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "log.h"

int js_stream_ensure(struct js *j, const struct js_config *c, char *why, size_t whylen);

/* The library's thread: queue the result, wake the loop. The queue
 * cannot overflow: each slot has at most one publish out at a time. */
static void on_result(jsCtx *ctx, natsMsg *msg, jsPubAck *pa, jsPubAckErr *pae, void *arg)
{
	struct js *j = arg;
	struct js_result *r;
	uint64_t one = 1;

	(void)ctx;
	pthread_mutex_lock(&j->mu);
	r = &j->q[(j->q_head + j->q_len++) % JS_SLOTS_MAX];
	r->msg = msg;
	r->ok = pa != NULL && pae == NULL;
	r->duplicate = pa && pa->Duplicate;
	r->why[0] = '\0';
	if (pae)
		snprintf(r->why, sizeof r->why, "%s%s%s (error %d)", natsStatus_GetText(pae->Err),
			 pae->ErrText ? ": " : "", pae->ErrText ? pae->ErrText : "", (int)pae->ErrCode);
	pthread_mutex_unlock(&j->mu);
	if (write(j->efd, &one, sizeof one) < 0 && errno != EAGAIN)
		log_msg("JetStream: eventfd: %s", strerror(errno));
}

static int nats_fail(natsStatus s, const char *what, char *why, size_t whylen)
{
	const char *last = nats_GetLastError(NULL);

	snprintf(why, whylen, "JetStream: %s: %s%s%s", what, natsStatus_GetText(s),
		 last && *last ? ": " : "", last && *last ? last : "");
	return -1;
}

int js_open(struct js *j, const struct js_config *c, char *why, size_t whylen)
{
	jsOptions jo;
	natsStatus s;
	char url[256];

	memset(j, 0, sizeof *j);
	js_slots_init(&j->slots);
	j->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (j->efd < 0) {
		snprintf(why, whylen, "eventfd: %s", strerror(errno));
		return -1;
	}
	pthread_mutex_init(&j->mu, NULL);
	if (js_connect(c->urls, "stele-collector", &j->nc, why, whylen) < 0)
		return -1;
	jsOptions_Init(&jo);
	jo.Wait = JS_PUBACK_WAIT_MS;
	jo.PublishAsync.MaxPending = JS_SLOTS_MAX;
	jo.PublishAsync.AckHandler = on_result;
	jo.PublishAsync.AckHandlerClosure = j;
	s = natsConnection_JetStream(&j->ctx, j->nc, &jo);
	if (s != NATS_OK)
		return nats_fail(s, "context", why, whylen);
	jsPubOptions_Init(&j->po);
	j->po.MaxWait = JS_PUBACK_WAIT_MS;
	if (js_stream_ensure(j, c, why, whylen) < 0)
		return -1;
	if (natsConnection_GetConnectedUrl(j->nc, url, sizeof url) != NATS_OK)
		snprintf(url, sizeof url, "?");
	log_msg("JetStream: connected to %s, publishing to stream %s", url, JS_STREAM);
	return 0;
}

void js_close(struct js *j)
{
	if (j->ctx)
		js_PublishAsyncComplete(j->ctx, &j->po);	/* at most MaxWait: NATS may be away */
	for (uint32_t i = 0; i < JS_SLOTS_MAX; i++)
		if (j->slots.slot[i].state == JS_SLOT_RETRY)
			natsMsg_Destroy((natsMsg *)j->slots.slot[i].msg);
	jsCtx_Destroy(j->ctx);
	js_disconnect(j->nc);
	j->ctx = NULL;
	j->nc = NULL;
	if (j->efd >= 0)
		close(j->efd);
	j->efd = -1;
}

int js_kind_ok(const char *kind, size_t len)
{
	if (len == 0 || len > 16)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (kind[i] < 'a' || kind[i] > 'z')
			return 0;
	return 1;
}

/* A host may hold dots, which NATS reads as token separators: in the
 * subject they become '_' (the Stele-Host header keeps the host). */
static void subject(char *out, size_t n, const char *kind, const char *host)
{
	int k = snprintf(out, n, "stele.%s.", kind);

	for (size_t i = 0; host[i] && (size_t)k + 1 < n; i++)
		out[k++] = host[i] == '.' ? '_' : host[i];
	out[k] = '\0';
}

static natsMsg *message(const struct js_record *r, char *why, size_t whylen)
{
	char subj[128], id[160], seq[24];
	natsMsg *m = NULL;
	natsStatus s;

	subject(subj, sizeof subj, r->kind, r->host);
	snprintf(id, sizeof id, "%s:%" PRIu64, r->boot_id, r->seq);
	snprintf(seq, sizeof seq, "%" PRIu64, r->seq);
	s = natsMsg_Create(&m, subj, NULL, r->line, (int)r->len);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, "Nats-Msg-Id", id);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, "Stele-Host", r->host);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, "Stele-Boot", r->boot_id);
	if (s == NATS_OK)
		s = natsMsgHeader_Set(m, "Stele-Seq", seq);
	if (s != NATS_OK) {
		natsMsg_Destroy(m);
		nats_fail(s, "message", why, whylen);
		return NULL;
	}
	return m;
}

/* Hands m to the library; on a refusal there, the result is a failure
 * like any other, queued for the loop. */
static void send_async(struct js *j, natsMsg *m)
{
	natsMsg *out = m;
	natsStatus s = js_PublishMsgAsync(j->ctx, &out, &j->po);

	if (s == NATS_OK)
		return;
	pthread_mutex_lock(&j->mu);
	struct js_result *r = &j->q[(j->q_head + j->q_len++) % JS_SLOTS_MAX];
	r->msg = m;
	r->ok = r->duplicate = 0;
	snprintf(r->why, sizeof r->why, "publish: %s", natsStatus_GetText(s));
	pthread_mutex_unlock(&j->mu);
	uint64_t one = 1;
	if (write(j->efd, &one, sizeof one) < 0 && errno != EAGAIN)
		log_msg("JetStream: eventfd: %s", strerror(errno));
}

int js_publish(struct js *j, const struct js_record *r, uint32_t conn, uint32_t gen, uint64_t pos,
	       char *why, size_t whylen)
{
	natsMsg *m;
	uint32_t i;

	if (j->slots.n_free == 0)
		return -1;
	m = message(r, why, whylen);
	if (!m)
		return -2;
	i = js_slots_take(&j->slots, m);
	j->slots.slot[i].conn = conn;
	j->slots.slot[i].gen = gen;
	j->slots.slot[i].pos = pos;
	j->slots.slot[i].seq = r->seq;
	j->slots.slot[i].tries = 1;
	j->stats.published++;
	send_async(j, m);
	return 0;
}

static uint64_t pause_ms(unsigned tries)
{
	return 250ull << (tries > 5 ? 4 : tries - 1);
}

static void take(struct js *j, const struct js_result *r, uint64_t now, js_done_fn *done, void *arg)
{
	uint32_t i = js_slots_find(&j->slots, r->msg);
	struct js_slot *s;

	if (i == JS_SLOT_NONE) {
		log_msg("JetStream: a result for no publish of ours; ignored");
		return;
	}
	s = &j->slots.slot[i];
	if (r->ok) {
		j->stats.stored++;
		j->stats.duplicates += r->duplicate != 0;
		done(arg, s, r->duplicate ? JS_DUPLICATE : JS_STORED, NULL);
	} else {
		j->stats.failures++;
		if (s->tries < JS_TRIES_MAX && done(arg, s, JS_FAILED_TRY_AGAIN, r->why)) {
			s->state = JS_SLOT_RETRY;
			s->retry_at = now + pause_ms(s->tries);
			j->slots.retrying++;
			return;
		}
		if (s->tries >= JS_TRIES_MAX) {
			j->stats.given_up++;
			done(arg, s, JS_FAILED_GIVE_UP, r->why);
		}
	}
	natsMsg_Destroy((natsMsg *)r->msg);
	js_slots_free(&j->slots, i);
}

static void retry_due(struct js *j, uint64_t now)
{
	for (uint32_t i = 0; i < JS_SLOTS_MAX && j->slots.retrying; i++) {
		struct js_slot *s = &j->slots.slot[i];

		if (s->state != JS_SLOT_RETRY || s->retry_at > now)
			continue;
		s->state = JS_SLOT_SENT;
		s->tries++;
		j->slots.retrying--;
		j->stats.retries++;
		send_async(j, (natsMsg *)s->msg);
	}
}

void js_dispatch(struct js *j, uint64_t now_ms, js_done_fn *done, void *arg)
{
	static struct js_result batch[256];
	uint64_t count;
	size_t n;

	if (read(j->efd, &count, sizeof count) < 0 && errno != EAGAIN)
		log_msg("JetStream: eventfd: %s", strerror(errno));
	do {
		pthread_mutex_lock(&j->mu);
		n = j->q_len < 256 ? j->q_len : 256;
		for (size_t k = 0; k < n; k++)
			batch[k] = j->q[(j->q_head + k) % JS_SLOTS_MAX];
		j->q_head = (j->q_head + n) % JS_SLOTS_MAX;
		j->q_len -= n;
		pthread_mutex_unlock(&j->mu);
		for (size_t k = 0; k < n; k++)
			take(j, &batch[k], now_ms, done, arg);
	} while (n == 256);
	if (j->slots.retrying)
		retry_due(j, now_ms);
}

static uint64_t next_retry(const struct js *j)
{
	uint64_t next = UINT64_MAX;

	if (!j->slots.retrying)
		return next;
	for (uint32_t i = 0; i < JS_SLOTS_MAX; i++)
		if (j->slots.slot[i].state == JS_SLOT_RETRY && j->slots.slot[i].retry_at < next)
			next = j->slots.slot[i].retry_at;
	return next;
}

int js_retry_due(const struct js *j, uint64_t now_ms)
{
	return j->slots.retrying && next_retry(j) <= now_ms;
}

void js_timeout(const struct js *j, uint64_t now_ms, int *timeout_ms)
{
	uint64_t next = next_retry(j);

	if (next == UINT64_MAX)
		return;
	next = next > now_ms ? next - now_ms : 0;
	if (*timeout_ms < 0 || next < (uint64_t)*timeout_ms)
		*timeout_ms = (int)(next > 60000 ? 60000 : next);
}
