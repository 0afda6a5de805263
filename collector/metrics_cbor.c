/* The agent's samples as its CBOR record carries them (DESIGN §6):
 * [name, {label: value, ...}, number], text strings pointed at in place. */
#include <string.h>

#include "cbor_in.h"
#include "metrics_in.h"

static struct metrics_text text(const struct cbor_val *v)
{
	return (struct metrics_text){ v->p, (size_t)v->u };
}

/* One sample's shape into s: 0, or -1 if it is not [text, {text: text},
 * number]. What the names say is metrics_sample_put's to judge. */
static int decode(const unsigned char *p, size_t n, struct metrics_sample *s)
{
	struct cbor_cur c = { p, p + n };
	struct cbor_val a, name, labels, v;

	if (cbor_next(&c, &a) < 0 || a.type != CBV_ARRAY || a.u != 3)
		return -1;
	if (cbor_next(&c, &name) < 0 || name.type != CBV_TEXT)
		return -1;
	s->name = text(&name);
	if (cbor_next(&c, &labels) < 0 || labels.type != CBV_MAP || labels.u > METRICS_LABELS_MAX)
		return -1;
	s->n_labels = (size_t)labels.u;
	for (size_t i = 0; i < s->n_labels; i++) {
		struct cbor_val k, lv;

		if (cbor_next(&c, &k) < 0 || k.type != CBV_TEXT || cbor_next(&c, &lv) < 0 ||
		    lv.type != CBV_TEXT)
			return -1;
		s->label[i] = text(&k);
		s->label_value[i] = text(&lv);
	}
	if (cbor_next(&c, &v) < 0)
		return -1;
	if (v.type == CBV_UINT)
		s->value = (double)v.u;
	else if (v.type == CBV_NINT)
		s->value = -1.0 - (double)v.u;
	else if (v.type == CBV_FLOAT)
		s->value = v.f;
	else
		return -1;
	return 0;
}

void metrics_update(struct metrics *m, const char *host, const unsigned char *samples, size_t len,
		    uint64_t now_ms)
{
	struct cbor_cur c = { samples, samples + len };
	struct cbor_val a;
	struct metrics_host *h;

	if (cbor_next(&c, &a) < 0 || a.type != CBV_ARRAY)
		return;
	h = metrics_host_heard(m, host, now_ms);
	for (uint64_t i = 0; i < a.u; i++) {
		struct metrics_sample s;
		const unsigned char *item;
		size_t item_len;

		if (cbor_next_skip(&c, &item, &item_len) < 0)
			return;
		if (decode(item, item_len, &s) < 0)
			m->bad_samples++;
		else
			metrics_sample_put(m, h, &s);
	}
}
