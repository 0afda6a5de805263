/* The agent's samples as a record's JSON line carries them, for the sinks
 * that read the collector's lines back (record_json.c wrote them):
 * [["node_load1",{},0.5],["node_cpu_seconds_total",{"cpu":"0"},1.5],...].
 * Strings are decoded into a scratch buffer on the stack; the checks are
 * metrics_sample_put's, the same as for the agent's CBOR. */
#include <math.h>

#include "json_in.h"
#include "metrics_in.h"

/* Room for every string of a sample the CBOR path would take: the
 * decoded strings (other than an instance value, which is never decoded)
 * are no longer than its rendered key, which is at most METRICS_KEY_MAX,
 * plus one NUL each. */
#define SCRATCH (2 * METRICS_KEY_MAX)

struct scratch {
	char buf[SCRATCH];
	size_t used;
};

/* v's decoded content into the scratch as t: 0, or -1 if it is not a
 * string or does not fit. */
static int take(struct scratch *s, const struct json_val *v, struct metrics_text *t)
{
	size_t n;

	if (v->type != JSON_STRING || json_string(v, s->buf + s->used, SCRATCH - s->used, &n) < 0)
		return -1;
	*t = (struct metrics_text){ (const unsigned char *)s->buf + s->used, n };
	s->used += n + 1;
	return 0;
}

/* One sample's shape into ms: 0, or -1 if it is not [string, {name:
 * string}, number or null] or does not fit the scratch. null is how
 * record_json spells a float that is not finite: it reads as NaN, the
 * value unknown. */
static int decode(const struct json_val *sample, struct scratch *s, struct metrics_sample *ms)
{
	struct json_iter it, lit;
	struct json_val name, labels, value, extra, k, v;

	if (sample->type != JSON_ARRAY)
		return -1;
	json_iter_init(&it, sample);
	if (!json_array_next(&it, &name) || !json_array_next(&it, &labels) ||
	    !json_array_next(&it, &value) || json_array_next(&it, &extra))
		return -1;
	if (take(s, &name, &ms->name) < 0 || labels.type != JSON_OBJECT)
		return -1;
	ms->n_labels = 0;
	json_iter_init(&lit, &labels);
	while (json_object_next(&lit, &k, &v)) {
		size_t i = ms->n_labels;

		if (i == METRICS_LABELS_MAX || take(s, &k, &ms->label[i]) < 0)
			return -1;
		/* Dropped by metrics_sample_put: only its type matters. */
		if (json_string_is(&k, "instance")) {
			if (v.type != JSON_STRING)
				return -1;
			ms->label_value[i] = (struct metrics_text){ NULL, 0 };
		} else if (take(s, &v, &ms->label_value[i]) < 0) {
			return -1;
		}
		ms->n_labels++;
	}
	if (value.type == JSON_NULL)
		ms->value = NAN;
	else if (json_double(&value, &ms->value) < 0)
		return -1;
	return 0;
}

void metrics_update_json(struct metrics *m, const char *host, const char *samples, size_t len,
			 uint64_t now_ms)
{
	struct json_val a, sample;
	struct json_iter it;
	struct metrics_host *h;
	const char *why;

	if (json_parse(samples, len, &a, &why) < 0 || a.type != JSON_ARRAY)
		return;
	h = metrics_host_heard(m, host, now_ms);
	json_iter_init(&it, &a);
	while (json_array_next(&it, &sample)) {
		struct scratch s = { .used = 0 };
		struct metrics_sample ms;

		if (decode(&sample, &s, &ms) < 0)
			m->bad_samples++;
		else
			metrics_sample_put(m, h, &ms);
	}
}
