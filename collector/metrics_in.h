#ifndef STELE_COLLECTOR_METRICS_IN_H
#define STELE_COLLECTOR_METRICS_IN_H

/* Inside the metrics store: one sample as a decoder found it, whatever
 * the encoding (metrics_cbor.c reads the agent's CBOR, metrics_json.c a
 * record's JSON line), and the one place that checks and stores it, so
 * that both encodings obey the same rules. */

#include <stddef.h>
#include <stdint.h>

#include "metrics.h"

#define METRICS_LABELS_MAX 32

/* Bytes owned by the decoder (its input, or its scratch buffer), valid
 * for the metrics_sample_put() call only. */
struct metrics_text {
	const unsigned char *p;
	size_t n;
};

struct metrics_sample {
	struct metrics_text name;
	struct metrics_text label[METRICS_LABELS_MAX], label_value[METRICS_LABELS_MAX];
	size_t n_labels;
	double value;
};

/* host's table, added if it is new, marked heard at now_ms; NULL if it
 * does not fit (its samples then count as dropped). */
struct metrics_host *metrics_host_heard(struct metrics *m, const char *host, uint64_t now_ms);

/* Checks s and stores it in h (NULL: no room for the host). Counted once:
 * in m->samples if stored, m->bad_samples if not a valid sample (name or
 * label name invalid or reserved, a label twice, too long), m->dropped if
 * valid but without room. */
void metrics_sample_put(struct metrics *m, struct metrics_host *h, const struct metrics_sample *s);

#endif
