#include "metrics.h"

#include <stdlib.h>
#include <string.h>

#include "cbor_in.h"

#define LABELS_MAX 32

int metrics_init(struct metrics *m)
{
	memset(m, 0, sizeof *m);
	m->host = calloc(METRICS_HOSTS_MAX, sizeof *m->host);
	m->sorted = calloc((size_t)METRICS_HOSTS_MAX * METRICS_SERIES_MAX, sizeof *m->sorted);
	m->sorted_host = calloc((size_t)METRICS_HOSTS_MAX * METRICS_SERIES_MAX, sizeof *m->sorted_host);
	if (!m->host || !m->sorted || !m->sorted_host) {
		metrics_free(m);
		return -1;
	}
	return 0;
}

void metrics_free(struct metrics *m)
{
	free(m->host);
	free(m->sorted);
	free(m->sorted_host);
	memset(m, 0, sizeof *m);
}

static int name_ok(const unsigned char *s, size_t n, int colon)
{
	if (n == 0 || n > 200)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = s[i];
		int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
			    (colon && c == ':');

		if (!alpha && !(i > 0 && c >= '0' && c <= '9'))
			return 0;
	}
	return 1;
}

static uint32_t fnv(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct metrics_host *host_get(struct metrics *m, const char *name)
{
	struct metrics_host *h;

	for (size_t i = 0; i < m->n_hosts; i++)
		if (strcmp(m->host[i].name, name) == 0)
			return &m->host[i];
	if (m->n_hosts == METRICS_HOSTS_MAX || strlen(name) > STORE_NAME_MAX)
		return NULL;
	h = &m->host[m->n_hosts++];
	strcpy(h->name, name);
	return h;
}

/* Finds or adds the series key[0..len) of h; NULL if it does not fit. */
static struct metrics_series *series_get(struct metrics_host *h, const char *key, size_t len,
					 size_t name_len)
{
	uint32_t i = fnv(key, len) & (METRICS_SLOTS - 1);
	struct metrics_series *s;

	for (;; i = (i + 1) & (METRICS_SLOTS - 1)) {
		uint16_t x = h->slot[i];

		if (x == 0)
			break;
		s = &h->series[x - 1];
		if (s->len == len && memcmp(h->arena + s->off, key, len) == 0)
			return s;
	}
	if (h->n == METRICS_SERIES_MAX || len > METRICS_ARENA - h->used)
		return NULL;
	s = &h->series[h->n];
	s->off = (uint32_t)h->used;
	s->len = (uint16_t)len;
	s->name_len = (uint16_t)name_len;
	memcpy(h->arena + h->used, key, len);
	h->used += len;
	h->slot[i] = (uint16_t)++h->n;
	return s;
}

/* One sample into key (name, then rendered labels) and value: 0, or -1 if
 * it is not a valid sample. */
static int sample(const unsigned char *p, size_t n, struct jbuf *key, size_t *name_len,
		  double *value)
{
	struct cbor_cur c = { p, p + n };
	struct cbor_val a, name, labels, v, seen[LABELS_MAX];
	const struct cbor_val exported = { .type = CBV_TEXT, .u = 13,
					   .p = (const unsigned char *)"exported_host" };

	if (cbor_next(&c, &a) < 0 || a.type != CBV_ARRAY || a.u != 3)
		return -1;
	if (cbor_next(&c, &name) < 0 || name.type != CBV_TEXT || !name_ok(name.p, name.u, 1) ||
	    (name.u >= 16 && memcmp(name.p, "stele_collector_", 16) == 0))
		return -1;
	jb_raw(key, name.p, (size_t)name.u);
	*name_len = (size_t)name.u;
	if (cbor_next(&c, &labels) < 0 || labels.type != CBV_MAP || labels.u > LABELS_MAX)
		return -1;
	for (uint64_t i = 0; i < labels.u; i++) {
		struct cbor_val k, lv;

		if (cbor_next(&c, &k) < 0 || k.type != CBV_TEXT || !name_ok(k.p, k.u, 0) ||
		    (k.u >= 2 && k.p[0] == '_' && k.p[1] == '_'))
			return -1;
		/* A label twice would make the whole scrape invalid. */
		seen[i] = cbor_text_is(&k, "host") ? exported : k;
		for (uint64_t j = 0; j < i; j++)
			if (seen[j].u == seen[i].u && memcmp(seen[j].p, seen[i].p, seen[i].u) == 0)
				return -1;
		if (cbor_next(&c, &lv) < 0 || lv.type != CBV_TEXT)
			return -1;
		if (i)
			jb_raw(key, ",", 1);
		/* host is ours: the agent's own becomes exported_host, as
		 * Prometheus does with a clashing target label. */
		if (cbor_text_is(&k, "host"))
			jb_raw(key, "exported_", 9);
		jb_raw(key, k.p, (size_t)k.u);
		jb_raw(key, "=\"", 2);
		if (lv.u > METRICS_KEY_MAX)
			return -1;
		jb_label(key, lv.p, (size_t)lv.u);
		jb_raw(key, "\"", 1);
	}
	if (cbor_next(&c, &v) < 0)
		return -1;
	if (v.type == CBV_UINT)
		*value = (double)v.u;
	else if (v.type == CBV_NINT)
		*value = -1.0 - (double)v.u;
	else if (v.type == CBV_FLOAT)
		*value = v.f;
	else
		return -1;
	return key->full ? -1 : 0;
}

void metrics_expire(struct metrics *m, uint64_t now_ms)
{
	for (size_t i = 0; m->expiry_ms && i < m->n_hosts;) {
		if (now_ms - m->host[i].heard_ms < m->expiry_ms) {
			i++;
			continue;
		}
		m->expired++;
		if (i != m->n_hosts - 1)
			memcpy(&m->host[i], &m->host[m->n_hosts - 1], sizeof m->host[i]);
		memset(&m->host[--m->n_hosts], 0, sizeof m->host[0]);
	}
}

void metrics_update(struct metrics *m, const char *host, const unsigned char *samples, size_t len,
		    uint64_t now_ms)
{
	struct cbor_cur c = { samples, samples + len };
	struct cbor_val a;
	struct metrics_host *h;

	if (cbor_next(&c, &a) < 0 || a.type != CBV_ARRAY)
		return;
	h = host_get(m, host);
	if (h)
		h->heard_ms = now_ms;
	for (uint64_t i = 0; i < a.u; i++) {
		char keybuf[METRICS_KEY_MAX];
		struct jbuf key = { keybuf, 0, sizeof keybuf, 0 };
		const unsigned char *item;
		size_t item_len, name_len = 0;
		struct metrics_series *s;
		double value;

		if (cbor_next_skip(&c, &item, &item_len) < 0)
			return;
		if (sample(item, item_len, &key, &name_len, &value) < 0) {
			m->bad_samples++;
			continue;
		}
		s = h ? series_get(h, keybuf, key.len, name_len) : NULL;
		if (!s) {
			m->dropped++;
			continue;
		}
		s->value = value;
		m->samples++;
	}
}

static const struct metrics *sort_m;	/* qsort has no context argument */

static int cmp_name(const char *a, size_t an, const char *b, size_t bn)
{
	int r = memcmp(a, b, an < bn ? an : bn);

	return r ? r : (an > bn) - (an < bn);
}

static int cmp(const void *x, const void *y)
{
	size_t i = *(const size_t *)x, j = *(const size_t *)y;
	const struct metrics_host *hi = sort_m->sorted_host[i], *hj = sort_m->sorted_host[j];
	const struct metrics_series *si = sort_m->sorted[i], *sj = sort_m->sorted[j];
	int r = cmp_name(hi->arena + si->off, si->name_len, hj->arena + sj->off, sj->name_len);

	if (!r)
		r = strcmp(hi->name, hj->name);
	if (!r)
		r = cmp_name(hi->arena + si->off, si->len, hj->arena + sj->off, sj->len);
	return r;
}

static void own(struct jbuf *b, const char *name, const char *type, uint64_t v)
{
	jb_cstr(b, "# TYPE ");
	jb_cstr(b, name);
	jb_raw(b, " ", 1);
	jb_cstr(b, type);
	jb_raw(b, "\n", 1);
	jb_cstr(b, name);
	jb_raw(b, " ", 1);
	jb_u64(b, v);
	jb_raw(b, "\n", 1);
}

int metrics_render(struct metrics *m, const struct collector_stats *st, struct jbuf *b)
{
	size_t n = 0, *order;
	const char *prev = NULL;
	size_t prev_len = 0;

	own(b, "stele_collector_connections", "gauge", st->connections);
	own(b, "stele_collector_connections_total", "counter", st->accepted);
	own(b, "stele_collector_connections_refused_total", "counter", st->refused);
	own(b, "stele_collector_records_total", "counter", st->records);
	own(b, "stele_collector_duplicates_total", "counter", st->duplicates);
	own(b, "stele_collector_decode_errors_total", "counter", st->decode_errors);
	own(b, "stele_collector_tls_errors_total", "counter", st->tls_errors);
	own(b, "stele_collector_written_bytes_total", "counter", st->bytes_written);
	own(b, "stele_collector_samples_invalid_total", "counter", m->bad_samples);
	own(b, "stele_collector_samples_dropped_total", "counter", m->dropped);
	own(b, "stele_collector_invalid_records_total", "counter", st->invalid);
	own(b, "stele_collector_hellos_refused_total", "counter", st->refused_hellos);
	own(b, "stele_collector_evicted_total", "counter", st->evicted);
	own(b, "stele_collector_hello_timeouts_total", "counter", st->hello_timeouts);
	own(b, "stele_collector_idle_closed_total", "counter", st->idle_closed);
	own(b, "stele_collector_accept_pauses_total", "counter", st->accept_pauses);
	own(b, "stele_collector_disk_full_total", "counter", st->disk_full);
	own(b, "stele_collector_hosts_expired_total", "counter", m->expired);

	for (size_t h = 0; h < m->n_hosts; h++)
		for (size_t i = 0; i < m->host[h].n; i++) {
			m->sorted_host[n] = &m->host[h];
			m->sorted[n] = &m->host[h].series[i];
			n++;
		}
	/* Sort indexes, not the pairs: the two arrays stay in step. */
	order = malloc((n ? n : 1) * sizeof *order);
	if (!order) {
		b->full = 1;
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	sort_m = m;
	qsort(order, n, sizeof *order, cmp);
	for (size_t k = 0; k < n; k++) {
		const struct metrics_host *h = m->sorted_host[order[k]];
		const struct metrics_series *s = m->sorted[order[k]];
		const char *key = h->arena + s->off;

		if (!prev || cmp_name(prev, prev_len, key, s->name_len) != 0) {
			int counter = s->name_len >= 6 && memcmp(key + s->name_len - 6, "_total", 6) == 0;

			jb_cstr(b, "# TYPE ");
			jb_raw(b, key, s->name_len);
			jb_cstr(b, counter ? " counter\n" : " gauge\n");
			prev = key;
			prev_len = s->name_len;
		}
		jb_raw(b, key, s->name_len);
		jb_cstr(b, "{host=\"");
		jb_label(b, (const unsigned char *)h->name, strlen(h->name));
		jb_raw(b, "\"", 1);
		if (s->len > s->name_len) {
			jb_raw(b, ",", 1);
			jb_raw(b, key + s->name_len, s->len - s->name_len);
		}
		jb_raw(b, "} ", 2);
		jb_double_prom(b, s->value);
		jb_raw(b, "\n", 1);
	}
	free(order);
	return b->full ? -1 : 0;
}
