#include "record.h"

#include <string.h>

static int set(const char *s)
{
	return s && *s;
}

static void text_if(struct cbw *w, const char *key, const char *val)
{
	if (set(val)) {
		cbw_str(w, key);
		cbw_str(w, val);
	}
}

size_t record_hello(unsigned char *buf, size_t cap, const struct hello *h)
{
	struct cbw w;

	cbw_init(&w, buf, cap);
	cbw_map(&w, 5 + (size_t)set(h->version) + (size_t)set(h->pcr11) + (size_t)set(h->pcr15));
	cbw_str(&w, "v");
	cbw_uint(&w, 1);
	cbw_str(&w, "host");
	cbw_str(&w, h->host);
	cbw_str(&w, "boot_id");
	cbw_str(&w, h->boot_id);
	cbw_str(&w, "agent");
	cbw_str(&w, h->agent);
	cbw_str(&w, "roothash");
	cbw_str(&w, h->roothash);
	text_if(&w, "version", h->version);
	text_if(&w, "pcr11", h->pcr11);
	text_if(&w, "pcr15", h->pcr15);
	return cbw_len(&w);
}

static void head(struct cbw *w, size_t pairs, uint64_t seq, int64_t t_ns, const char *kind)
{
	cbw_map(w, pairs);
	cbw_str(w, "seq");
	cbw_uint(w, seq);
	cbw_str(w, "t");
	cbw_int(w, t_ns);
	cbw_str(w, "kind");
	cbw_str(w, kind);
}

static void text_or_bytes(struct cbw *w, const char *key, const char *p, size_t n)
{
	cbw_str(w, key);
	if (utf8_valid(p, n))
		cbw_text(w, p, n);
	else
		cbw_bytes(w, p, n);
}

size_t record_log(unsigned char *buf, size_t cap, uint64_t seq, int64_t t_ns,
		  const char *src, const struct log_fields *f, const char *stream)
{
	struct cbw w;
	size_t pairs = 7 + (f->app_len > 0) + (f->pid >= 0) + (f->uid >= 0) + (f->tag_len > 0) +
		       (stream != NULL) + (f->cont != 0);

	cbw_init(&w, buf, cap);
	head(&w, pairs, seq, f->t_ns >= 0 ? f->t_ns : t_ns, "log");
	cbw_str(&w, "src");
	cbw_str(&w, src);
	if (f->app_len)
		text_or_bytes(&w, "app", f->app, f->app_len);
	if (f->pid >= 0) {
		cbw_str(&w, "pid");
		cbw_uint(&w, (uint64_t)f->pid);
	}
	if (f->uid >= 0) {
		cbw_str(&w, "uid");
		cbw_uint(&w, (uint64_t)f->uid);
	}
	cbw_str(&w, "sev");
	cbw_uint(&w, (uint64_t)(f->sev & 7));
	cbw_str(&w, "fac");
	cbw_uint(&w, (uint64_t)(f->fac < 0 || f->fac > 23 ? 1 : f->fac));
	if (f->tag_len)
		text_or_bytes(&w, "tag", f->tag, f->tag_len);
	if (stream) {
		cbw_str(&w, "stream");
		cbw_str(&w, stream);
	}
	if (f->cont) {
		cbw_str(&w, "cont");
		cbw_bool(&w, 1);
	}
	text_or_bytes(&w, "msg", f->msg, f->msg_len);
	return cbw_len(&w);
}

size_t record_event(unsigned char *buf, size_t cap, uint64_t seq, int64_t t_ns,
		    const char *event, const char *app, const char *msg, int64_t count)
{
	struct cbw w;

	cbw_init(&w, buf, cap);
	head(&w, 4 + (app != NULL) + (msg != NULL) + (count >= 0), seq, t_ns, "event");
	cbw_str(&w, "event");
	cbw_str(&w, event);
	if (app) {
		cbw_str(&w, "app");
		cbw_str(&w, app);
	}
	if (msg) {
		cbw_str(&w, "msg");
		cbw_str(&w, msg);
	}
	if (count >= 0) {
		cbw_str(&w, "count");
		cbw_uint(&w, (uint64_t)count);
	}
	return cbw_len(&w);
}

void record_metrics_begin(struct metrics_record *m, unsigned char *buf, size_t cap,
			  uint64_t seq, int64_t t_ns)
{
	cbw_init(&m->w, buf, cap);
	head(&m->w, 4, seq, t_ns, "metrics");
	cbw_str(&m->w, "samples");
	m->samples_at = cbw_array_begin(&m->w);
	m->n = 0;
}

int record_metrics_sample(struct metrics_record *m, const char *name,
			  const char *const *label_kv, size_t n_labels, double value)
{
	size_t before = m->w.len;

	if (m->w.full || m->n == 0xffff)
		return -1;
	cbw_array(&m->w, 3);
	cbw_str(&m->w, name);
	cbw_map(&m->w, n_labels);
	for (size_t i = 0; i < 2 * n_labels; i++)
		cbw_str(&m->w, label_kv[i]);
	cbw_number(&m->w, value);
	if (m->w.full) {
		/* Take the partial sample back: the record stays valid. */
		m->w.full = 0;
		m->w.len = before;
		return -1;
	}
	m->n++;
	return 0;
}

size_t record_metrics_end(struct metrics_record *m)
{
	cbw_array_end(&m->w, m->samples_at, m->n);
	return cbw_len(&m->w);
}
