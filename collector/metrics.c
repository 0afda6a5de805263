/* The metrics store: the latest value of every series of every host,
 * and its rendering. Decoders hand it samples (metrics_in.h); this file
 * decides what a valid sample is and whose labels win. */
#include "metrics.h"

#include <stdlib.h>
#include <string.h>

#include "metrics_help.h"
#include "metrics_in.h"

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

static int text_is(const struct metrics_text *t, const char *s)
{
	size_t n = strlen(s);

	return t->n == n && memcmp(t->p, s, n) == 0;
}

static int text_eq(const struct metrics_text *a, const struct metrics_text *b)
{
	return a->n == b->n && memcmp(a->p, b->p, a->n) == 0;
}

static uint32_t fnv(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

struct metrics_host *metrics_host_heard(struct metrics *m, const char *name, uint64_t now_ms)
{
	struct metrics_host *h = NULL;

	for (size_t i = 0; i < m->n_hosts && !h; i++)
		if (strcmp(m->host[i].name, name) == 0)
			h = &m->host[i];
	if (!h) {
		if (m->n_hosts == METRICS_HOSTS_MAX || strlen(name) > STORE_NAME_MAX)
			return NULL;
		h = &m->host[m->n_hosts++];
		strcpy(h->name, name);
	}
	h->heard_ms = now_ms;
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

static int prefixed(const struct metrics_text *t, const char *prefix)
{
	size_t n = strlen(prefix);

	return t->n >= n && memcmp(t->p, prefix, n) == 0;
}

/* Names Prometheus accepts; stele_collector_* and stele_image_* are the
 * collector's own (an agent must not say what image it runs other than
 * in its hello, nor for another host), and labels starting with __ are
 * Prometheus' internal ones. A label twice would make the whole scrape
 * invalid. */
static int sample_ok(const struct metrics_sample *s)
{
	if (!name_ok(s->name.p, s->name.n, 1) || prefixed(&s->name, "stele_collector_") ||
	    prefixed(&s->name, "stele_image_"))
		return 0;
	for (size_t i = 0; i < s->n_labels; i++) {
		const struct metrics_text *k = &s->label[i];

		if (!name_ok(k->p, k->n, 0) || (k->n >= 2 && k->p[0] == '_' && k->p[1] == '_'))
			return 0;
		for (size_t j = 0; j < i; j++)
			if (text_eq(&s->label[j], k))
				return 0;
	}
	return 1;
}

/* One label as the text format writes it: key="value", value escaped. */
static void label_n(struct jbuf *b, const char *key, size_t kn, const char *val, size_t vn)
{
	jb_raw(b, key, kn);
	jb_raw(b, "=\"", 2);
	jb_label(b, (const unsigned char *)val, vn);
	jb_raw(b, "\"", 1);
}

/* The key is the name, then the labels as rendered ("cpu=\"0\",mode=..."),
 * in the agent's order. instance is the collector's: it names the host
 * the agent's certificate proved, and is written at rendering. An agent's
 * own instance label is dropped, not renamed: with honor_labels the
 * scrape takes instance from the exposition, and a host must not be able
 * to speak for another. */
void metrics_sample_put(struct metrics *m, struct metrics_host *h, const struct metrics_sample *s)
{
	char keybuf[METRICS_KEY_MAX];
	struct jbuf key = { keybuf, 0, sizeof keybuf, 0 };
	struct metrics_series *series;
	int first = 1;

	if (!sample_ok(s)) {
		m->bad_samples++;
		return;
	}
	jb_raw(&key, s->name.p, s->name.n);
	for (size_t i = 0; i < s->n_labels; i++) {
		if (text_is(&s->label[i], "instance"))
			continue;
		if (!first)
			jb_raw(&key, ",", 1);
		first = 0;
		label_n(&key, (const char *)s->label[i].p, s->label[i].n,
			(const char *)s->label_value[i].p, s->label_value[i].n);
	}
	if (key.full) {
		m->bad_samples++;
		return;
	}
	series = h ? series_get(h, keybuf, key.len, s->name.n) : NULL;
	if (!series) {
		m->dropped++;
		return;
	}
	series->value = s->value;
	m->samples++;
}

void metrics_image_set(struct metrics *m, const char *host, const struct metrics_image *img,
		       uint64_t now_ms)
{
	struct metrics_host *h = metrics_host_heard(m, host, now_ms);

	if (!h)
		return;
	h->image = *img;
	h->has_image = 1;
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

static int cmp_host(const void *x, const void *y)
{
	return strcmp((*(const struct metrics_host *const *)x)->name,
		      (*(const struct metrics_host *const *)y)->name);
}

static void label(struct jbuf *b, const char *key, const char *val)
{
	label_n(b, key, strlen(key), val, strlen(val));
}

/* stele_image_info and stele_image_expected of every host that has an
 * image, sorted by host. */
static void images(const struct metrics *m, struct jbuf *b)
{
	const struct metrics_host *h[METRICS_HOSTS_MAX];
	size_t n = 0, expected = 0;

	for (size_t i = 0; i < m->n_hosts; i++)
		if (m->host[i].has_image) {
			h[n++] = &m->host[i];
			expected += m->host[i].image.expected >= 0;
		}
	if (n == 0)
		return;
	qsort(h, n, sizeof h[0], cmp_host);
	metrics_family_head(b, "stele_image_info", 16);
	for (size_t i = 0; i < n; i++) {
		jb_cstr(b, "stele_image_info{");
		label(b, "instance", h[i]->name);
		jb_raw(b, ",", 1);
		label(b, "version", h[i]->image.version);
		jb_raw(b, ",", 1);
		label(b, "roothash", h[i]->image.roothash);
		jb_raw(b, ",", 1);
		label(b, "pcr11", h[i]->image.pcr11);
		jb_cstr(b, "} 1\n");
	}
	if (expected == 0)
		return;
	metrics_family_head(b, "stele_image_expected", 20);
	for (size_t i = 0; i < n; i++) {
		if (h[i]->image.expected < 0)
			continue;
		jb_cstr(b, "stele_image_expected{");
		label(b, "instance", h[i]->name);
		jb_cstr(b, h[i]->image.expected ? "} 1\n" : "} 0\n");
	}
}

static void own(struct jbuf *b, const char *name, uint64_t v)
{
	metrics_family_head(b, name, strlen(name));
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

	/* st NULL: a sink, which has no connections of its own to count. */
	if (st) {
		own(b, "stele_collector_connections", st->connections);
		own(b, "stele_collector_connections_total", st->accepted);
		own(b, "stele_collector_connections_refused_total", st->refused);
		own(b, "stele_collector_records_total", st->records);
		own(b, "stele_collector_duplicates_total", st->duplicates);
		own(b, "stele_collector_decode_errors_total", st->decode_errors);
		own(b, "stele_collector_tls_errors_total", st->tls_errors);
		own(b, "stele_collector_written_bytes_total", st->bytes_written);
		own(b, "stele_collector_invalid_records_total", st->invalid);
		own(b, "stele_collector_hellos_refused_total", st->refused_hellos);
		own(b, "stele_collector_evicted_total", st->evicted);
		own(b, "stele_collector_hello_timeouts_total", st->hello_timeouts);
		own(b, "stele_collector_idle_closed_total", st->idle_closed);
		own(b, "stele_collector_accept_pauses_total", st->accept_pauses);
		own(b, "stele_collector_disk_full_total", st->disk_full);
	}
	own(b, "stele_collector_samples_invalid_total", m->bad_samples);
	own(b, "stele_collector_samples_dropped_total", m->dropped);
	own(b, "stele_collector_hosts_expired_total", m->expired);
	images(m, b);

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
			metrics_family_head(b, key, s->name_len);
			prev = key;
			prev_len = s->name_len;
		}
		jb_raw(b, key, s->name_len);
		jb_raw(b, "{", 1);
		label(b, "instance", h->name);
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
